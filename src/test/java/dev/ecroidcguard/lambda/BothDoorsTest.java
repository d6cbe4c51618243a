package dev.ecroidcguard.lambda;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ecroidcguard.cli.Main;
import dev.ecroidcguard.core.inventory.SnapshotParser;
import dev.ecroidcguard.testing.Fakes.FakeInventory;
import dev.ecroidcguard.testing.Fakes.RecordingNotifier;
import dev.ecroidcguard.testing.Snapshots.Doc;
import dev.ecroidcguard.testing.Snapshots;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Lambda and the CLI are two doors to one scan: for the same account and the same configuration they give the
 * same report, including what the ignore tag takes out of it.
 */
class BothDoorsTest {

    static final ObjectMapper MAPPER = new ObjectMapper();

    @TempDir
    Path dir;

    /** Compliant web-api, a wildcard trust on payments, worker without a role, an orphan role, and legacy tagged to be ignored. */
    static String account() {
        return Snapshots.account().canonicalRole("web-api").repository("web-api")
                .role("github-actions-payments", Doc.encoded(Snapshots.trust("repo:acme/*")),
                        Map.of("ecr-push-pull", Doc.encoded(Snapshots.canonicalPermissions("payments"))), List.of())
                .repository("payments")
                .repository("worker")
                .repository("legacy", null, Map.of("ecr-oidc-guard:ignore", "true"))
                .role("github-actions-retired", Doc.encoded(Snapshots.canonicalTrust("retired")), Map.of(), List.of())
                .json();
    }

    @Test
    void theLambdaAndTheCliGiveTheSameReportForTheSameSnapshot() throws Exception {
        String snapshot = account();
        Path file = Files.writeString(dir.resolve("account.json"), snapshot);
        Map<String, String> env = FunctionConfigTest.env("GITHUB_ORG", "acme", "NOTIFY_ON", "always");

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = Main.run(List.of("analyze", "--snapshot", file.toString()), env, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        JsonNode cli = MAPPER.readTree(out.toString(StandardCharsets.UTF_8));

        FakeInventory inventory = new FakeInventory(SnapshotParser.parse(snapshot), List.of());
        RecordingNotifier notifier = new RecordingNotifier();
        InvocationResult result = new ScanHandler(env, () -> config -> inventory.readOnly(notifier),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8), InstantSource.system())
                .handleRequest(EventRoutingTest.event("scheduled.json"), null);
        ObjectNode lambda = (ObjectNode) MAPPER.readTree(MAPPER.readTree(notifier.publishes.get(0).get(0).message()).get("sqs").asText());

        // The notification wraps the report in what only a function invocation has; the rest is the report.
        List<String> wrapper = new ArrayList<>();
        for (String key : List.of("invocation", "part", "compliantRepositoriesListed", "changes", "suppressed")) {
            if (lambda.remove(key) != null) {
                wrapper.add(key);
            }
        }
        assertThat(wrapper).containsExactly("invocation", "part", "compliantRepositoriesListed", "changes", "suppressed");
        // The notification lists the repositories with findings; compliant ones are in the summary's counts only.
        ObjectNode cliWithFindings = cli.deepCopy();
        ArrayNode nonCompliant = cliWithFindings.putArray("repositories");
        cli.get("repositories").forEach(r -> {
            if (!r.get("compliant").asBoolean()) {
                nonCompliant.add(r);
            }
        });
        assertThat(lambda).isEqualTo(cliWithFindings);

        // Not vacuous: findings, an orphan, and the ignored repository out of both.
        assertThat(exit).isEqualTo(1);
        assertThat(cli.get("repositories")).extracting(r -> r.get("repository").asText()).containsExactly("payments", "web-api", "worker");
        assertThat(cli.get("summary").get("findings").asInt()).isEqualTo(result.findings()).isPositive();
        assertThat(cli.get("orphanRoles")).singleElement().satisfies(o -> assertThat(o.get("roleName").asText()).isEqualTo("github-actions-retired"));
        assertThat(result.suppressed()).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("legacy not audited: tagged ecr-oidc-guard:ignore=true");
    }
}
