package dev.ecroidcguard.lambda;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ecroidcguard.aws.AccountSeeder;
import dev.ecroidcguard.aws.AwsClients;
import dev.ecroidcguard.aws.HubTables;
import dev.ecroidcguard.aws.MotoServer;
import dev.ecroidcguard.cli.LocalInvoke;
import dev.ecroidcguard.core.analysis.Baseline;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.services.organizations.OrganizationsClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Lambda packages as sam build zips them (target/package, pom.xml), each run by the real runtime client in a JVM of
 * its own against moto: the SDK's service clients shrunk by ProGuard, and the optional integrations in layers. What
 * the tests under src/test prove on the full classpath, this proves on what is deployed: the scan function without
 * its layers scans, remediates and provisions; with them it files in Security Hub and stores the full report; without
 * the Security Hub layer but SECURITY_HUB=on it is a configuration error that names the layer; the organization function fans
 * out over Organizations and SQS and a unit of work provisions in the member account. Runs after `package` (failsafe).
 */
@ExtendWith(MotoServer.class)
class LambdaPackageIT {

    static final ObjectMapper MAPPER = new ObjectMapper();
    static final Path PACKAGES = Path.of("target", "package");
    static final String FINDING_TABLE = "ecr-oidc-guard-finding-state";
    static final String BUCKET = "ecr-oidc-guard-full-reports";

    private MotoServer.Moto moto;
    private AwsClients clients;
    private String topic;
    private String provider;
    private final List<AwsClients> opened = new ArrayList<>();

    @BeforeEach
    void account(MotoServer.Moto moto) {
        this.moto = moto;
        clients = moto.clients();
        topic = clients.sns().createTopic(r -> r.name("ecr-oidc-guard-reports")).topicArn();
        HubTables.findingState(clients.dynamoDb(), FINDING_TABLE);
        AccountSeeder seed = new AccountSeeder(clients);
        provider = seed.githubProvider();
        seed.compliant("web", Map.of(), provider);
        // billing's role (the guard's own) trusts every repository of the owner; payments has no role at all.
        String arn = seed.repository("billing", Map.of());
        String role = AccountSeeder.roleName("billing");
        seed.role(role, Baseline.trustPolicy(provider, Baseline.GITHUB_ISSUER, AccountSeeder.github("billing", Map.of()))
                .replace("repo:" + AccountSeeder.ORG + "/billing:*", "repo:" + AccountSeeder.ORG + "/*"),
                Map.of(Baseline.OWNER_TAG_KEY, Baseline.OWNER_TAG_VALUE));
        seed.inlinePolicy(role, Baseline.INLINE_POLICY_NAME, Baseline.pushPullPolicy(arn));
        seed.repository("payments", Map.of());
        // legacy's role is the same drift on a role that is not the guard's: reported, never rewritten.
        String legacy = seed.repository("legacy", Map.of());
        String legacyRole = AccountSeeder.roleName("legacy");
        seed.role(legacyRole, Baseline.trustPolicy(provider, Baseline.GITHUB_ISSUER, AccountSeeder.github("legacy", Map.of()))
                .replace("repo:" + AccountSeeder.ORG + "/legacy:*", "repo:" + AccountSeeder.ORG + "/*"), Map.of());
        seed.inlinePolicy(legacyRole, Baseline.INLINE_POLICY_NAME, Baseline.pushPullPolicy(legacy));
    }

    @AfterEach
    void close() {
        clients.close();
        opened.forEach(AwsClients::close);
    }

    @Test
    void theScanFunctionsPackageWithoutItsLayersScansRemediatesAndProvisions() throws Exception {
        Map<String, String> env = env("MODE", "remediate", "REMEDIATE", "all", "NOTIFY_ON", "changes");
        assertThat(LocalInvoke.packageClasspath(PACKAGES, "ScanFunction", env)).as("no layer for this configuration").hasSize(1);

        JsonNode result = invoke("ScanFunction", "scheduled.json", env);

        assertThat(result.get("status").asText()).isEqualTo("scanned");
        assertThat(result.get("repositories").asInt()).isEqualTo(4);
        // Remediated through the shrunk IAM and CloudFormation clients: payments' role exists, billing's trust is narrowed.
        assertThat(clients.iam().getRole(r -> r.roleName(AccountSeeder.roleName("payments"))).role().arn())
                .endsWith(":role/" + AccountSeeder.roleName("payments"));
        String trust = java.net.URLDecoder.decode(clients.iam().getRole(r -> r.roleName(AccountSeeder.roleName("billing")))
                .role().assumeRolePolicyDocument(), StandardCharsets.UTF_8);
        assertThat(trust).contains("repo:" + AccountSeeder.ORG + "/billing:").doesNotContain("repo:" + AccountSeeder.ORG + "/*\"");
        // legacy's role is not the guard's: its trust is as it was, and its finding stays open, recorded through the
        // shrunk DynamoDB client.
        assertThat(java.net.URLDecoder.decode(clients.iam().getRole(r -> r.roleName(AccountSeeder.roleName("legacy")))
                .role().assumeRolePolicyDocument(), StandardCharsets.UTF_8)).contains("repo:" + AccountSeeder.ORG + "/*\"");
        assertThat(result.get("findings").asInt()).isPositive();
        assertThat(clients.dynamoDb().scan(r -> r.tableName(FINDING_TABLE)).items()).isNotEmpty()
                .allSatisfy(item -> assertThat(item.toString()).contains("legacy"));

        // The CreateRepository event path, on the same package: the new repository's role is provisioned.
        clients.ecr().createRepository(r -> r.repositoryName("orders"));
        String event = Files.readString(Path.of("events", "ecr-create-repository.json"))
                .replace("123456789012", MotoServer.ACCOUNT_ID);
        JsonNode provisioned = invoke("ScanFunction", withRepository(event, "orders").getBytes(StandardCharsets.UTF_8), env, new ByteArrayOutputStream());
        assertThat(provisioned.get("status").asText()).as(provisioned.toString()).isEqualTo("scanned");
        assertThat(clients.iam().getRole(r -> r.roleName(AccountSeeder.roleName("orders"))).role().arn())
                .endsWith(":role/" + AccountSeeder.roleName("orders"));
    }

