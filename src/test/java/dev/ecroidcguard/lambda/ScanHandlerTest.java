package dev.ecroidcguard.lambda;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.serialization.factories.JacksonFactory;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ecroidcguard.aws.AwsAccountWriter;
import dev.ecroidcguard.aws.AwsClients;
import dev.ecroidcguard.aws.CloudFormationOwnership;
import dev.ecroidcguard.aws.StackIndexOwnership;
import dev.ecroidcguard.core.ScanScope;
import dev.ecroidcguard.core.report.AccountReport;
import dev.ecroidcguard.ports.AccountWriter;
import dev.ecroidcguard.ports.Adapters;
import dev.ecroidcguard.ports.Notification;
import dev.ecroidcguard.ports.Ownership;
import dev.ecroidcguard.testing.Fakes.FakeInventory;
import dev.ecroidcguard.testing.Fakes.RecordingNotifier;
import dev.ecroidcguard.testing.Fakes;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider;
import software.amazon.awssdk.regions.Region;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.reflect.Proxy;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ScanHandlerTest {

    static final ObjectMapper MAPPER = new ObjectMapper();

    final FakeInventory inventory = new FakeInventory(Fakes.smallAccount(), List.of());
    final RecordingNotifier notifier = new RecordingNotifier();
    final ByteArrayOutputStream stdout = new ByteArrayOutputStream();
    final AtomicInteger factoryCalls = new AtomicInteger();
    /** Every reading of the clock moves it 20 ms, so durations are non-zero and repeatable. */
    final InstantSource clock = new InstantSource() {
        long ticks;

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(1_000 + 20 * ticks++);
        }
    };

    ScanHandler handler(Map<String, String> env) {
        return new ScanHandler(env, () -> config -> {
            factoryCalls.incrementAndGet();
            return inventory.readOnly(notifier);
        }, new PrintStream(stdout, true, StandardCharsets.UTF_8), clock);
    }

    List<JsonNode> logLines() throws Exception {
        String[] lines = stdout.toString(StandardCharsets.UTF_8).split("\n");
        return Arrays.stream(lines).filter(l -> !l.isBlank()).map(l -> {
            try {
                return MAPPER.readTree(l);
            } catch (Exception e) {
                throw new AssertionError("not a JSON log line: " + l, e);
            }
        }).toList();
    }

    @Test
    void scheduledEventScansTheAccountAndPublishesOneNotification() throws Exception {
        InvocationResult result = handler(FunctionConfigTest.env()).handleRequest(EventRoutingTest.event("scheduled.json"), null);

        assertThat(inventory.reads).containsExactly(new ScanScope.WholeAccount());
        assertThat(result.status()).isEqualTo("scanned");
        assertThat(result.trigger()).isEqualTo("schedule");
        assertThat(result.repositories()).isEqualTo(2);
        assertThat(result.orphanRoles()).isEqualTo(1);
        assertThat(result.notificationParts()).isEqualTo(1);
        // One figure from the one count, in the result, the report and the summary line: the reads of the account.
        assertThat(result.apiCalls()).isEqualTo(1 + 1 + 2);

        assertThat(notifier.publishes).hasSize(1);
        assertThat(notifier.publishes.get(0)).hasSize(1);
        Notification n = notifier.publishes.get(0).get(0);
        assertThat(n.attributes()).containsEntry("severity", result.highestSeverity())
                .containsEntry("findingCount", Integer.toString(result.findings()))
                .containsEntry("account", "123456789012").containsEntry("region", "us-east-1");

        JsonNode message = MAPPER.readTree(n.message());
        assertThat(message.get("default").asText()).contains("- web: ROLE_MISSING (BROKEN)", "- github-actions-gone: repository gone does not exist");
        JsonNode report = MAPPER.readTree(message.get("sqs").asText());
        assertThat(message.get("lambda").asText()).isEqualTo(message.get("sqs").asText()).isEqualTo(message.get("https").asText());
        assertThat(report.get("invocation").get("trigger").get("type").asText()).isEqualTo("schedule");
        assertThat(report.get("invocation").get("mode").asText()).isEqualTo("report");
        assertThat(report.get("invocation").get("apiCalls").get("total").asInt()).isEqualTo(4);
        assertThat(report.get("invocation").get("durationMs").asLong()).isPositive();
        // Compliant "app" is counted, not listed: the message grows with the findings.
        assertThat(report.get("repositories")).extracting(r -> r.get("repository").asText()).containsExactly("web");
        assertThat(report.get("summary").get("repositories").asInt()).isEqualTo(2);
        assertThat(report.get("summary").get("compliant").asInt()).isEqualTo(1);

        List<JsonNode> logs = logLines();
        assertThat(logs.stream().filter(l -> l.get("type").asText().equals("finding"))).hasSize(result.findings());
        assertThat(logs.stream().filter(l -> l.get("type").asText().equals("orphanRole"))).hasSize(1);
        JsonNode summary = logs.get(logs.size() - 1);
        assertThat(summary.get("type").asText()).isEqualTo("summary");
        assertThat(summary.get("status").asText()).isEqualTo("scanned");
        assertThat(summary.get("apiCalls").asInt()).isEqualTo(result.apiCalls());
        // Every field of the result, under the name and with the value (as JSON text) databind gives it.
        MAPPER.valueToTree(result).properties().forEach(field -> assertThat(summary.get(field.getKey())).as(field.getKey()).hasToString(field.getValue().toString()));
        assertThat(summary.get("highestSeverity").asText()).isEqualTo(result.highestSeverity()).isNotBlank();
        assertThat(summary.get("reason").isNull()).isTrue();
        assertThat(summary.get("apiCallsByOperation").get("ecr:GetRepositoryPolicy").asInt()).isEqualTo(2);
        assertThat(message.get("default").asText()).contains("mode report, " + result.apiCalls() + " API calls");
    }

    @Test
    void ecrEventScansOnlyThatRepositoryAndItsRole() throws Exception {
        InvocationResult result = handler(FunctionConfigTest.env()).handleRequest(EventRoutingTest.event("ecr-delete-repository.json"), null);

        assertThat(inventory.reads).containsExactly(new ScanScope.Repositories(Set.of("testrepo")));
        // testrepo is not in the account and has no role: the result says so, but that alone is not worth a notification.
        assertThat(result.status()).isEqualTo("scanned");
        assertThat(result.scope()).isEqualTo("repositories testrepo");
        assertThat(result.repositories()).isZero();
        assertThat(result.orphanRoles()).isZero();
        assertThat(result.notFound()).isEqualTo("repository testrepo not found in " + Fakes.ACCOUNT
                + " us-east-1; role github-actions-testrepo not found either");
        assertThat(notifier.publishes).isEmpty();
    }

    @Test
    void anEventAboutARoleWhoseRepositoryIsGoneSaysSoAndListsTheOrphan() throws Exception {
        InvocationResult result = handler(FunctionConfigTest.env()).handleRequest(EventRoutingTest.event("""
                {"version":"0","id":"e-gone","detail-type":"AWS API Call via CloudTrail","source":"aws.iam","account":"123456789012",
                "region":"us-east-1","detail":{"eventSource":"iam.amazonaws.com","eventName":"PutRolePolicy",
                "requestParameters":{"roleName":"github-actions-gone"}}}""", true), null);

        assertThat(result.scope()).isEqualTo("repositories gone");
        assertThat(result.orphanRoles()).isEqualTo(1);
        assertThat(result.notFound()).isEqualTo("repository gone not found in " + Fakes.ACCOUNT
                + " us-east-1 (its role github-actions-gone is listed as an orphan)");
    }

    @Test
    void notifyOnAlwaysPublishesACleanScanToo() throws Exception {
        handler(FunctionConfigTest.env("NOTIFY_ON", "always")).handleRequest(EventRoutingTest.event("ecr-delete-repository.json"), null);

        assertThat(notifier.publishes).hasSize(1);
        assertThat(notifier.publishes.get(0).get(0).attributes()).containsEntry("severity", "NONE").containsEntry("findingCount", "0");
        JsonNode message = MAPPER.readTree(notifier.publishes.get(0).get(0).message());
        assertThat(message.get("default").asText()).contains("Not found: repository testrepo not found in ");
        assertThat(MAPPER.readTree(message.get("sqs").asText()).get("invocation").get("notFound").get(0).asText())
                .startsWith("repository testrepo not found");
    }

    @Test
    void iamEventForARoleOutsideTheTemplateReadsAndWritesNothing() throws Exception {
        InvocationResult result = handler(FunctionConfigTest.env("ROLE_NAME_TEMPLATE", "ci-{repository}"))
                .handleRequest(EventRoutingTest.event("iam-update-assume-role-policy.json"), null);

        assertThat(result.status()).isEqualTo("ignored");
        assertThat(result.reason()).contains("github-actions-deploy");
        assertThat(inventory.reads).isEmpty();
        assertThat(notifier.publishes).isEmpty();
        assertThat(logLines()).singleElement().satisfies(l -> assertThat(l.get("status").asText()).isEqualTo("ignored"));
    }

    @Test
    void malformedEventIsRejectedAndNothingIsPublished() throws Exception {
        InvocationResult result = handler(FunctionConfigTest.env()).handleRequest(
                EventRoutingTest.event("{\"detail-type\":\"AWS API Call via CloudTrail\",\"source\":\"aws.ecr\",\"id\":\"e-1\"}", true), null);

        assertThat(result.status()).isEqualTo("rejected");
        assertThat(result.reason()).contains("no detail.eventName");
        assertThat(inventory.reads).isEmpty();
        assertThat(notifier.publishes).isEmpty();
        assertThat(logLines()).singleElement().satisfies(l -> {
            assertThat(l.get("level").asText()).isEqualTo("ERROR");
            assertThat(l.get("reason").asText()).contains("no detail.eventName");
        });
    }

    @Test
    void badConfigurationFailsEveryInvocationBeforeAnyAwsClientIsBuilt() throws Exception {
        ScanHandler handler = handler(FunctionConfigTest.env("MODE", "fix"));

        assertThatThrownBy(() -> handler.handleRequest(EventRoutingTest.event("scheduled.json"), null))
                .isInstanceOf(ScanHandler.ConfigurationError.class).hasMessageContaining("MODE='fix'");
        assertThat(factoryCalls).hasValue(0);
        assertThat(inventory.reads).isEmpty();
    }

    @Test
    void inventoryFailuresOfSingleRepositoriesAreReportedNotDropped() throws Exception {
        FakeInventory partial = new FakeInventory(Fakes.smallAccount(), List.of(new AccountReport.NotEvaluated("db", "AccessDenied")));
        ScanHandler handler = new ScanHandler(FunctionConfigTest.env(), () -> config -> partial.readOnly(notifier),
                new PrintStream(stdout, true, StandardCharsets.UTF_8), clock);

        InvocationResult result = handler.handleRequest(EventRoutingTest.event("scheduled.json"), null);

        assertThat(result.notEvaluated()).isEqualTo(1);
        assertThat(notifier.publishes.get(0).get(0).message()).contains("db: AccessDenied");
    }

    @Test
    void theRuntimeSerializesTheResult() throws Exception {
        InvocationResult result = handler(FunctionConfigTest.env()).handleRequest(EventRoutingTest.event("scheduled.json"), null);
        ByteArrayOutputStream json = new ByteArrayOutputStream();

        JacksonFactory.getInstance().getSerializer(InvocationResult.class).toJson(result, json);

        JsonNode node = MAPPER.readTree(json.toByteArray());
        assertThat(node.get("status").asText()).isEqualTo("scanned");
        assertThat(node.get("findings").asInt()).isEqualTo(result.findings());
    }

    /** An IAM CloudTrail event about github-actions-web, made by {@code actor}. */
    static com.amazonaws.services.lambda.runtime.events.ScheduledEvent iamEvent(String actor) {
        return EventRoutingTest.event("""
                {"version":"0","id":"e-self","detail-type":"AWS API Call via CloudTrail","source":"aws.iam","account":"123456789012",
                "region":"us-east-1","detail":{"eventSource":"iam.amazonaws.com","eventName":"UpdateAssumeRolePolicy",
                "userIdentity":{"type":"AssumedRole","arn":"%s"},"requestParameters":{"roleName":"github-actions-web"}}}""".formatted(actor), true);
    }

    @Test
    void eventsEchoingTheFunctionsOwnWritesAreAuditedButNeverRemediated() throws Exception {
        List<String> writes = new ArrayList<>();
        dev.ecroidcguard.ports.AccountWriter writer = (dev.ecroidcguard.ports.AccountWriter) Proxy.newProxyInstance(
                getClass().getClassLoader(), new Class<?>[]{dev.ecroidcguard.ports.AccountWriter.class}, (proxy, method, args) -> {
                    writes.add(method.getName() + " " + args[0]);
                    return null;
                });
        Map<String, String> env = FunctionConfigTest.env("MODE", "remediate", "REMEDIATE", "missing-role",
                "AWS_LAMBDA_FUNCTION_NAME", "guard-ScanFunction-AbC", "FUNCTION_ROLE_ARN", "arn:aws:iam::123456789012:role/guard-ScanFunctionRole-X");
        ScanHandler handler = new ScanHandler(env, () -> config -> new Adapters(inventory, notifier, writer,
                Ownership.TAGS_ONLY, inventory.calls), new PrintStream(stdout, true, StandardCharsets.UTF_8), clock);

        InvocationResult self = handler.handleRequest(iamEvent("arn:aws:sts::123456789012:assumed-role/guard-ScanFunctionRole-X/guard-ScanFunction-AbC"), null);

        assertThat(self.status()).isEqualTo("scanned");
        assertThat(self.findings()).isPositive();
        assertThat(writes).isEmpty();
        assertThat(logLines()).anySatisfy(l -> {
            assertThat(l.get("type").asText()).isEqualTo("note");
            assertThat(l.get("message").asText()).contains("this function's own write");
        });

        // Issue 12, problem 6: any role's session may be named after the function; only the function's role is its own.
        handler.handleRequest(iamEvent("arn:aws:sts::123456789012:assumed-role/Admin/guard-ScanFunction-AbC"), null);

        assertThat(writes).startsWith("createRole github-actions-web");
    }

    /**
     * Issue 12, problem 11: a publish that fails after writes were made must not fail the invocation (its retry would
     * re-scan a fixed account and report it clean): the failure is in the result and the log, and so is every write
     * (journaled with its before-documents as it was made) and every change. Without writes, the failure propagates so
     * the asynchronous retry publishes the same report later.
     */
    @Test
    void aPublishFailingAfterWritesKeepsTheChangesOnRecordAndDoesNotFailIntoARetry() throws Exception {
        List<String> writes = new ArrayList<>();
        dev.ecroidcguard.ports.AccountWriter writer = (dev.ecroidcguard.ports.AccountWriter) Proxy.newProxyInstance(
                getClass().getClassLoader(), new Class<?>[]{dev.ecroidcguard.ports.AccountWriter.class}, (proxy, method, args) -> {
                    writes.add(method.getName() + " " + args[0]);
                    return null;
                });
        AtomicInteger publishAttempts = new AtomicInteger();
        dev.ecroidcguard.ports.Notifier failing = parts -> {
            publishAttempts.incrementAndGet();
            throw new IllegalStateException("SNS 500 after retries");
        };
        Map<String, String> env = FunctionConfigTest.env("MODE", "remediate", "REMEDIATE", "missing-role");
        ScanHandler remediating = new ScanHandler(env, () -> config -> new Adapters(inventory, failing, writer, Ownership.TAGS_ONLY,
                inventory.calls), new PrintStream(stdout, true, StandardCharsets.UTF_8), clock);

        InvocationResult result = remediating.handleRequest(EventRoutingTest.event("scheduled.json"), null);

        assertThat(writes).isNotEmpty();
        assertThat(result.status()).isEqualTo("scanned");
        assertThat(result.notificationParts()).isZero();
        assertThat(result.reason()).contains("not published", "SNS 500 after retries", "in the function's log");
        assertThat(publishAttempts).as("published again in rounds before giving up").hasValue(4);
        List<JsonNode> lines = logLines();
        assertThat(lines).filteredOn(l -> l.get("type").asText().equals("write"))
                .anySatisfy(l -> {
                    assertThat(l.get("operation").asText()).startsWith("iam:CreateRole github-actions-");
                    assertThat(l.get("before").get("exists").asBoolean()).isFalse();
                });
        assertThat(lines).filteredOn(l -> l.get("type").asText().equals("change")).isNotEmpty();
        assertThat(lines).anySatisfy(l -> assertThat(l.path("message").asText()).contains("the report was not published"));

        ScanHandler reporting = new ScanHandler(FunctionConfigTest.env(), () -> config -> inventory.readOnly(failing),
                new PrintStream(stdout, true, StandardCharsets.UTF_8), clock);
        assertThatThrownBy(() -> reporting.handleRequest(EventRoutingTest.event("scheduled.json"), null))
                .hasMessageContaining("SNS 500 after retries");
    }

    /** A Lambda context with {@code requestId} whose remaining time is, call by call, {@code remainingMillis} (the last repeats). */
    static Context context(String requestId, long... remainingMillis) {
        AtomicInteger calls = new AtomicInteger();
        return (Context) Proxy.newProxyInstance(ScanHandlerTest.class.getClassLoader(), new Class<?>[]{Context.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "getAwsRequestId" -> requestId;
                    case "getRemainingTimeInMillis" -> (int) remainingMillis[Math.min(calls.getAndIncrement(), remainingMillis.length - 1)];
                    case "getInvokedFunctionArn" -> null;
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }

    @Test
    void reportModeIsWiredWithoutAWriterAndRemediationWithTheLookupItAskedFor() throws Exception {
        try (AwsClients clients = AwsClients.forEndpoint(Region.US_EAST_1,
                URI.create("http://127.0.0.1:9"), AnonymousCredentialsProvider.create())) {
            Adapters report = ScanHandler.awsAdapters(FunctionConfig.fromEnvironment(FunctionConfigTest.env("REMEDIATE", "all")), clients);
            assertThat(report.writer()).isSameAs(AccountWriter.NONE);
            assertThat(report.ownership()).isSameAs(Ownership.TAGS_ONLY);
            assertThat(report.apiCalls()).isSameAs(clients.calls());

            Adapters nothingEnabled = ScanHandler.awsAdapters(FunctionConfig.fromEnvironment(
                    FunctionConfigTest.env("MODE", "remediate", "REMEDIATE", "none")), clients);
            assertThat(nothingEnabled.writer()).isSameAs(AccountWriter.NONE);

            Adapters remediate = ScanHandler.awsAdapters(FunctionConfig.fromEnvironment(
                    FunctionConfigTest.env("MODE", "remediate", "OWNERSHIP_LOOKUP", "stack-index")), clients);
            assertThat(remediate.writer()).isInstanceOf(AwsAccountWriter.class);
            assertThat(remediate.ownership()).isInstanceOf(StackIndexOwnership.class);
            assertThat(ScanHandler.awsAdapters(FunctionConfig.fromEnvironment(FunctionConfigTest.env("MODE", "remediate")), clients).ownership())
                    .isInstanceOf(CloudFormationOwnership.class);
        }
    }

    @Test
    void aShortInvocationKeepsATenthOfItsTimeBack() {
        assertThat(ScanHandler.timeBudget(context("r", 10_000, 1_001)).exhausted()).isEmpty();
        assertThat(ScanHandler.timeBudget(context("r", 10_000, 999)).exhausted()).hasValueSatisfying(why -> assertThat(why).contains("less than 1 s"));
        assertThat(ScanHandler.timeBudget(null).exhausted()).isEmpty();
    }

    @Test
    void everyLogLineCarriesTheRequestId() throws Exception {
        handler(FunctionConfigTest.env()).handleRequest(EventRoutingTest.event("scheduled.json"), context("req-1", 200_000));
        handler(FunctionConfigTest.env()).handleRequest(EventRoutingTest.event("iam-update-assume-role-policy.json"), context("req-2", 200_000));

        List<JsonNode> logs = logLines();
        assertThat(logs).hasSizeGreaterThan(3);
        assertThat(logs).allSatisfy(l -> assertThat(l.get("requestId").asText()).isIn("req-1", "req-2"));
        assertThat(logs).filteredOn(l -> l.get("type").asText().equals("summary")).extracting(l -> l.get("requestId").asText())
                .containsExactly("req-1", "req-2");
    }

    @Test
    void underTheSafetyMarginNoFurtherRepositoryIsStartedAndTheRestIsReportedAndPublished() throws Exception {
        // Started with 300 s (so the margin is the full 30 s); time for "app"; when "web" would start, less than 30 s is left.
        InvocationResult result = handler(FunctionConfigTest.env()).handleRequest(EventRoutingTest.event("scheduled.json"),
                context("req-late", 300_000, 40_000, 29_999));

        assertThat(result.status()).isEqualTo("scanned");
        assertThat(result.repositories()).isEqualTo(1);
        assertThat(result.notEvaluated()).isEqualTo(1);
        assertThat(notifier.publishes).hasSize(1);
        JsonNode report = MAPPER.readTree(MAPPER.readTree(notifier.publishes.get(0).get(0).message()).get("sqs").asText());
        assertThat(report.get("repositories")).as("compliant app: counted, not listed").isEmpty();
        assertThat(report.get("summary").get("compliant").asInt()).isEqualTo(1);
        assertThat(report.get("notEvaluated")).singleElement().satisfies(n -> {
            assertThat(n.get("repository").asText()).isEqualTo("web");
            assertThat(n.get("reason").asText()).contains("not started", "30 s");
        });
        assertThat(logLines()).filteredOn(l -> l.get("type").asText().equals("notEvaluated"))
                .singleElement().satisfies(l -> assertThat(l.get("repository").asText()).isEqualTo("web"));
    }

    @Test
    void underTheSafetyMarginRemediationIsNotStarted() throws Exception {
        List<String> writes = new ArrayList<>();
        AccountWriter writer = (AccountWriter) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[]{AccountWriter.class}, (proxy, method, args) -> {
                    writes.add(method.getName() + " " + args[0]);
                    return null;
                });
        ScanHandler handler = new ScanHandler(FunctionConfigTest.env("MODE", "remediate"), () -> config -> new Adapters(inventory, notifier,
                writer, Ownership.TAGS_ONLY, inventory.calls), new PrintStream(stdout, true, StandardCharsets.UTF_8), clock);

        // Both repositories analysed; then the margin is reached before the first write.
        InvocationResult late = handler.handleRequest(EventRoutingTest.event("scheduled.json"), context("r", 300_000, 30_000, 30_000, 29_999));

        assertThat(late.repositories()).isEqualTo(2);
        assertThat(late.findings()).isPositive();
        assertThat(late.changes()).isZero();
        assertThat(writes).isEmpty();
        assertThat(notifier.publishes).hasSize(1);
        assertThat(logLines()).anySatisfy(l -> {
            assertThat(l.get("type").asText()).isEqualTo("note");
            assertThat(l.get("message").asText()).startsWith("remediation not started: less than 30 s");
        });

        handler.handleRequest(EventRoutingTest.event("scheduled.json"), context("r2", 200_000));

        assertThat(writes).contains("createRole github-actions-web");
    }

    /** A scan of {@code account} with NOTIFY_ON=findings (the default) and its own fakes. */
    private InvocationResult scanWithDefaults(dev.ecroidcguard.core.inventory.AccountSnapshot account) throws Exception {
        FakeInventory inventory = new FakeInventory(account, List.of());
        ScanHandler handler = new ScanHandler(FunctionConfigTest.env(), () -> config -> inventory.readOnly(notifier),
                new PrintStream(stdout, true, StandardCharsets.UTF_8), clock);
        return handler.handleRequest(EventRoutingTest.event("scheduled.json"), null);
    }

    private static dev.ecroidcguard.core.inventory.EcrRepository suppressed(String name, String policy) {
        return new dev.ecroidcguard.core.inventory.EcrRepository(name, "arn:aws:ecr:us-east-1:" + Fakes.ACCOUNT + ":repository/" + name,
                java.util.Optional.ofNullable(policy), Map.of("ecr-oidc-guard:ignore", "true"));
    }

    /**
     * Issue 12, problem 5: the ignore tag, which whoever may tag can set, hid a public repository, and with
     * NOTIFY_ON=findings nothing was sent. Its exposure is still reported (left to a person), its other findings are not.
     */
    @Test
    void suppressionDoesNotHideExposureToThePublicOrOtherAccounts() throws Exception {
        String publicPush = """
                {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":["ecr:PutImage","ecr:BatchGetImage"]}]}""";
        var account = new dev.ecroidcguard.core.inventory.AccountSnapshot(Fakes.ACCOUNT, "us-east-1", "aws", List.of(Fakes.role("app")), Map.of(),
                List.of(new dev.ecroidcguard.core.inventory.OidcProvider(Fakes.PROVIDER, "token.actions.githubusercontent.com",
                        List.of("sts.amazonaws.com"))), List.of(Fakes.repository("app"), suppressed("hidden", publicPush)));

        InvocationResult result = scanWithDefaults(account);

        assertThat(result.suppressed()).isEqualTo(1);
        assertThat(notifier.publishes).hasSize(1);
        JsonNode json = MAPPER.readTree(MAPPER.readTree(notifier.publishes.get(0).get(0).message()).get("sqs").asText());
        JsonNode hidden = null;
        for (JsonNode r : json.get("repositories")) {
            hidden = r.get("repository").asText().equals("hidden") ? r : hidden;
        }
        assertThat(hidden).as("the suppressed public repository is in the report").isNotNull();
        List<String> codes = new java.util.ArrayList<>();
        hidden.get("findings").forEach(f -> codes.add(f.get("code").asText()));
        assertThat(codes).contains("ECR_POLICY_PUBLIC_WRITE").doesNotContain("ROLE_MISSING");
        assertThat(hidden.get("fix").get("needsHuman").asBoolean()).isTrue();
        assertThat(json.get("suppressed")).singleElement().satisfies(x -> assertThat(x.get("repository").asText()).isEqualTo("hidden"));
    }

    /** Issue 12, problem 5: a suppressed repository is something to report even when nothing else is (NOTIFY_ON=findings). */
    @Test
    void aSuppressedRepositoryIsReportedWithNotifyOnFindings() throws Exception {
        var account = new dev.ecroidcguard.core.inventory.AccountSnapshot(Fakes.ACCOUNT, "us-east-1", "aws", List.of(Fakes.role("app")), Map.of(),
                List.of(new dev.ecroidcguard.core.inventory.OidcProvider(Fakes.PROVIDER, "token.actions.githubusercontent.com",
                        List.of("sts.amazonaws.com"))), List.of(Fakes.repository("app"), suppressed("quiet", null)));

        InvocationResult result = scanWithDefaults(account);

        assertThat(result.findings()).as("a suppressed repository without exposure has no findings").isZero();
        assertThat(result.suppressed()).isEqualTo(1);
        assertThat(notifier.publishes).hasSize(1);
        assertThat(MAPPER.readTree(notifier.publishes.get(0).get(0).message()).get("default").asText()).contains("quiet");
    }
}
