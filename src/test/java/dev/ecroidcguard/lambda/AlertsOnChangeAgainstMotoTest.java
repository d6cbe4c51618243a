package dev.ecroidcguard.lambda;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ecroidcguard.aws.AccountSeeder;
import dev.ecroidcguard.aws.AwsClients;
import dev.ecroidcguard.aws.HubTables;
import dev.ecroidcguard.aws.DynamoFindingState;
import dev.ecroidcguard.aws.MotoServer;
import dev.ecroidcguard.core.analysis.Baseline;
import dev.ecroidcguard.core.finding.FindingCode;
import dev.ecroidcguard.core.finding.FindingId;
import dev.ecroidcguard.ports.Adapters;
import dev.ecroidcguard.ports.FindingState;
import dev.ecroidcguard.ports.Notification;
import dev.ecroidcguard.testing.MeetingFindingState;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.securityhub.model.AwsSecurityFinding;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * NOTIFY_ON=changes and SECURITY_HUB=on through the real handler and the production adapters against moto: the
 * finding state in a DynamoDB table shaped as template.yaml's, the findings in moto's Security Hub (BatchImportFindings,
 * read back with GetFindings). The same scan twice publishes nothing the second time; a fixed finding is published as
 * resolved and archived in Security Hub; two concurrent scans of the same account publish a new finding once.
 */
