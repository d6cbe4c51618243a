package dev.ecroidcguard.lambda;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ecroidcguard.application.Trigger;
import dev.ecroidcguard.application.organization.AccountWork;
import dev.ecroidcguard.core.GuardConfig.ConfigException;
import dev.ecroidcguard.ports.Adapters;
import dev.ecroidcguard.ports.MemberAccounts;
import dev.ecroidcguard.ports.OrganizationDirectory;
import dev.ecroidcguard.core.ScanScope;
import dev.ecroidcguard.testing.Fakes;
import dev.ecroidcguard.testing.InMemoryRunLedger;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The worker's faults without AWS: an account whose role assumption was throttled is handed back to the queue, one whose
 * role is missing is reported and done, a failing region is reported and the account's other region still scanned;
 * none of them stops the batch. And the configuration: no targets is the single-account function.
 */
class OrganizationHandlerTest {

    static final ObjectMapper MAPPER = new ObjectMapper();
    static final String THROTTLED = "111111111111";
    static final String MISSING = "222222222222";
    static final String HALF = "333333333333";
    static final String FINE = "444444444444";

    final List<String> sent = new ArrayList<>();
    final ByteArrayOutputStream stdout = new ByteArrayOutputStream();
    final Fakes.RecordingNotifier notifier = new Fakes.RecordingNotifier();
    final InMemoryRunLedger ledger = new InMemoryRunLedger();
    /** The member accounts whose session (clients) was closed, once per scan of the account. */
    final List<String> closed = new ArrayList<>();

    MemberAccounts members() {
        return account -> switch (account) {
            case THROTTLED -> throw new MemberAccounts.Unreachable("role could not be assumed: Throttling (Rate exceeded)", true);
            case MISSING -> throw new MemberAccounts.Unreachable("role could not be assumed: AccessDenied (not authorized)", false);
            default -> new MemberAccounts.Member() {
                @Override
                public Adapters adapters(String region) {
                    if (account.equals(HALF) && region.equals("eu-west-1")) {
                        throw new IllegalStateException("ECR is not reachable in eu-west-1 (UnrecognizedClientException)");
                    }
                    return new Fakes.FakeInventory(Fakes.smallAccount(), List.of()).readOnly(notifier);
                }

                @Override
                public void close() {
                    closed.add(account);
                }
            };
        };
    }

    OrganizationHandler handler(Map<String, String> overrides) {
        Map<String, String> env = new HashMap<>(Map.of("GITHUB_ORG", "AcmeCorp", "SNS_TOPIC_ARN", "arn:aws:sns:us-east-1:123456789012:t",
                "AWS_REGION", "us-east-1", "WORK_QUEUE_URL", "https://sqs.us-east-1.amazonaws.com/123456789012/work", "RUN_TABLE", "runs",
                "TARGET_ACCOUNTS", String.join(",", THROTTLED, MISSING, HALF, FINE), "TARGET_REGIONS", "us-east-1,eu-west-1"));
        env.putAll(overrides);
        OrganizationDirectory none = new OrganizationDirectory() {
            @Override
            public List<String> activeAccounts() {
                throw new AssertionError("Organizations is not a source here");
            }

            @Override
            public List<String> activeAccountsUnder(List<String> organizationalUnitIds) {
                throw new AssertionError("Organizations is not a source here");
            }
        };
        return new OrganizationHandler(env, (config, organization) -> new OrganizationHandler.Wiring(members(), none, sent::add, ledger, notifier),
                new PrintStream(stdout, true, StandardCharsets.UTF_8), InstantSource.system());
    }

