package dev.ecroidcguard.core.finding;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** The FindingCode enum and finding-codes.json (what users and the README read) describe the same codes. */
class FindingCodeTest {

    private static JsonNode catalogue() throws IOException {
        try (InputStream in = FindingCodeTest.class.getResourceAsStream("/finding-codes.json")) {
            assertThat(in).as("finding-codes.json on the classpath").isNotNull();
            return new ObjectMapper().readTree(in);
        }
    }

    @Test
    void the_enum_and_the_json_list_the_same_codes() throws IOException {
        List<String> json = new ArrayList<>();
        catalogue().fieldNames().forEachRemaining(json::add);
        List<String> enumCodes = Arrays.stream(FindingCode.values()).map(Enum::name).toList();
        assertThat(json).containsExactlyInAnyOrderElementsOf(enumCodes);
        assertThat(json).as("no code listed twice").doesNotHaveDuplicates();
    }

    @Test
    void each_code_has_the_same_severity_and_category_and_a_summary() throws IOException {
        JsonNode catalogue = catalogue();
        Set<String> categories = Set.of("role", "trust", "permissions", "repository-policy", "input");
        for (FindingCode code : FindingCode.values()) {
            JsonNode entry = catalogue.path(code.name());
            assertThat(entry.path("severity").asText()).as("severity of %s", code).isEqualTo(code.severity().name());
            assertThat(entry.path("category").asText()).as("category of %s", code).isEqualTo(code.category());
            assertThat(code.category()).as("category of %s", code).isIn(categories);
            assertThat(entry.path("summary").asText()).as("summary of %s", code).isNotBlank();
        }
    }

    @Test
    void every_severity_in_the_json_is_a_severity() throws IOException {
        Set<String> severities = Set.copyOf(Arrays.stream(Severity.values()).map(Enum::name).toList());
        catalogue().forEach(entry -> assertThat(entry.path("severity").asText()).isIn(severities));
    }
}
