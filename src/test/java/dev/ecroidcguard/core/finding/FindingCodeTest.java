package dev.ecroidcguard.core.finding;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** The FindingCode catalogue and finding-codes.json (what users and the README read) are the same catalogue. */
class FindingCodeTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private static JsonNode json() throws IOException {
        try (InputStream in = FindingCodeTest.class.getResourceAsStream("/finding-codes.json")) {
            assertThat(in).as("finding-codes.json on the classpath").isNotNull();
            return MAPPER.readTree(in);
        }
    }

    /** The entry finding-codes.json must have for {@code code}: every fact of the catalogue, nothing else. */
    private static ObjectNode entry(FindingCode code) {
        ObjectNode entry = MAPPER.createObjectNode();
        entry.put("severity", code.severity().name());
        entry.put("category", code.category().jsonName());
        entry.put("summary", code.summary());
        entry.put("repair", code.repair().name().toLowerCase(Locale.ROOT).replace('_', '-'));
        entry.put("fixedBy", code.fixedBy().map(RemediationClass::configName).orElse(null));
        return entry;
    }

    @Test
    void theJsonListsTheCatalogueCodesInItsOrder() throws IOException {
        List<String> json = new ArrayList<>();
        json().fieldNames().forEachRemaining(json::add);
        assertThat(json).containsExactlyElementsOf(Arrays.stream(FindingCode.values()).map(Enum::name).toList());
    }

    @Test
    void eachJsonEntryIsExactlyTheCatalogueEntry() throws IOException {
        JsonNode json = json();
        for (FindingCode code : FindingCode.values()) {
            assertThat(json.path(code.name())).as("finding-codes.json entry of %s", code).isEqualTo(entry(code));
        }
    }

    /** The report's category strings are a contract: these five, spelled like this. */
    @Test
    void categoriesKeepTheirReportSpelling() {
        assertThat(Arrays.stream(Category.values()).map(Category::jsonName))
                .containsExactly("role", "trust", "permissions", "repository-policy", "input");
    }

    @Test
    void everyCodeHasASummarySentence() {
        for (FindingCode code : FindingCode.values()) {
            assertThat(code.summary()).as("summary of %s", code).isNotBlank().endsWith(".");
        }
    }

    /** An automatic repair needs a class that writes it; input problems have none, so only a person repairs them. */
    @Test
    void automaticRepairsHaveAClassAndInputProblemsNeedAPerson() {
        for (FindingCode code : FindingCode.values()) {
            assertThat(code.fixedBy().isPresent()).as("%s fixed by a class", code).isEqualTo(!code.needsAPerson());
            code.fixedBy().ifPresent(cls -> assertThat(cls.repairs(code.category())).as("%s by %s", code, cls).isTrue());
            if (code.category() == Category.INPUT) {
                assertThat(code.needsAPerson()).as("%s needs a person", code).isTrue();
            }
        }
    }

    /** Each fix class repairs exactly one category, and only input has no class. */
    @Test
    void classesAndCategoriesCorrespondOneToOne() {
        for (RemediationClass cls : RemediationClass.values()) {
            assertThat(Arrays.stream(Category.values()).filter(cls::repairs)).as("categories of %s", cls).hasSize(1);
        }
        assertThat(Arrays.stream(Category.values()).filter(c -> c.remediationClass().isEmpty())).containsExactly(Category.INPUT);
        assertThat(Category.TRUST.remediationClass()).isEqualTo(Optional.of(RemediationClass.TRUST));
        assertThat(Category.ROLE.remediationClass()).isEqualTo(Optional.of(RemediationClass.MISSING_ROLE));
    }

    /**
     * The facts the planners used to keep as their own lists, pinned: trust repairs that would admit new tokens,
     * permissions that would have to be granted, and a Deny whose removal would widen the repository policy.
     */
    @Test
    void theGrantsAPlanNeverMakesAreTheCataloguesNeedsAGrant() {
        assertThat(Arrays.stream(FindingCode.values()).filter(c -> c.repair() == Repair.NEEDS_A_GRANT)).containsExactlyInAnyOrder(
                FindingCode.TRUST_SUB_CASE_MISMATCH, FindingCode.TRUST_SUB_FORMAT_MISMATCH, FindingCode.TRUST_AUD_WRONG,
                FindingCode.TRUST_ACTION_WRONG, FindingCode.TRUST_NO_GITHUB_PRINCIPAL, FindingCode.TRUST_PROVIDER_MISMATCH,
                FindingCode.TRUST_SUB_STRINGEQUALS_WILDCARD, FindingCode.PERM_MISSING_AUTH_TOKEN, FindingCode.PERM_MISSING_PUSH_ACTIONS,
                FindingCode.ECR_POLICY_DENIES_PUSH);
        assertThat(Arrays.stream(FindingCode.values()).filter(c -> c.fixedBy().equals(Optional.of(RemediationClass.PERMISSIONS))))
                .containsExactlyInAnyOrder(FindingCode.PERM_ADMIN, FindingCode.PERM_NON_ECR_ACTIONS, FindingCode.PERM_ECR_ALL_REPOS_WRITE,
                        FindingCode.PERM_ECR_WRONG_REPO, FindingCode.PERM_ECR_REPO_WILDCARD, FindingCode.PERM_ECR_EXCESSIVE_ACTIONS,
                        FindingCode.PERM_ECR_READ_ALL_REPOS, FindingCode.PERM_NOT_RESOURCE);
    }
}
