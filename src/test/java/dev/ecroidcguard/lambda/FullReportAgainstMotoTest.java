package dev.ecroidcguard.lambda;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ecroidcguard.aws.AccountReads;
import dev.ecroidcguard.aws.AccountSeeder;
import dev.ecroidcguard.aws.AwsClients;
import dev.ecroidcguard.aws.MotoServer;
import dev.ecroidcguard.core.analysis.Baseline;
import dev.ecroidcguard.ports.Adapters;
import dev.ecroidcguard.ports.Notification;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * FULL_REPORT_BUCKET against moto's S3: the scheduled scan stores the full report (every repository, compliant ones
 * too) in the bucket and the SNS message, which lists only the repositories with findings, links it; a bucket that
 * cannot be written costs the link, not the notification.
 */
@ExtendWith(MotoServer.class)
class FullReportAgainstMotoTest {

    static final ObjectMapper MAPPER = new ObjectMapper();
    static final String BUCKET = "ecr-oidc-guard-full-reports";

    private MotoServer.Moto moto;
    private AwsClients clients;
    private String topic;
    private final List<Notification> published = Collections.synchronizedList(new ArrayList<>());
    private final ByteArrayOutputStream log = new ByteArrayOutputStream();

    @BeforeEach
    void account(MotoServer.Moto moto) {
        this.moto = moto;
        clients = moto.clients();
        topic = clients.sns().createTopic(r -> r.name("ecr-oidc-guard-reports")).topicArn();
        AccountSeeder seed = new AccountSeeder(clients);
        String provider = seed.githubProvider();
        seed.compliant("web", Map.of(), provider);
        seed.compliant("api", Map.of(), provider);
        // billing's role trusts every repository of the owner: one finding.
        String arn = seed.repository("billing", Map.of());
        String role = AccountSeeder.roleName("billing");
        seed.role(role, Baseline.trustPolicy(provider, Baseline.GITHUB_ISSUER, AccountSeeder.github("billing", Map.of()))
                .replace("repo:" + AccountSeeder.ORG + "/billing:*", "repo:" + AccountSeeder.ORG + "/*"), Map.of());
        seed.inlinePolicy(role, Baseline.INLINE_POLICY_NAME, Baseline.pushPullPolicy(arn));
    }

    @AfterEach
    void close() {
        clients.close();
    }

    @Test
    void theFullReportIsInTheBucketAndTheMessageLinksIt() throws Exception {
        clients.s3().createBucket(r -> r.bucket(BUCKET));

        InvocationResult result = handler().handleRequest(EventRoutingTest.event("scheduled.json"), null);

        assertThat(result.repositories()).isEqualTo(3);
        Notification message = published.stream().reduce((a, b) -> b).orElseThrow();
        JsonNode sqs = MAPPER.readTree(MAPPER.readTree(message.message()).get("sqs").asText());
        String location = sqs.get("fullReport").asText();
        assertThat(location).matches("s3://" + BUCKET + "/reports/" + MotoServer.ACCOUNT_ID + "/us-east-1/\\d{4}-\\d{2}-\\d{2}/[^/]+\\.json");
        assertThat(MAPPER.readTree(message.message()).get("default").asText()).contains("Full report (every repository, compliant ones too): " + location);
        assertThat(sqs.get("repositories")).extracting(r -> r.get("repository").asText()).containsExactly("billing");

        String key = location.substring(("s3://" + BUCKET + "/").length());
        assertThat(clients.s3().listObjectsV2(r -> r.bucket(BUCKET)).contents()).extracting(o -> o.key()).containsExactly(key);
        JsonNode full = MAPPER.readTree(clients.s3().getObjectAsBytes(r -> r.bucket(BUCKET).key(key)).asUtf8String());
        assertThat(full.get("compliantRepositoriesListed").asBoolean()).isTrue();
        assertThat(full.get("repositories")).extracting(r -> r.get("repository").asText()).containsExactlyInAnyOrder("api", "billing", "web");
        assertThat(full.get("summary").get("compliant").asInt()).isEqualTo(2);
        assertThat(full.get("changes").isArray()).isTrue();
        assertThat(full.get("invocation").get("trigger").get("type").asText()).isEqualTo("schedule");
    }

