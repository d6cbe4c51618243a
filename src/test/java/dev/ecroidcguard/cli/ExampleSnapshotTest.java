package dev.ecroidcguard.cli;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** examples/snapshot.json through the CLI: the findings examples/README.md promises, repository by repository. */
class ExampleSnapshotTest {

    private static MainTest.Run run;
    private static JsonNode report;

    @BeforeAll
    static void analyzeTheExample() throws Exception {
        run = MainTest.run(Map.of("GITHUB_ORG", "acme"), "analyze", "--snapshot", "examples/snapshot.json");
        report = run.report();
    }

    @Test
    void exits_1_because_there_are_findings() {
        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.err()).isEmpty();
    }

    @Test
    void each_repository_has_the_findings_the_readme_describes() {
        Map<String, List<String>> codes = new LinkedHashMap<>();
        for (JsonNode repository : report.path("repositories")) {
            List<String> found = new ArrayList<>();
            repository.path("findings").forEach(f -> found.add(f.path("code").asText()));
            codes.put(repository.path("repository").asText(), found);
        }
        assertThat(codes).containsExactly(
                Map.entry("billing", List.of("PERM_ECR_ALL_REPOS_WRITE", "PERM_ECR_EXCESSIVE_ACTIONS")),
                Map.entry("deploy-tools", List.of()),
                Map.entry("frontend", List.of("ECR_POLICY_OTHER_ROLE_WRITE")),
                Map.entry("ledger", List.of()),
                Map.entry("payments", List.of("TRUST_SUB_ORG_WIDE")),
                Map.entry("sandbox", List.of("TRUST_SUB_WILDCARD_ANY")),
                Map.entry("web-api", List.of()),
                Map.entry("worker", List.of("ROLE_MISSING")));
    }

    @Test
    void the_witnesses_name_who_gets_in_and_what_is_allowed() {
        assertThat(finding("payments", "TRUST_SUB_ORG_WIDE").path("witness").path("sub").asText())
                .startsWith("repo:acme/").doesNotStartWith("repo:acme/payments:");
        assertThat(finding("sandbox", "TRUST_SUB_WILDCARD_ANY").path("witness").path("sub").asText())
                .doesNotStartWith("repo:acme/");
        assertThat(finding("frontend", "ECR_POLICY_OTHER_ROLE_WRITE").path("witness").path("principal").asText())
                .isEqualTo("arn:aws:iam::123456789012:role/github-actions-billing");
        JsonNode allRepos = finding("billing", "PERM_ECR_ALL_REPOS_WRITE").path("witness");
        assertThat(allRepos.path("grantedBy").asText()).as("resolved through iam.Policies, default version v2")
                .isEqualTo("arn:aws:iam::123456789012:policy/ci-ecr-everything");
        assertThat(allRepos.path("resource").asText()).isNotEqualTo("arn:aws:ecr:us-east-1:123456789012:repository/billing");
    }

    @Test
    void the_fixes_narrow_replace_create_and_detach() {
        assertThat(repository("payments").path("fix").path("trust").path("document").toString()).contains("repo:acme/payments:*");
        assertThat(repository("sandbox").path("fix").path("trust").path("document").toString()).contains("repo:acme/sandbox:*");
        assertThat(repository("worker").path("fix").path("createRole").path("roleName").asText()).isEqualTo("github-actions-worker");
        assertThat(repository("billing").path("fix").path("permissions").path("detachManaged").toString())
                .contains("arn:aws:iam::123456789012:policy/ci-ecr-everything");
        assertThat(repository("frontend").path("fix").path("repositoryPolicy").path("document").toString())
                .contains("github-actions-frontend").doesNotContain("github-actions-billing");
        for (JsonNode r : report.path("repositories")) {
            assertThat(r.path("fix").path("needsHuman").asBoolean(false)).as(r.path("repository").asText()).isFalse();
        }
    }

    @Test
    void the_orphan_role_and_the_summary() {
        assertThat(report.path("orphanRoles")).singleElement().satisfies(o -> {
            assertThat(o.path("roleName").asText()).isEqualTo("github-actions-old-service");
            assertThat(o.path("expectedRepository").asText()).isEqualTo("old-service");
        });
        JsonNode summary = report.path("summary");
        assertThat(summary.path("repositories").asInt()).isEqualTo(8);
        assertThat(summary.path("compliant").asInt()).isEqualTo(3);
        assertThat(summary.path("nonCompliant").asInt()).isEqualTo(5);
        assertThat(summary.path("findings").asInt()).isEqualTo(6);
        assertThat(summary.path("orphanRoles").asInt()).isEqualTo(1);
        assertThat(summary.path("fixable").asInt()).isEqualTo(5);
        assertThat(summary.path("needsHuman").asInt()).isZero();
    }

    private static JsonNode repository(String name) {
        for (JsonNode r : report.path("repositories")) {
            if (r.path("repository").asText().equals(name)) {
                return r;
            }
        }
        throw new AssertionError("no repository " + name + " in the report");
    }

    private static JsonNode finding(String repository, String code) {
        for (JsonNode f : repository(repository).path("findings")) {
            if (f.path("code").asText().equals(code)) {
                return f;
            }
        }
        throw new AssertionError("no " + code + " for " + repository);
    }
}
