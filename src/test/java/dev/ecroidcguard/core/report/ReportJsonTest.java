package dev.ecroidcguard.core.report;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ecroidcguard.core.finding.FindingCode;
import dev.ecroidcguard.core.fix.DocumentChange;
import dev.ecroidcguard.core.fix.FixPlan;
import dev.ecroidcguard.core.fix.PermissionsChange;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** The fix plan's JSON form: the "remaining" codes of replace, delete and rewrite entries, next to the fields they had. */
class ReportJsonTest {

    private static final String DOC = "{\"Version\":\"2012-10-17\",\"Statement\":[]}";

    private static JsonNode fix(FixPlan plan) {
        RepositoryReport r = new RepositoryReport("web-api", "arn:aws:ecr:eu-west-1:123456789012:repository/web-api",
                "github-actions-web-api", List.of(), plan);
        return ReportJson.tree(new AccountReport("123456789012", "eu-west-1", "acme", List.of(r), List.of(), List.of()))
                .get("repositories").get(0).get("fix");
    }

    private static List<String> texts(JsonNode array) {
        assertThat(array.isArray()).as("%s is an array", array).isTrue();
        List<String> out = new ArrayList<>();
        array.forEach(x -> out.add(x.asText()));
        return out;
    }

    @Test
    void replaceAndRewriteEntriesCarryTheirRemainingCodesInCatalogueOrder() {
        FixPlan plan = new FixPlan(Optional.empty(), Optional.empty(),
                new DocumentChange.Replace(DOC, List.of("TRUST_SUB_TOO_BROAD: loose"), Set.of()),
                new PermissionsChange.Rewrite(Map.of("ecr-push-pull", DOC), List.of("old"), List.of(),
                        List.of("removes PERM_ADMIN: x", "PERM_MISSING_PUSH_ACTIONS remains: y"),
                        Set.of(FindingCode.PERM_MISSING_PUSH_ACTIONS, FindingCode.PERM_MISSING_AUTH_TOKEN)),
                new DocumentChange.Replace(DOC, List.of("left for a person: z"), Set.of(FindingCode.ECR_POLICY_DENIES_PUSH)));

        JsonNode fix = fix(plan);

        JsonNode trust = fix.get("trust");
        assertThat(trust.get("action").asText()).isEqualTo("replace");
        assertThat(trust.get("document").isObject()).isTrue();
        assertThat(texts(trust.get("reasons"))).containsExactly("TRUST_SUB_TOO_BROAD: loose");
        assertThat(texts(trust.get("remaining"))).isEmpty();

        JsonNode permissions = fix.get("permissions");
        assertThat(permissions.get("action").asText()).isEqualTo("rewrite");
        assertThat(permissions.get("putInline").has("ecr-push-pull")).isTrue();
        assertThat(texts(permissions.get("deleteInline"))).containsExactly("old");
        assertThat(texts(permissions.get("detachManaged"))).isEmpty();
        assertThat(texts(permissions.get("reasons"))).hasSize(2);
        assertThat(texts(permissions.get("remaining"))).containsExactly("PERM_MISSING_AUTH_TOKEN", "PERM_MISSING_PUSH_ACTIONS");

        JsonNode repositoryPolicy = fix.get("repositoryPolicy");
        assertThat(repositoryPolicy.get("action").asText()).isEqualTo("replace");
        assertThat(texts(repositoryPolicy.get("remaining"))).containsExactly("ECR_POLICY_DENIES_PUSH");
    }

    @Test
    void aDeleteEntryCarriesItsRemainingCodesAndOtherEntriesHaveNone() {
        FixPlan plan = new FixPlan(Optional.empty(), Optional.empty(), new DocumentChange.NeedsHuman("two providers"),
                PermissionsChange.UNCHANGED, new DocumentChange.Delete(List.of("no statement remains"), Set.of()));

        JsonNode fix = fix(plan);

        JsonNode repositoryPolicy = fix.get("repositoryPolicy");
        assertThat(repositoryPolicy.get("action").asText()).isEqualTo("delete");
        assertThat(texts(repositoryPolicy.get("reasons"))).containsExactly("no statement remains");
        assertThat(texts(repositoryPolicy.get("remaining"))).isEmpty();
        assertThat(fix.get("trust").get("action").asText()).isEqualTo("needsHuman");
        assertThat(fix.get("trust").has("remaining")).isFalse();
        assertThat(fix.get("permissions").get("action").asText()).isEqualTo("unchanged");
        assertThat(fix.get("permissions").has("remaining")).isFalse();
    }
}