    JsonNode invoke(OrganizationHandler handler, String event) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        handler.handleRequest(new ByteArrayInputStream(event.getBytes(StandardCharsets.UTF_8)), out, null);
        return MAPPER.readTree(out.toByteArray());
    }

    @Test
    void aFailingAccountNeverBlocksTheOthersAndOnlyRetryableOnesAreHandedBack() throws Exception {
        OrganizationHandler handler = handler(Map.of());
        JsonNode enqueued = invoke(handler, java.nio.file.Files.readString(java.nio.file.Path.of("events", "scheduled.json")));
        assertThat(sent).hasSize(4);
        assertThat(enqueued.get("accounts")).hasSize(4);

        ObjectNode event = MAPPER.createObjectNode();
        ArrayNode records = event.putArray("Records");
        for (int i = 0; i < sent.size(); i++) {
            records.addObject().put("messageId", "m" + i).put("body", sent.get(i));
        }
        records.addObject().put("messageId", "foreign").put("body", "{\"accountId\":\"12\"}");
        JsonNode response = invoke(handler, event.toString());
        List<String> failed = new ArrayList<>();
        response.get("batchItemFailures").forEach(f -> failed.add(f.get("itemIdentifier").asText()));
        assertThat(failed).containsExactlyInAnyOrder("m" + accountIndex(THROTTLED), "foreign");
        assertThat(closed).as("every account opened is closed after its scan, also one whose region failed").containsExactlyInAnyOrder(HALF, FINE);

        Map<String, JsonNode> metrics = new HashMap<>();
        lines("metrics").forEach(m -> metrics.put(m.get("AccountId").asText(), m));
        assertThat(metrics).containsOnlyKeys(THROTTLED, MISSING, HALF, FINE);
        assertThat(metrics.get(MISSING).get("AccountNotEvaluated").asInt()).isEqualTo(1);
        assertThat(metrics.get(THROTTLED).get("AccountNotEvaluated").asInt()).isEqualTo(1);
        assertThat(metrics.get(HALF).get("NotEvaluated").asInt()).as("the failing region").isEqualTo(1);
        assertThat(metrics.get(HALF).get("Repositories").asInt()).as("the other region, scanned").isEqualTo(2);
        assertThat(metrics.get(FINE).get("Repositories").asInt()).isEqualTo(4);
        // smallAccount: web has no role (ROLE_MISSING, BROKEN) in each of the two regions.
        assertThat(metrics.get(FINE).get("FindingsBroken").asInt()).isEqualTo(2);
        assertThat(metrics.get(FINE).get("Findings").asInt()).isEqualTo(metrics.get(FINE).get("FindingsBroken").asInt()
                + metrics.get(FINE).get("FindingsCritical").asInt() + metrics.get(FINE).get("FindingsHigh").asInt()
                + metrics.get(FINE).get("FindingsMedium").asInt() + metrics.get(FINE).get("FindingsLow").asInt());

        assertThat(lines("note")).extracting(n -> n.get("message").asText())
                .anySatisfy(m -> assertThat(m).isEqualTo("account " + MISSING + " not evaluated: role could not be assumed: AccessDenied (not authorized)"))
                .anySatisfy(m -> assertThat(m).startsWith("account " + HALF + " region eu-west-1 not evaluated: IllegalStateException: ECR is not reachable"))
                .anySatisfy(m -> assertThat(m).startsWith("message foreign failed: java.lang.IllegalArgumentException: accountId '12'"));
    }

    /**
     * A scheduled run publishes one roll-up, when its last unit is in: not while a throttled account is handed back,
     * not for a duplicate delivery (which counts nothing), and not again after it. On its last delivery (the queue's
     * maxReceiveCount) the throttled account is recorded as not evaluated, with why, so the run finishes.
     */
    @Test
    void aRunPublishesOneRollUpWhenItsLastUnitIsInAndADuplicateCountsNothing() throws Exception {
        OrganizationHandler handler = handler(Map.of());
        invoke(handler, java.nio.file.Files.readString(java.nio.file.Path.of("events", "scheduled.json")));
        assertThat(failed(invoke(handler, batch(1, sent.toArray(String[]::new))))).containsExactly("m" + accountIndex(THROTTLED));
        assertThat(notifier.publishes).as("the throttled account is still pending").isEmpty();
        assertThat(failed(invoke(handler, batch(1, sent.get(accountIndex(FINE)))))).isEmpty();
        assertThat(notifier.publishes).as("a duplicate counts nothing").isEmpty();

        assertThat(failed(invoke(handler, batch(3, sent.get(accountIndex(THROTTLED)))))).as("recorded, not handed back to the DLQ").isEmpty();
        assertThat(notifier.publishes).singleElement().satisfies(parts -> assertThat(parts).singleElement().satisfies(rollUp -> {
            assertThat(rollUp.attributes()).containsEntry("kind", "rollup").containsEntry("part", "1").containsEntry("accountCount", "4")
                    .containsEntry("accountsNotEvaluated", "2").containsEntry("findingCount", "3").containsEntry("severity", "BROKEN");
            JsonNode message = MAPPER.readTree(rollUp.message());
            String text = message.get("default").asText();
            assertThat(text).contains("4 accounts (2 evaluated, 2 not evaluated), 6 repositories")
                    .contains("- " + MISSING + ": not evaluated: role could not be assumed: AccessDenied")
                    .contains("- " + THROTTLED + ": not evaluated: role could not be assumed: Throttling (Rate exceeded); still so on the "
                            + "message's last delivery (3 of 3)")
                    .contains("region eu-west-1 not evaluated: IllegalStateException: ECR is not reachable")
                    .contains("- " + FINE + " us-east-1 web: ROLE_MISSING (BROKEN)"); // the fake's snapshot says us-east-1 in both regions
            JsonNode json = MAPPER.readTree(message.get("sqs").asText());
            assertThat(json.get("summary").get("accounts").asInt()).isEqualTo(4);
            assertThat(json.get("summary").get("repositories").asInt()).isEqualTo(6);
            assertThat(json.get("newFindings")).extracting(f -> f.get("accountId").asText()).containsExactly(HALF, FINE, FINE);
            assertThat(json.get("accounts")).extracting(a -> a.get("accountId").asText()).containsExactly(THROTTLED, MISSING, HALF, FINE);
        }));
        assertThat(failed(invoke(handler, batch(2, sent.get(accountIndex(FINE)))))).isEmpty();
        assertThat(notifier.publishes).as("a run is rolled up once").hasSize(1);
    }

    private String batch(int receiveCount, String... bodies) {
        ObjectNode event = MAPPER.createObjectNode();
        ArrayNode records = event.putArray("Records");
        for (String body : bodies) {
            records.addObject().put("messageId", "m" + sent.indexOf(body)).put("body", body).putObject("attributes")
                    .put("ApproximateReceiveCount", Integer.toString(receiveCount));
        }
        return event.toString();
    }

    private static List<String> failed(JsonNode response) {
        List<String> failed = new ArrayList<>();
        response.get("batchItemFailures").forEach(f -> failed.add(f.get("itemIdentifier").asText()));
        return failed;
    }

    /** Once the invocation's time is short, the remaining messages are handed back unscanned, not audited in part. */
    @Test
    void messagesNotStartedForLackOfTimeAreHandedBack() throws Exception {
        OrganizationHandler handler = handler(Map.of());
        invoke(handler, java.nio.file.Files.readString(java.nio.file.Path.of("events", "scheduled.json")));
        ObjectNode event = MAPPER.createObjectNode();
        ArrayNode records = event.putArray("Records");
        for (int i = 0; i < sent.size(); i++) {
            records.addObject().put("messageId", "m" + i).put("body", sent.get(i));
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        handler.handleRequest(new ByteArrayInputStream(event.toString().getBytes(StandardCharsets.UTF_8)), out,
                ScanHandlerTest.context("req-1", 300_000, 10));
        List<String> failed = new ArrayList<>();
        MAPPER.readTree(out.toByteArray()).get("batchItemFailures").forEach(f -> failed.add(f.get("itemIdentifier").asText()));
        assertThat(failed).containsExactly("m0", "m1", "m2", "m3");
        assertThat(lines("metrics")).isEmpty();
        assertThat(notifier.publishes).isEmpty();
        assertThat(lines("note")).filteredOn(n -> n.get("message").asText().contains("handed back unscanned")).hasSize(4)
                .allSatisfy(n -> assertThat(n.get("requestId").asText()).isEqualTo("req-1"));
    }

    private int accountIndex(String account) {
        for (int i = 0; i < sent.size(); i++) {
            if (AccountWork.fromJson(sent.get(i)).accountId().equals(account)) {
                return i;
            }
        }
        throw new AssertionError(account + " not sent");
    }

    @Test
    void theWorkRoundTripsThroughTheMessageBody() {
        AccountWork work = new AccountWork(FINE, List.of("us-east-1", "eu-west-1"), List.of("payments"), Optional.empty(), Optional.empty(),
                new Trigger("cloudtrail", "ecr:CreateRepository", "e-1", "arn:aws:sts::444444444444:assumed-role/Admin/mary"));
        assertThat(AccountWork.fromJson(work.toJson())).isEqualTo(work);
        AccountWork scheduled = new AccountWork(FINE, List.of("us-east-1", "eu-west-1"), List.of(), Optional.empty(), Optional.of("run-1"),
                new Trigger("schedule", EventRouting.SCHEDULED, "run-1"));
        AccountWork chunk = scheduled.chunk("eu-west-1", 2, 3, new ScanScope.NameRange(Optional.of("b"), Optional.of("m")));
        assertThat(AccountWork.fromJson(chunk.toJson())).isEqualTo(chunk);
        assertThat(chunk.unitId()).isEqualTo(FINE + "/eu-west-1/chunk-2-of-3");
        assertThat(chunk.scope().covers("b")).isTrue();
        assertThat(chunk.scope().covers("lz")).isTrue();
        assertThat(chunk.scope().covers("m")).isFalse();
        assertThat(chunk.scope().covers("a")).isFalse();
        AccountWork last = scheduled.chunk("eu-west-1", 3, 3, new ScanScope.NameRange(Optional.of("m"), Optional.empty()));
        assertThat(AccountWork.fromJson(last.toJson())).isEqualTo(last);
        assertThat(last.scope().covers("zzz")).isTrue();
        assertThatThrownBy(() -> AccountWork.fromJson("[]")).hasMessageContaining("not a JSON object");
        assertThatThrownBy(() -> AccountWork.fromJson("{\"accountId\":\"" + FINE + "\",\"regions\":[\"mars-1\"]}")).hasMessageContaining("regions");
    }

    @Test
    void noTargetsIsTheSingleAccountFunctionAndBadTargetsNameTheVariable() throws Exception {
        assertThat(OrganizationConfig.fromEnvironment(Map.of(), "us-east-1")).isEmpty();
        assertThat(OrganizationConfig.fromEnvironment(Map.of("TARGET_ACCOUNTS", " ", "TARGET_ORGANIZATION", ""), "us-east-1")).isEmpty();
        OrganizationConfig config = OrganizationConfig.fromEnvironment(Map.of("TARGET_ORGANIZATION", "all", "WORK_QUEUE_URL", "q", "RUN_TABLE", "runs"), "eu-west-1").orElseThrow();
        assertThat(config.targets().regions()).containsExactly("eu-west-1");
        assertThat(config.memberRoleName()).isEqualTo(OrganizationConfig.DEFAULT_MEMBER_ROLE_NAME);
        assertThat(config.externalId()).isEmpty();
        assertThat(config.targets().organization()).contains(new dev.ecroidcguard.application.organization.Targets.OrganizationScope(List.of()));
        assertThat(OrganizationConfig.fromEnvironment(Map.of("TARGET_ORGANIZATION", "ou-ab12-cdefgh34,r-ab12", "WORK_QUEUE_URL", "q",
                "MEMBER_EXTERNAL_ID", "x", "RUN_TABLE", "runs"), "eu-west-1").orElseThrow().externalId()).contains("x");
        assertThatThrownBy(() -> OrganizationConfig.fromEnvironment(Map.of("TARGET_ACCOUNTS", "1234", "WORK_QUEUE_URL", "q"), "us-east-1"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("TARGET_ACCOUNTS");
        assertThatThrownBy(() -> OrganizationConfig.fromEnvironment(Map.of("TARGET_ORGANIZATION", "workloads", "WORK_QUEUE_URL", "q"), "us-east-1"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("TARGET_ORGANIZATION");
        assertThatThrownBy(() -> OrganizationConfig.fromEnvironment(Map.of("TARGET_ACCOUNTS", FINE), "us-east-1"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("WORK_QUEUE_URL");
        assertThat(config.repositoriesPerInvocation()).isEqualTo(OrganizationConfig.DEFAULT_REPOSITORIES_PER_INVOCATION);
        assertThat(config.maxReceives()).isEqualTo(3);
        assertThatThrownBy(() -> OrganizationConfig.fromEnvironment(Map.of("TARGET_ACCOUNTS", FINE, "WORK_QUEUE_URL", "q"), "us-east-1"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("RUN_TABLE");
        assertThatThrownBy(() -> OrganizationConfig.fromEnvironment(Map.of("TARGET_ACCOUNTS", FINE, "WORK_QUEUE_URL", "q", "RUN_TABLE", "runs",
                "REPOSITORIES_PER_INVOCATION", "0"), "us-east-1")).isInstanceOf(ConfigException.class).hasMessageContaining("REPOSITORIES_PER_INVOCATION");
        assertThatThrownBy(() -> handler(Map.of("TARGET_ACCOUNTS", "", "TARGET_REGIONS", "")).handleRequest(
                new ByteArrayInputStream("{}".getBytes(StandardCharsets.UTF_8)), new ByteArrayOutputStream(), null))
                .isInstanceOf(ScanHandler.ConfigurationError.class).hasMessageContaining("TARGET_ACCOUNTS");
    }

    private List<JsonNode> lines(String type) {
        return stdout.toString(StandardCharsets.UTF_8).lines().map(l -> {
            try {
                return MAPPER.readTree(l);
            } catch (Exception e) {
                throw new AssertionError(l, e);
            }
        }).filter(l -> type.equals(l.path("type").asText())).toList();
    }
}
