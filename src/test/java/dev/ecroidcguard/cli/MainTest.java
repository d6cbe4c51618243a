package dev.ecroidcguard.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ecroidcguard.testing.Snapshots;
import dev.ecroidcguard.testing.Snapshots.Doc;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class MainTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<String, String> ENV = Map.of("GITHUB_ORG", "acme");

    @TempDir
    Path dir;

    /** What one run printed and returned. */
    record Run(int exit, String out, String err) {
        JsonNode report() throws IOException {
            return JSON.readTree(out);
        }
    }

    static Run run(Map<String, String> env, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = Main.run(List.of(args), env, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private Path write(String name, String content) throws IOException {
        return Files.writeString(dir.resolve(name), content);
    }

    private Path compliantSnapshot() throws IOException {
        return write("compliant.json", Snapshots.account().canonicalRole("web-api").repository("web-api")
                .canonicalRole("payments").repository("payments").json());
    }

    private Path snapshotWithFindings() throws IOException {
        return write("findings.json", Snapshots.account().canonicalRole("web-api").repository("web-api")
                .role("github-actions-payments", Doc.encoded(Snapshots.trust("repo:acme/*")),
                        Map.of("ecr-push-pull", Doc.encoded(Snapshots.canonicalPermissions("payments"))), List.of())
                .repository("payments")
                .repository("worker")
                .role("github-actions-retired", Doc.encoded(Snapshots.canonicalTrust("retired")), Map.of(), List.of())
                .json());
    }

    @Test
    void exit_0_and_an_empty_findings_report_when_every_repository_is_compliant() throws Exception {
        Run run = run(ENV, "analyze", "--snapshot", compliantSnapshot().toString());

        assertThat(run.exit()).isZero();
        assertThat(run.err()).isEmpty();
        JsonNode report = run.report();
        assertThat(report.path("repositories")).hasSize(2);
        for (JsonNode repository : report.path("repositories")) {
            assertThat(repository.path("compliant").asBoolean()).isTrue();
            assertThat(repository.path("findings")).isEmpty();
            assertThat(repository.path("fix").isNull()).as("no fix for a compliant repository").isTrue();
        }
        assertThat(report.path("orphanRoles")).isEmpty();
        assertThat(report.path("summary").path("compliant").asInt()).isEqualTo(2);
        assertThat(report.path("summary").path("findings").asInt()).isZero();
    }

    @Test
    void exit_1_with_findings_and_the_stable_report_fields() throws Exception {
        Run run = run(ENV, "analyze", "--snapshot", snapshotWithFindings().toString());

        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.err()).isEmpty();
        JsonNode report = run.report();
        assertThat(fieldNames(report)).contains("repositories", "orphanRoles", "summary");

        JsonNode repositories = report.path("repositories");
        assertThat(repositories).extracting(r -> r.path("repository").asText()).containsExactly("payments", "web-api", "worker");
        for (JsonNode repository : repositories) {
            assertThat(fieldNames(repository)).contains("repository", "repositoryArn", "role", "compliant", "findings", "fix");
            assertThat(repository.path("compliant").asBoolean()).isEqualTo(repository.path("findings").isEmpty());
        }

        JsonNode payments = repositories.get(0);
        assertThat(payments.path("repositoryArn").asText()).isEqualTo(Snapshots.repositoryArn("payments"));
        assertThat(payments.path("role").asText()).isEqualTo("github-actions-payments");
        assertThat(payments.path("compliant").asBoolean()).isFalse();
        JsonNode orgWide = payments.path("findings").get(0);
        assertThat(fieldNames(orgWide)).contains("code", "severity", "resource", "message", "witness");
        assertThat(orgWide.path("code").asText()).isEqualTo("TRUST_SUB_ORG_WIDE");
        assertThat(orgWide.path("severity").asText()).isEqualTo("HIGH");
        assertThat(orgWide.path("resource").asText()).isEqualTo(Snapshots.roleArn("github-actions-payments"));
        assertThat(orgWide.path("message").asText()).contains("repo:acme/*");
        assertThat(orgWide.path("witness").path("sub").asText()).startsWith("repo:acme/").doesNotStartWith("repo:acme/payments:");
        assertThat(payments.path("fix").path("trust").path("action").asText()).isEqualTo("replace");

        JsonNode worker = repositories.get(2);
        assertThat(worker.path("findings")).extracting(f -> f.path("code").asText()).containsExactly("ROLE_MISSING");
        assertThat(worker.path("findings").get(0).path("witness").isNull()).as("a missing role has no witness").isTrue();
        assertThat(worker.path("fix").path("createRole").path("roleName").asText()).isEqualTo("github-actions-worker");

        assertThat(report.path("orphanRoles")).singleElement().satisfies(o -> {
            assertThat(o.path("roleName").asText()).isEqualTo("github-actions-retired");
            assertThat(o.path("expectedRepository").asText()).isEqualTo("retired");
        });
        JsonNode summary = report.path("summary");
        assertThat(summary.path("repositories").asInt()).isEqualTo(3);
        assertThat(summary.path("compliant").asInt()).isEqualTo(1);
        assertThat(summary.path("nonCompliant").asInt()).isEqualTo(2);
        assertThat(summary.path("findings").asInt()).isEqualTo(2);
        assertThat(summary.path("orphanRoles").asInt()).isEqualTo(1);
    }

    @Test
    void exit_2_without_github_org() throws Exception {
        Path snapshot = compliantSnapshot();
        for (Map<String, String> env : List.of(Map.<String, String>of(), Map.of("GITHUB_ORG", "  "))) {
            Run run = run(env, "analyze", "--snapshot", snapshot.toString());
            assertThat(run.exit()).isEqualTo(2);
            assertThat(run.out()).isEmpty();
            assertThat(run.err()).startsWith("ecr-oidc-guard: GITHUB_ORG is not set");
        }
        Run invalid = run(Map.of("GITHUB_ORG", "acme/corp"), "analyze", "--snapshot", snapshot.toString());
        assertThat(invalid.exit()).isEqualTo(2);
        assertThat(invalid.err()).contains("GITHUB_ORG='acme/corp' is not a GitHub owner name");
    }

    @Test
    void exit_2_with_a_bad_role_name_template() throws Exception {
        Path snapshot = compliantSnapshot();
        List<String[]> cases = List.of(
                new String[]{"ci-role", "must contain {repository} exactly once"},
                new String[]{"{repository}-{repository}", "must contain {repository} exactly once"},
                new String[]{"ci/{repository}", "has characters IAM role names cannot contain"});
        for (String[] c : cases) {
            Run run = run(Map.of("GITHUB_ORG", "acme", "ROLE_NAME_TEMPLATE", c[0]), "analyze", "--snapshot", snapshot.toString());
            assertThat(run.exit()).as(c[0]).isEqualTo(2);
            assertThat(run.out()).isEmpty();
            assertThat(run.err()).contains("ROLE_NAME_TEMPLATE='" + c[0] + "'").contains(c[1]);
        }
    }

    @Test
    void a_custom_role_name_template_is_honoured() throws Exception {
        Path snapshot = write("custom.json", Snapshots.account()
                .role("ci-web-api-push", Doc.encoded(Snapshots.canonicalTrust("web-api")),
                        Map.of("p", Doc.encoded(Snapshots.canonicalPermissions("web-api"))), List.of())
                .repository("web-api").json());
        Run run = run(Map.of("GITHUB_ORG", "acme", "ROLE_NAME_TEMPLATE", "ci-{repository}-push"), "analyze", "--snapshot",
                snapshot.toString());
        assertThat(run.exit()).isZero();
        assertThat(run.report().path("repositories").get(0).path("role").asText()).isEqualTo("ci-web-api-push");
    }

    @Test
    void exit_2_when_the_snapshot_cannot_be_read() throws Exception {
        Path missing = dir.resolve("no-such-file.json");
        Run run = run(ENV, "analyze", "--snapshot", missing.toString());
        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.out()).isEmpty();
        assertThat(run.err()).startsWith("ecr-oidc-guard: cannot read snapshot " + missing);

        Run directory = run(ENV, "analyze", "--snapshot", dir.toString());
        assertThat(directory.exit()).isEqualTo(2);
        assertThat(directory.err()).startsWith("ecr-oidc-guard: cannot read snapshot " + dir);
    }

    @Test
    void exit_2_when_the_snapshot_is_not_valid() throws Exception {
        List<String[]> cases = new ArrayList<>();
        cases.add(new String[]{"{\"accountId\": \"123456789012\",", "snapshot is not valid JSON"});
        cases.add(new String[]{"[]", "snapshot must be a JSON object"});
        cases.add(new String[]{"{\"accountId\":\"12345\",\"region\":\"us-east-1\",\"iam\":{}}", "accountId must be 12 digits, got '12345'"});
        cases.add(new String[]{"{\"accountId\":\"123456789012\",\"iam\":{}}", "missing or empty 'region'"});
        for (String[] c : cases) {
            Path file = write("bad.json", c[0]);
            Run run = run(ENV, "analyze", "--snapshot", file.toString());
            assertThat(run.exit()).as(c[0]).isEqualTo(2);
            assertThat(run.out()).isEmpty();
            assertThat(run.err()).startsWith("ecr-oidc-guard: " + file + ": ").contains(c[1]);
        }
    }

    @Test
    void exit_2_on_usage_errors() {
        Run none = run(ENV);
        assertThat(none.exit()).isEqualTo(2);
        assertThat(none.err()).contains("usage: ecr-oidc-guard analyze --snapshot FILE");

        Run noFile = run(ENV, "analyze", "--snapshot");
        assertThat(noFile.exit()).isEqualTo(2);
        assertThat(noFile.err()).contains("expected --snapshot FILE");

        Run unknown = run(ENV, "analyse", "--snapshot", "x.json");
        assertThat(unknown.exit()).isEqualTo(2);
        assertThat(unknown.err()).contains("unknown command 'analyse'");

        Run help = run(ENV, "--help");
        assertThat(help.exit()).isZero();
        assertThat(help.out()).contains("Exit status: 0 all compliant, 1 findings, 2 bad input or configuration, 3 internal error.");
    }

    /** Issue 12: a crash (here the heap running out while reading the configuration) is exit 3, never 1 ("findings"). */
    @Test
    void exit_3_when_the_tool_itself_fails() throws Exception {
        Path file = compliantSnapshot();
        Map<String, String> exhausted = new java.util.AbstractMap<>() {
            @Override
            public java.util.Set<Entry<String, String>> entrySet() {
                throw new OutOfMemoryError("Java heap space");
            }

            @Override
            public String get(Object key) {
                throw new OutOfMemoryError("Java heap space");
            }
        };
        Run run = run(exhausted, "analyze", "--snapshot", file.toString());
        assertThat(run.exit()).isEqualTo(3);
        assertThat(run.out()).isEmpty();
        assertThat(run.err()).contains("internal error, no result").contains("OutOfMemoryError");
    }

    /**
     * Issue 12: a 171-character repository policy ({@code ArnLike aws:PrincipalArn} = {@code arn:aws:iam::*a} and 18
     * {@code ?}) exhausted the heap, and the CLI exited 1 with nothing on stdout. Now: a report, with that document
     * over budget and the other repository evaluated.
     */
    @Test
    void a_pathological_repository_policy_is_a_finding_and_the_others_are_reported() throws Exception {
        String policy = ("{'Version':'2012-10-17','Statement':[{'Effect':'Allow','Principal':'*','Action':'ecr:*','Condition':"
                + "{'ArnLike':{'aws:PrincipalArn':'arn:aws:iam::*a" + "?".repeat(18) + "'}}}]}").replace('\'', '"');
        Path file = write("pathological.json", Snapshots.account().canonicalRole("web-api").repository("web-api", Doc.string(policy), Map.of())
                .canonicalRole("payments").repository("payments").json());
        Run run = run(ENV, "analyze", "--snapshot", file.toString());
        assertThat(run.exit()).isEqualTo(1);
        JsonNode repositories = run.report().path("repositories");
        assertThat(repositories.get(0).path("repository").asText()).isEqualTo("payments");
        assertThat(repositories.get(0).path("compliant").asBoolean()).isTrue();
        assertThat(repositories.get(1).path("findings")).extracting(f -> f.path("code").asText()).contains("ANALYSIS_BUDGET_EXCEEDED");
    }

    @Test
    void a_bad_document_is_a_finding_not_exit_2() throws Exception {
        Path file = write("malformed.json", Snapshots.account().canonicalRole("web-api").repository("web-api", Doc.string("not json"), Map.of())
                .canonicalRole("payments").repository("payments").json());
        Run run = run(ENV, "analyze", "--snapshot", file.toString());
        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.err()).isEmpty();
        JsonNode repositories = run.report().path("repositories");
        assertThat(repositories.get(1).path("findings")).extracting(f -> f.path("code").asText()).containsExactly("POLICY_MALFORMED");
        assertThat(repositories.get(0).path("compliant").asBoolean()).isTrue();
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