    @Test
    void theLayersCarrySecurityHubAndTheFullReports() throws Exception {
        clients.s3().createBucket(r -> r.bucket(BUCKET));
        Map<String, String> env = env("SECURITY_HUB", "on", "FULL_REPORT_BUCKET", BUCKET);
        assertThat(LocalInvoke.packageClasspath(PACKAGES, "ScanFunction", env)).as("the function and both layers").hasSize(3);

        ByteArrayOutputStream logs = new ByteArrayOutputStream();
        JsonNode result = invoke("ScanFunction", Files.readAllBytes(Path.of("events", "scheduled.json")), env, logs);

        assertThat(result.get("status").asText()).isEqualTo("scanned");
        assertThat(clients.s3().listObjectsV2(r -> r.bucket(BUCKET)).contents()).as(logs.toString(StandardCharsets.UTF_8)).hasSize(1);
        assertThat(clients.securityHub().getFindings(r -> { }).findings()).as(logs.toString(StandardCharsets.UTF_8))
                .extracting(f -> f.generatorId()).isNotEmpty();
    }

    /** A hand-set SECURITY_HUB=on on a function deployed without the layer: a configuration error that says what to deploy. */
    @Test
    void securityHubOnWithoutItsLayerIsAConfigurationErrorThatNamesTheLayer() throws Exception {
        Map<String, String> env = env("SECURITY_HUB", "on");
        List<String> withoutLayer = LocalInvoke.packageClasspath(PACKAGES, "ScanFunction", Map.of());

        LocalInvoke.Outcome outcome = outcome("ScanFunction", Files.readAllBytes(Path.of("events", "scheduled.json")), env, withoutLayer,
                new ByteArrayOutputStream());

        assertThat(outcome.error()).isTrue();
        JsonNode error = MAPPER.readTree(outcome.body());
        assertThat(error.get("errorType").asText()).isEqualTo(ScanHandler.ConfigurationError.class.getName());
        assertThat(error.get("errorMessage").asText()).contains("SECURITY_HUB=on needs the Security Hub client", "SecurityHubLayer",
                "deploy with SecurityHub=on");
    }

    @Test
    void theOrganizationFunctionsPackageFansOutAndAUnitProvisionsInTheMemberAccount() throws Exception {
        try (OrganizationsClient organizations = OrganizationsClient.builder().endpointOverride(moto.endpoint()).region(MotoServer.REGION)
                .credentialsProvider(moto.credentials()).build();
             SqsClient sqs = SqsClient.builder().endpointOverride(moto.endpoint()).region(MotoServer.REGION)
                     .credentialsProvider(moto.credentials()).build()) {
            organizations.createOrganization(r -> r.featureSet("ALL"));
            String member = organizations.createAccount(r -> r.accountName("member").email("member@example.com")).createAccountStatus().accountId();
            AwsClients memberClients = clientsIn(member);
            AccountSeeder memberSeed = new AccountSeeder(memberClients);
            memberSeed.githubProvider();
            memberSeed.role("ecr-oidc-guard-member", "{\"Version\":\"2012-10-17\",\"Statement\":[]}", Map.of());
            memberSeed.repository("svc", Map.of());
            HubTables.runLedger(clients.dynamoDb(), "ecr-oidc-guard-runs");
            String queue = sqs.createQueue(r -> r.queueName("ecr-oidc-guard-work")).queueUrl();
            Map<String, String> env = env("TARGET_ORGANIZATION", "all", "WORK_QUEUE_URL", queue, "RUN_TABLE", "ecr-oidc-guard-runs",
                    "MEMBER_ROLE_NAME", "ecr-oidc-guard-member", "OWNERSHIP_LOOKUP", "stack-index", "MODE", "remediate",
                    "REMEDIATE", "missing-role", "AWS_LAMBDA_FUNCTION_NAME", "ecr-oidc-guard-organization");

            JsonNode enqueued = invoke("OrganizationFunction", "scheduled.json", env);

            assertThat(enqueued.get("status").asText()).isEqualTo("enqueued");
            List<Message> units = sqs.receiveMessage(r -> r.queueUrl(queue).maxNumberOfMessages(10)).messages();
            assertThat(units).extracting(Message::body).anySatisfy(body -> assertThat(body).contains(member));
            ObjectNode event = MAPPER.createObjectNode();
            ArrayNode records = event.putArray("Records");
            units.stream().filter(m -> m.body().contains(member)).forEach(m -> records.addObject().put("messageId", m.messageId())
                    .put("receiptHandle", m.receiptHandle()).put("body", m.body()).put("eventSource", "aws:sqs")
                    .put("awsRegion", MotoServer.REGION.id())
                    .put("eventSourceARN", "arn:aws:sqs:us-east-1:" + MotoServer.ACCOUNT_ID + ":ecr-oidc-guard-work"));

            JsonNode worked = invoke("OrganizationFunction", event.toString().getBytes(StandardCharsets.UTF_8), env, new ByteArrayOutputStream());

            assertThat(worked.get("batchItemFailures")).as(worked.toString()).isEmpty();
            assertThat(memberClients.iam().getRole(r -> r.roleName(AccountSeeder.roleName("svc"))).role().arn())
                    .startsWith("arn:aws:iam::" + member + ":role/");
        }
    }