    @Test
    void aBucketThatCannotBeWrittenCostsTheLinkNotTheNotification() throws Exception {
        // No bucket: PutObject answers NoSuchBucket.
        InvocationResult result = handler().handleRequest(EventRoutingTest.event("scheduled.json"), null);

        assertThat(result.repositories()).isEqualTo(3);
        Notification message = published.stream().reduce((a, b) -> b).orElseThrow();
        assertThat(MAPPER.readTree(MAPPER.readTree(message.message()).get("sqs").asText()).has("fullReport")).isFalse();
        assertThat(MAPPER.readTree(message.message()).get("default").asText()).doesNotContain("Full report");
        assertThat(log.toString(StandardCharsets.UTF_8).lines().filter(l -> l.contains("the full report was not stored")))
                .singleElement().satisfies(l -> assertThat(l).contains("\"WARN\"").contains("NoSuchBucket"));
    }

    /** The organization run's member scans keep their full reports in the hub's bucket, written with the hub's credentials. */
    @Test
    void aMemberAccountsFullReportGoesToTheHubsBucket() throws Exception {
        clients.s3().createBucket(r -> r.bucket(BUCKET));
        String member = "444455556666";
        var session = clients.sts().assumeRole(r -> r.roleArn("arn:aws:iam::" + member + ":role/ecr-oidc-guard-member")
                .roleSessionName("test")).credentials();
        try (AwsClients memberClients = AwsClients.forEndpoint(MotoServer.REGION, moto.endpoint(), StaticCredentialsProvider.create(
                AwsSessionCredentials.create(session.accessKeyId(), session.secretAccessKey(), session.sessionToken())))) {
            // moto keeps buckets per account: with the member's credentials this bucket does not exist.
            assertThat(memberClients.s3().listBuckets().buckets()).isEmpty();
            FunctionConfig config = FunctionConfig.fromEnvironment(Map.of("GITHUB_ORG", AccountSeeder.ORG, "SNS_TOPIC_ARN", topic,
                    "AWS_REGION", MotoServer.REGION.id(), "FULL_REPORT_BUCKET", BUCKET));
            Adapters adapters = OrganizationHandler.memberAdapters(config, memberClients, AccountReads.perScan(), clients, published::addAll);

            String location = adapters.reportArchive().store(member, "us-east-1", Instant.parse("2026-11-30T12:00:00Z"), "{\"member\":true}");

            assertThat(location).startsWith("s3://" + BUCKET + "/reports/" + member + "/us-east-1/2026-11-30/2026-11-30T12:00:00Z-");
            String key = location.substring(("s3://" + BUCKET + "/").length());
            assertThat(clients.s3().getObjectAsBytes(r -> r.bucket(BUCKET).key(key)).asUtf8String()).isEqualTo("{\"member\":true}");
        }
    }

    private ScanHandler handler() {
        Map<String, String> env = new HashMap<>(Map.of("GITHUB_ORG", AccountSeeder.ORG, "SNS_TOPIC_ARN", topic, "AWS_REGION",
                MotoServer.REGION.id(), "FULL_REPORT_BUCKET", BUCKET, "TAG_READS", "per-repository"));
        return new ScanHandler(env, () -> config -> {
            Adapters aws = ScanHandler.awsAdapters(config, clients);
            return new Adapters(aws.inventory(), parts -> {
                published.addAll(parts);
                aws.notifier().publish(parts);
            }, aws.writer(), aws.ownership(), aws.apiCalls(), aws.findingState(), aws.findingsHub(), aws.reportArchive());
        }, new PrintStream(log, true, StandardCharsets.UTF_8), InstantSource.system());
    }
}