@ExtendWith(MotoServer.class)
class AlertsOnChangeAgainstMotoTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final String TABLE = "ecr-oidc-guard-findings";

    private MotoServer.Moto moto;
    private AwsClients clients;
    private AccountSeeder seed;
    private String provider;
    private String topic;
    private final List<List<Notification>> published = Collections.synchronizedList(new ArrayList<>());
    private final List<AwsClients> functionClients = Collections.synchronizedList(new ArrayList<>());
    private final ByteArrayOutputStream functionLog = new ByteArrayOutputStream();

    @BeforeEach
    void account(MotoServer.Moto moto) {
        this.moto = moto;
        clients = moto.clients();
        seed = new AccountSeeder(clients);
        provider = seed.githubProvider();
        topic = clients.sns().createTopic(r -> r.name("ecr-oidc-guard-reports")).topicArn();
        // As template.yaml's FindingStateTable (TemplateFindingStateTest checks the template's side).
        HubTables.findingState(clients.dynamoDb(), TABLE);
        clients.securityHub().enableSecurityHub(r -> r.enableDefaultStandards(false));
    }

    @AfterEach
    void close() {
        clients.close();
        functionClients.forEach(AwsClients::close);
    }


    /** The handler with the production wiring on moto clients; only the notifier is wrapped to count what is published. */
    private ScanHandler handler() {
        Map<String, String> env = new HashMap<>(Map.of("GITHUB_ORG", AccountSeeder.ORG, "SNS_TOPIC_ARN", topic, "AWS_REGION",
                MotoServer.REGION.id(), "NOTIFY_ON", "changes", "FINDING_STATE_TABLE", TABLE, "SECURITY_HUB", "on"));
        return new ScanHandler(env, () -> config -> {
            AwsClients c = moto.clients();
            functionClients.add(c);
            Adapters aws = ScanHandler.awsAdapters(config, c);
            return new Adapters(aws.inventory(), parts -> {
                published.add(parts);
                aws.notifier().publish(parts);
            }, aws.writer(), aws.ownership(), aws.apiCalls(), aws.findingState(), aws.findingsHub(), aws.reportArchive());
        }, new PrintStream(functionLog, true, StandardCharsets.UTF_8), InstantSource.system());
    }

    /** The function's WARN notes logged so far. */
    private List<String> warnings() throws Exception {
        List<String> out = new ArrayList<>();
        for (String line : functionLog.toString(StandardCharsets.UTF_8).split("\n")) {
            JsonNode json = line.isBlank() ? null : JSON.readTree(line);
            if (json != null && json.path("level").asText().equals("WARN") && json.path("type").asText().equals("note")) {
                out.add(json.path("message").asText());
            }
        }
        return out;
    }

    private InvocationResult scheduledScan() throws Exception {
        return handler().handleRequest(EventRoutingTest.event("scheduled.json"), null);
    }

    private static String missingRoleId(String repository) {
        return FindingId.of(MotoServer.ACCOUNT_ID, MotoServer.REGION.id(), repository, FindingCode.ROLE_MISSING, AccountSeeder.roleArn(repository));
    }

    private Map<String, AwsSecurityFinding> securityHub() {
        Map<String, AwsSecurityFinding> byId = new HashMap<>();
        clients.securityHub().getFindingsPaginator(r -> r.maxResults(100)).findings().forEach(f -> byId.put(f.id(), f));
        return byId;
    }

    @Test
    void theSameScanTwicePublishesNothingTheSecondTimeAndAFixedFindingIsResolvedAndArchived() throws Exception {
        seed.compliant("app", Map.of(), provider);
        seed.repository("web", Map.of());

        InvocationResult first = scheduledScan();

        assertThat(first.findings()).isEqualTo(1);
        assertThat(first.notificationParts()).isEqualTo(1);
        JsonNode message = JSON.readTree(published.getFirst().getFirst().message());
        assertThat(message.path("default").asText()).contains("New findings:\n- web: ROLE_MISSING (BROKEN)");
        String id = missingRoleId("web");
        assertThat(JSON.readTree(message.path("sqs").asText()).path("newFindings").get(0).path("findingId").asText()).isEqualTo(id);
        AwsSecurityFinding active = securityHub().get(id);
        assertThat(active).isNotNull();
        assertThat(active.recordStateAsString()).isEqualTo("ACTIVE");
        assertThat(active.compliance().statusAsString()).isEqualTo("FAILED");
        assertThat(active.awsAccountId()).isEqualTo(MotoServer.ACCOUNT_ID);
        assertThat(active.productArn()).isEqualTo("arn:aws:securityhub:us-east-1:" + MotoServer.ACCOUNT_ID + ":product/"
                + MotoServer.ACCOUNT_ID + "/default");
        assertThat(active.severity().label().toString()).isEqualTo("LOW");
        assertThat(active.severity().original()).isEqualTo("BROKEN");
        assertThat(active.resources()).extracting(r -> r.type() + " " + r.id())
                .containsExactly("AwsEcrRepository arn:aws:ecr:us-east-1:" + MotoServer.ACCOUNT_ID + ":repository/web",
                        "AwsIamRole " + AccountSeeder.roleArn("web"));
        assertThat(active.description()).startsWith(FindingCode.ROLE_MISSING.summary()).contains("- web: ROLE_MISSING (BROKEN)");
        assertThat(active.remediation().recommendation().text()).contains("'missing-role'");

        InvocationResult second = scheduledScan();

        assertThat(second.findings()).isEqualTo(1);
        assertThat(second.notificationParts()).isZero();
        assertThat(published).hasSize(1);

        // web gets its role: the finding is resolved, told once, archived in Security Hub.
        seed.role(AccountSeeder.roleName("web"), Baseline.trustPolicy(provider, Baseline.GITHUB_ISSUER, AccountSeeder.github("web", Map.of())),
                Map.of());
        seed.inlinePolicy(AccountSeeder.roleName("web"), Baseline.INLINE_POLICY_NAME,
                Baseline.pushPullPolicy("arn:aws:ecr:us-east-1:" + MotoServer.ACCOUNT_ID + ":repository/web"));

        InvocationResult third = scheduledScan();

        assertThat(third.findings()).isZero();
        assertThat(third.notificationParts()).isEqualTo(1);
        JsonNode resolved = JSON.readTree(published.get(1).getFirst().message());
        assertThat(resolved.path("default").asText()).contains("Resolved findings (gone since the last scan):\n- web: ROLE_MISSING (BROKEN)");
        assertThat(JSON.readTree(resolved.path("sqs").asText()).path("resolvedFindings").get(0).path("findingId").asText()).isEqualTo(id);
        AwsSecurityFinding archived = securityHub().get(id);
        assertThat(archived.recordStateAsString()).isEqualTo("ARCHIVED");
        assertThat(archived.compliance().statusAsString()).isEqualTo("PASSED");
        // The workflow update went out (CallsMade records it for PermissionsFromUseTest); moto does not implement
        // BatchUpdateFindings and answers 404: a warning in the log and the report, the scan stands, the archive too.
        assertThat(third.status()).isEqualTo("scanned");
        assertThat(warnings()).singleElement().asString().contains("did not set their workflow to RESOLVED").contains("404");
        assertThat(resolved.path("default").asText()).contains("Warning: Security Hub archived 1 resolved finding(s) but did not set their workflow");
        assertThat(JSON.readTree(resolved.path("sqs").asText()).path("invocation").path("warnings").get(0).asText())
                .contains("did not set their workflow to RESOLVED");

        assertThat(scheduledScan().notificationParts()).isZero();
        assertThat(published).hasSize(2);
    }

    @Test
    void twoConcurrentScansOfTheSameAccountPublishANewFindingOnce() throws Exception {
        seed.repository("web", Map.of());
        // Both scans read the table before either writes: the race PutItem's condition decides.
        CyclicBarrier bothRead = new CyclicBarrier(2);
        List<Integer> parts = Collections.synchronizedList(new ArrayList<>());
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            List<Future<InvocationResult>> scans = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                ScanHandler racing = racingHandler(bothRead);
                scans.add(pool.submit(() -> racing.handleRequest(EventRoutingTest.event("scheduled.json"), null)));
            }
            for (Future<InvocationResult> scan : scans) {
                InvocationResult result = scan.get();
                assertThat(result.findings()).isEqualTo(1);
                parts.add(result.notificationParts());
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(parts).containsExactlyInAnyOrder(0, 1);
        assertThat(published).hasSize(1);
        List<FindingState.Recorded> records = new DynamoFindingState(clients.dynamoDb(), TABLE).recorded(MotoServer.ACCOUNT_ID, MotoServer.REGION.id());
        assertThat(records).singleElement().satisfies(r -> {
            assertThat(r.findingId()).isEqualTo(missingRoleId("web"));
            assertThat(r.revision()).isEqualTo(1);
            assertThat(r.status()).isEqualTo(FindingState.Status.OPEN);
        });
    }

    /** A handler whose finding state waits, after reading, until the other scan has read too. */
    private ScanHandler racingHandler(CyclicBarrier bothRead) {
        Map<String, String> env = new HashMap<>(Map.of("GITHUB_ORG", AccountSeeder.ORG, "SNS_TOPIC_ARN", topic, "AWS_REGION",
                MotoServer.REGION.id(), "NOTIFY_ON", "changes", "FINDING_STATE_TABLE", TABLE));
        return new ScanHandler(env, () -> config -> {
            AwsClients c = moto.clients();
            functionClients.add(c);
            Adapters aws = ScanHandler.awsAdapters(config, c);
            FindingState table = aws.findingState();
            FindingState afterBothRead = new MeetingFindingState(table, bothRead);
            return new Adapters(aws.inventory(), published::add, aws.writer(), aws.ownership(), aws.apiCalls(), afterBothRead, aws.findingsHub(), aws.reportArchive());
        }, new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8), InstantSource.system());
    }
}