    // ---- the function's side: a package in a JVM of its own ----------------------------------------------------------

    private Map<String, String> env(String... overrides) {
        Map<String, String> env = new HashMap<>(Map.of("GITHUB_ORG", AccountSeeder.ORG, "SNS_TOPIC_ARN", topic,
                "FINDING_STATE_TABLE", FINDING_TABLE, "AWS_REGION", MotoServer.REGION.id(), "AWS_ENDPOINT_URL", moto.endpoint().toString(),
                "AWS_ACCESS_KEY_ID", "testing", "AWS_SECRET_ACCESS_KEY", "testing"));
        for (int i = 0; i < overrides.length; i += 2) {
            env.put(overrides[i], overrides[i + 1]);
        }
        return env;
    }

    private static JsonNode invoke(String function, String eventFile, Map<String, String> env) throws Exception {
        return invoke(function, Files.readAllBytes(Path.of("events", eventFile)), env, new ByteArrayOutputStream());
    }

    private static JsonNode invoke(String function, byte[] event, Map<String, String> env, ByteArrayOutputStream logs) throws Exception {
        return invoke(function, event, env, LocalInvoke.packageClasspath(PACKAGES, function, env), logs);
    }

    private static JsonNode invoke(String function, byte[] event, Map<String, String> env, List<String> packageClasspath,
                                   ByteArrayOutputStream logs) throws Exception {
        LocalInvoke.Outcome outcome = outcome(function, event, env, packageClasspath, logs);
        assertThat(outcome.error()).as(outcome.body() + "\n" + logs.toString(StandardCharsets.UTF_8)).isFalse();
        return MAPPER.readTree(outcome.body());
    }

    /** The handler template.yaml names, on {@code packageClasspath} and the runtime client only (target/lambda-runtime). */
    private static LocalInvoke.Outcome outcome(String function, byte[] event, Map<String, String> env, List<String> packageClasspath,
                                               ByteArrayOutputStream logs) throws Exception {
        List<String> classpath = new ArrayList<>(packageClasspath);
        classpath.add(Path.of("target", "lambda-runtime") + "/*");
        String handler = function.equals("ScanFunction") ? "dev.ecroidcguard.lambda.ScanHandler::handleRequest"
                : "dev.ecroidcguard.lambda.OrganizationHandler::handleRequest";
        return LocalInvoke.invoke(new LocalInvoke.Function(function, handler, 1024, Duration.ofSeconds(120),
                MotoServer.REGION.id(), env, classpath), event, new PrintStream(logs, true, StandardCharsets.UTF_8));
    }

    private static String withRepository(String event, String repository) throws Exception {
        ObjectNode root = (ObjectNode) MAPPER.readTree(event);
        ObjectNode detail = (ObjectNode) root.get("detail");
        ((ObjectNode) detail.get("requestParameters")).put("repositoryName", repository);
        JsonNode response = detail.get("responseElements");
        if (response != null && response.has("repository")) {
            ObjectNode repo = (ObjectNode) response.get("repository");
            repo.put("repositoryName", repository);
            repo.put("repositoryArn", "arn:aws:ecr:us-east-1:" + MotoServer.ACCOUNT_ID + ":repository/" + repository);
            repo.put("registryId", MotoServer.ACCOUNT_ID);
        }
        return root.toString();
    }

    /** Clients acting in {@code account}, as a person there would (moto switches account on the assumed role's id). */
    private AwsClients clientsIn(String account) {
        var session = clients.sts().assumeRole(r -> r.roleArn("arn:aws:iam::" + account + ":role/OrganizationAccountAccessRole")
                .roleSessionName("test")).credentials();
        AwsClients member = AwsClients.forEndpoint(MotoServer.REGION, moto.endpoint(), StaticCredentialsProvider.create(
                AwsSessionCredentials.create(session.accessKeyId(), session.secretAccessKey(), session.sessionToken())));
        opened.add(member);
        return member;
    }
}
