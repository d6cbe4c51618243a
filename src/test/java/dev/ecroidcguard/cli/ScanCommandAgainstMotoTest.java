package dev.ecroidcguard.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ecroidcguard.aws.AccountSeeder;
import dev.ecroidcguard.aws.AwsClients;
import dev.ecroidcguard.aws.AwsInventorySource;
import dev.ecroidcguard.aws.MotoServer;
import dev.ecroidcguard.ports.Adapters;
import dev.ecroidcguard.lambda.FunctionConfig;
import dev.ecroidcguard.application.NotificationBuilder;
import dev.ecroidcguard.application.ScanLog;
import dev.ecroidcguard.application.ScanService;
import dev.ecroidcguard.application.Trigger;
import dev.ecroidcguard.core.TimeBudget;
import dev.ecroidcguard.ports.Notification;
import dev.ecroidcguard.core.ScanScope;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code ecr-oidc-guard scan --endpoint-url} against moto: the SDK's default credentials chain (here the
 * {@code aws.accessKeyId}/{@code aws.secretAccessKey} system properties, its first link), the report of the
 * Lambda's scheduled scan for the same account, exit statuses, and nothing written.
 */
@ExtendWith(MotoServer.class)
class ScanCommandAgainstMotoTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<String, String> ENV = Map.of("GITHUB_ORG", AccountSeeder.ORG);

    record Run(int exit, String out, String err) {
    }

    @BeforeEach
    void credentials() {
        System.setProperty("aws.accessKeyId", "testing");
        System.setProperty("aws.secretAccessKey", "testing");
    }

    @AfterEach
    void noCredentials() {
        System.clearProperty("aws.accessKeyId");
        System.clearProperty("aws.secretAccessKey");
    }

    @Test
    void scanPrintsTheReportTheLambdaPublishesForTheSameAccount(MotoServer.Moto moto) throws Exception {
        AwsClients clients = moto.clients();
        AccountSeeder seed = new AccountSeeder(clients);
        String provider = seed.githubProvider();
        seed.compliant("web-api", Map.of(), provider);
        seed.repository("billing", Map.of());
        seed.role(AccountSeeder.roleName("billing"), """
                {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Federated":"%s"},
                "Action":"sts:AssumeRoleWithWebIdentity","Condition":{"StringEquals":{"token.actions.githubusercontent.com:aud":"sts.amazonaws.com"},
                "StringLike":{"token.actions.githubusercontent.com:sub":"repo:acme/*"}}}]}""".formatted(provider), Map.of());
        seed.repository("frontend", Map.of());
        seed.role(AccountSeeder.roleName("retired"), "{\"Version\":\"2012-10-17\",\"Statement\":[]}", Map.of());

        Run scan = scan("--endpoint-url", moto.endpoint().toString(), "--region", MotoServer.REGION.id());

        assertThat(scan.exit()).as(scan.err()).isEqualTo(1);
        assertThat(scan.err()).contains("reading the account in region us-east-1 at " + moto.endpoint(), "(read-only)",
                "account " + MotoServer.ACCOUNT_ID + ": 3 repositories");
        JsonNode report = JSON.readTree(scan.out());
        assertThat(report.get("summary").get("repositories").asInt()).isEqualTo(3);
        assertThat(report.get("summary").get("byCode").get("TRUST_SUB_ORG_WIDE").asInt()).isEqualTo(1);
        assertThat(report.get("summary").get("byCode").get("ROLE_MISSING").asInt()).isEqualTo(1);
        assertThat(report.get("orphanRoles").get(0).get("roleName").asText()).isEqualTo(AccountSeeder.roleName("retired"));

        JsonNode lambda = lambdaReport(moto);
        for (String field : List.of("orphanRoles", "notEvaluated", "summary")) {
            assertThat(report.get(field)).as(field).isEqualTo(lambda.get(field));
        }
        // The notification lists the repositories with findings; the CLI's report lists every one.
        List<JsonNode> withFindings = new java.util.ArrayList<>();
        report.get("repositories").forEach(r -> {
            if (!r.get("compliant").asBoolean()) {
                withFindings.add(r);
            }
        });
        assertThat(lambda.get("repositories")).containsExactlyElementsOf(withFindings).isNotEmpty();
        // Read-only: frontend's missing role (which the Lambda's default remediation would create) is still missing.
        assertThat(clients.iam().listRoles().roles()).extracting(r -> r.roleName())
                .containsExactlyInAnyOrder(AccountSeeder.roleName("web-api"), AccountSeeder.roleName("billing"), AccountSeeder.roleName("retired"));
        assertThat(AwsInventorySource.REQUIRED_PERMISSIONS).allSatisfy(p -> assertThat(p).matches("(iam|ecr|tag):(Get|List|Describe).*"));
    }

    @Test
    void aCompliantAccountExitsZero(MotoServer.Moto moto) throws Exception {
        AccountSeeder seed = new AccountSeeder(moto.clients());
        seed.compliant("web-api", Map.of(), seed.githubProvider());

        Run scan = scan("--region", "us-east-1", "--endpoint-url", moto.endpoint().toString());

        assertThat(scan.exit()).as(scan.err()).isZero();
        assertThat(JSON.readTree(scan.out()).get("summary").get("compliant").asInt()).isEqualTo(1);
    }

    @Test
    void noEmulatorListeningNamesTheEndpointAndExitsTwo() throws Exception {
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        Run scan = scan("--endpoint-url", "http://127.0.0.1:" + port, "--region", "us-east-1");

        assertThat(scan.exit()).isEqualTo(2);
        assertThat(scan.out()).isEmpty();
        assertThat(scan.err()).contains("cannot read the account in region us-east-1 at http://127.0.0.1:" + port,
                "an emulator listens on http://127.0.0.1:" + port);
    }

    @Test
    void badArgumentsAndConfigurationExitTwoWithUsage() throws Exception {
        assertThat(scan("--region").err()).contains("--region needs a value", "usage: " + ScanCommand.USAGE);
        assertThat(scan("--region", "us-east-1", "--region", "eu-west-1").err()).contains("--region given twice");
        assertThat(scan("--endpoint-url", "127.0.0.1:5000").err()).contains("is not an http(s) URL");
        assertThat(scan("--remediate").exit()).isEqualTo(2);
        Run noOrg = run(Map.of(), "scan", "--region", "us-east-1");
        assertThat(noOrg.exit()).isEqualTo(2);
        assertThat(noOrg.err()).contains("GITHUB_ORG is not set");
        Run help = scan("--help");
        assertThat(help.exit()).isZero();
        assertThat(help.out()).contains("usage: " + ScanCommand.USAGE, "iam:GetAccountAuthorizationDetails", "ecr:DescribeRepositories");
    }

    /** The Lambda's scheduled scan (ScanService with the AWS inventory adapter) as a subscriber's JSON receives it. */
    private static JsonNode lambdaReport(MotoServer.Moto moto) throws Exception {
        FunctionConfig config = FunctionConfig.fromEnvironment(Map.of("GITHUB_ORG", AccountSeeder.ORG, "NOTIFY_ON", "always",
                "SNS_TOPIC_ARN", "arn:aws:sns:us-east-1:" + MotoServer.ACCOUNT_ID + ":reports", "AWS_REGION", "us-east-1"));
        List<Notification> published = new ArrayList<>();
        try (AwsClients clients = moto.clients()) {
            new ScanService(config.scan(), Adapters.readOnly(AwsInventorySource.of(clients, AwsInventorySource.TagReads.PER_REPOSITORY), published::addAll, clients.calls()),
                    new NotificationBuilder(), InstantSource.system())
                    .scan(new Trigger("schedule", "Scheduled Event", "e-1"), new ScanScope.WholeAccount(), TimeBudget.UNLIMITED, ScanLog.NONE);
        }
        assertThat(published).hasSize(1);
        return JSON.readTree(JSON.readTree(published.getFirst().message()).get("sqs").asText());
    }

    private static Run scan(String... args) throws IOException {
        List<String> all = new ArrayList<>(List.of("scan"));
        all.addAll(List.of(args));
        return run(ENV, all.toArray(String[]::new));
    }

    private static Run run(Map<String, String> env, String... args) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = Main.run(List.of(args), env, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }
}
