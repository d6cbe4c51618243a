package dev.ecroidcguard.lambda;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ecroidcguard.aws.AccountSeeder;
import dev.ecroidcguard.aws.AssumedRoleMembers;
import dev.ecroidcguard.aws.AwsClients;
import dev.ecroidcguard.aws.CallsMade;
import dev.ecroidcguard.aws.MotoServer;
import dev.ecroidcguard.aws.OrganizationAccounts;
import dev.ecroidcguard.aws.SnsNotifier;
import dev.ecroidcguard.aws.SqsWorkQueue;
import dev.ecroidcguard.core.analysis.Baseline;
import dev.ecroidcguard.ports.Notification;
import dev.ecroidcguard.ports.Notifier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.iam.model.NoSuchEntityException;
import software.amazon.awssdk.services.organizations.OrganizationsClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sts.model.AssumeRoleRequest;
import software.amazon.awssdk.services.sts.model.Credentials;
import software.amazon.awssdk.services.sts.model.StsException;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The organization run end to end against moto in server mode: moto's Organizations (an OU with a child OU), member
 * accounts reached by STS AssumeRole into their account ids, SQS as the work queue. The test plays the event source
 * mapping: it drains the queue into SQS-event invocations of the real handler, in batches of two, deletes what the
 * answer does not hand back, and delivers one message twice (a lost delete, as at-least-once delivery allows).
 * moto lets any role be assumed, even one that does not exist; {@link #stsDeniesMissingRoles} makes the hub's STS
 * answer what AWS answers then (403 AccessDenied), by looking the role up in the target account.
 */
@ExtendWith(MotoServer.class)
class OrganizationAgainstMotoTest {

    static final ObjectMapper MAPPER = new ObjectMapper();
    static final String MEMBER_ROLE = OrganizationConfig.DEFAULT_MEMBER_ROLE_NAME;
    static final List<String> REGIONS = List.of("us-east-1", "eu-west-1");
    static final Region US = Region.US_EAST_1;

    private MotoServer.Moto moto;
    private AwsClients hub;
    private SqsClient sqs;
    private OrganizationsClient organizations;
    private String topic;
    private String queueUrl;
    private final List<AwsClients> opened = Collections.synchronizedList(new ArrayList<>());
    private final List<Notification> published = Collections.synchronizedList(new ArrayList<>());
    private final ByteArrayOutputStream stdout = new ByteArrayOutputStream();

    @BeforeEach
    void hub(MotoServer.Moto moto) {
        this.moto = moto;
        hub = moto.clients(List.of(stsDeniesMissingRoles()));
        ClientOverrideConfiguration recorded = ClientOverrideConfiguration.builder().addExecutionInterceptor(CallsMade.RECORDER).build();
        sqs = SqsClient.builder().endpointOverride(moto.endpoint()).region(US).credentialsProvider(moto.credentials())
                .overrideConfiguration(recorded).build();
        organizations = OrganizationsClient.builder().endpointOverride(moto.endpoint()).region(US).credentialsProvider(moto.credentials())
                .overrideConfiguration(recorded).build();
        topic = hub.sns().createTopic(r -> r.name("ecr-oidc-guard-reports")).topicArn();
        queueUrl = sqs.createQueue(r -> r.queueName("ecr-oidc-guard-work")).queueUrl();
    }

    @AfterEach
    void close() {
        hub.close();
        sqs.close();
        organizations.close();
        opened.forEach(AwsClients::close);
    }

    @Test
    void aScheduledRunFansOutToEveryAccountOfTheOuAndOneMissingRoleBlocksNoOne() throws Exception {
        organizations.createOrganization(r -> r.featureSet("ALL"));
        String root = organizations.listRoots(r -> { }).roots().getFirst().id();
        String ou = organizations.createOrganizationalUnit(r -> r.parentId(root).name("workloads")).organizationalUnit().id();
        String child = organizations.createOrganizationalUnit(r -> r.parentId(ou).name("team-a")).organizationalUnit().id();
        List<String> members = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            String account = createAccount("member-" + i);
            String parent = i % 2 == 0 ? ou : child;
            organizations.moveAccount(r -> r.accountId(account).sourceParentId(root).destinationParentId(parent));
            members.add(account);
        }
        organizations.createAccount(r -> r.accountName("outside").email("outside@example.com")); // under the root: not a target
        // Drift in every account: a repository without its role in each region. The last account has no member role.
        for (String account : members) {
            AccountSeeder seed = new AccountSeeder(clientsIn(account, US));
            seed.githubProvider();
            if (!account.equals(members.getLast())) {
                seed.role(MEMBER_ROLE, "{\"Version\":\"2012-10-17\",\"Statement\":[]}", Map.of());
            }
            for (String region : REGIONS) {
                new AccountSeeder(clientsIn(account, Region.of(region))).repository(repository(region), Map.of());
            }
        }
        String unreachable = members.getLast();
        List<String> reachable = members.subList(0, 3);

        OrganizationHandler handler = handler("TARGET_ORGANIZATION", ou, "TARGET_REGIONS", String.join(",", REGIONS),
                "MODE", "remediate", "REMEDIATE", "missing-role");
        JsonNode enqueued = invoke(handler, scheduled());
        assertThat(enqueued.get("status").asText()).isEqualTo("enqueued");
        assertThat(strings(enqueued.get("accounts"))).containsExactlyInAnyOrderElementsOf(members);
        assertThat(strings(enqueued.get("regions"))).isEqualTo(REGIONS);

        sqs.sendMessage(r -> r.queueUrl(queueUrl).messageBody("not a unit of work"));
        Drained drained = drain(handler, 2, reachable.getFirst());

        assertThat(drained.invocations()).as("4 accounts + the duplicate + the bad message, by twos").isEqualTo(3);
        assertThat(drained.handedBack()).as("only the unreadable message is handed back").hasSize(1)
                .allSatisfy(body -> assertThat(body).isEqualTo("not a unit of work"));
        // Every reachable account was remediated in both regions: the role of each region's repository now exists, ours.
        for (String account : reachable) {
            for (String region : REGIONS) {
                var role = clientsIn(account, US).iam().getRole(r -> r.roleName(AccountSeeder.roleName(repository(region)))).role();
                assertThat(role.arn()).startsWith("arn:aws:iam::" + account + ":role/");
                assertThat(clientsIn(account, US).iam().listRoleTags(r -> r.roleName(role.roleName())).tags())
                        .anySatisfy(t -> assertThat(t.key() + "=" + t.value()).isEqualTo(Baseline.OWNER_TAG_KEY + "=" + Baseline.OWNER_TAG_VALUE));
            }
        }
        // The unreachable account is reported, with the reason, and left as it was.
        assertThat(lines("note")).filteredOn(l -> l.get("message").asText().startsWith("account " + unreachable + " not evaluated"))
                .singleElement().satisfies(l -> assertThat(l.get("message").asText()).contains("AccessDenied").contains(MEMBER_ROLE));
        assertThat(clientsIn(unreachable, US).iam().listRoles().roles()).extracting(r -> r.roleName()).doesNotContain(AccountSeeder.roleName(repository("us-east-1")));

        // At-least-once: the account delivered twice was written once and published once per region.
        Map<String, Long> created = lines("change").stream().filter(l -> l.get("status").asText().equals("applied"))
                .collect(Collectors.groupingBy(l -> l.get("account").asText() + " " + l.get("region").asText(), TreeMap::new, Collectors.counting()));
        Map<String, Long> expected = new TreeMap<>();
        reachable.forEach(a -> REGIONS.forEach(region -> expected.put(a + " " + region, 1L)));
        assertThat(created).isEqualTo(expected);
        // The reports that carry changes: one per (account, region), none from the duplicate delivery. (Every scan here
        // also publishes: a region lists the other region's role as an orphan, see README "Organizations", limits.)
        Map<String, Long> reportedChanges = published.stream().filter(n -> n.attributes().containsKey("changeCount"))
                .collect(Collectors.groupingBy(n -> n.attributes().get("account") + " " + n.attributes().get("region"), TreeMap::new,
                        Collectors.counting()));
        assertThat(reportedChanges).isEqualTo(expected);

        // One embedded-metric-format line per delivery of an account.
        List<JsonNode> metrics = lines("metrics");
        assertThat(metrics).extracting(m -> m.get("AccountId").asText()).hasSize(5).containsAll(members);
        for (JsonNode m : metrics) {
            JsonNode directive = m.get("_aws").get("CloudWatchMetrics").get(0);
            assertThat(directive.get("Namespace").asText()).isEqualTo("ecr-oidc-guard");
            for (JsonNode metric : directive.get("Metrics")) {
                assertThat(m.has(metric.get("Name").asText())).as(metric.get("Name").asText()).isTrue();
            }
        }
        JsonNode missing = metrics.stream().filter(m -> m.get("AccountId").asText().equals(unreachable)).findFirst().orElseThrow();
        assertThat(missing.get("AccountNotEvaluated").asInt()).isEqualTo(1);
        assertThat(missing.get("Repositories").asInt()).isZero();
        List<JsonNode> first = metrics.stream().filter(m -> m.get("AccountId").asText().equals(reachable.get(1))).toList();
        assertThat(first).singleElement().satisfies(m -> {
            assertThat(m.get("AccountNotEvaluated").asInt()).isZero();
            assertThat(m.get("Repositories").asInt()).isEqualTo(2);
            assertThat(m.get("NotEvaluated").asInt()).isZero();
        });
    }

    @Test
    void explicitAccountsAndTheWholeOrganizationAreOneSortedSetOfTargets() throws Exception {
        organizations.createOrganization(r -> r.featureSet("ALL"));
        String a = createAccount("a");
        String b = createAccount("b");
        String management = MotoServer.ACCOUNT_ID;
        JsonNode all = invoke(handler("TARGET_ORGANIZATION", "all", "TARGET_ACCOUNTS", "999999999999," + a), scheduled());
        assertThat(strings(all.get("accounts"))).isEqualTo(new ArrayList<>(new java.util.TreeSet<>(List.of(a, b, management, "999999999999"))));
        assertThat(strings(all.get("regions"))).containsExactly(US.id());
        List<Message> queued = sqs.receiveMessage(r -> r.queueUrl(queueUrl).maxNumberOfMessages(10)).messages();
        assertThat(queued).extracting(m -> MAPPER.readTree(m.body()).get("accountId").asText())
                .containsExactlyInAnyOrder(a, b, management, "999999999999");
    }

    /** A member account's CreateRepository, forwarded to the hub, provisions that repository's role in that account only. */
    @Test
    void aCreateRepositoryInAMemberAccountProvisionsItsRoleThere() throws Exception {
        String member = "444455556666";
        AccountSeeder seed = new AccountSeeder(clientsIn(member, US));
        seed.githubProvider();
        seed.role(MEMBER_ROLE, "{\"Version\":\"2012-10-17\",\"Statement\":[]}", Map.of());
        seed.repository("payments", Map.of());
        seed.repository("untouched", Map.of()); // also without its role, but the event does not name it
        OrganizationHandler handler = handler("TARGET_ACCOUNTS", member, "MODE", "remediate", "REMEDIATE", "missing-role");

        ObjectNode event = (ObjectNode) MAPPER.readTree(java.nio.file.Files.readString(java.nio.file.Path.of("events", "ecr-create-repository.json")));
        event.put("account", member).put("region", US.id());
        ((ObjectNode) event.get("detail").get("requestParameters")).put("repositoryName", "payments");
        JsonNode enqueued = invoke(handler, event.toString());
        assertThat(enqueued.get("status").asText()).isEqualTo("enqueued");
        event.put("account", "777788889999");
        assertThat(invoke(handler, event.toString()).get("status").asText()).as("not a target").isEqualTo("ignored");

        Drained drained = drain(handler, 10, "no duplicate here");
        assertThat(drained.invocations()).isEqualTo(1);
        assertThat(drained.handedBack()).isEmpty();
        AwsClients there = clientsIn(member, US);
        assertThat(there.iam().getRole(r -> r.roleName(AccountSeeder.roleName("payments"))).role().arn())
                .isEqualTo("arn:aws:iam::" + member + ":role/" + AccountSeeder.roleName("payments"));
        assertThat(there.iam().listRoles().roles()).extracting(r -> r.roleName()).doesNotContain(AccountSeeder.roleName("untouched"));
        assertThat(lines("change")).singleElement().satisfies(l -> {
            assertThat(l.get("account").asText()).isEqualTo(member);
            assertThat(l.get("repository").asText()).isEqualTo("payments");
            assertThat(l.get("trigger").asText()).isEqualTo("CloudTrail ecr:CreateRepository");
        });
    }

    // ---- the test's side of AWS ----------------------------------------------------------------------------

    private String createAccount(String name) {
        return organizations.createAccount(r -> r.accountName(name).email(name + "@example.com")).createAccountStatus().accountId();
    }

    private static String repository(String region) {
        return "svc-" + region;
    }

    /** Clients acting in {@code account}, as a person there would (moto switches account on the assumed role's id). */
    private AwsClients clientsIn(String account, Region region) {
        Credentials session = hub.sts().assumeRole(AssumeRoleRequest.builder()
                .roleArn("arn:aws:iam::" + account + ":role/OrganizationAccountAccessRole").roleSessionName("test").build()).credentials();
        AwsClients clients = AwsClients.forEndpoint(region, moto.endpoint(), credentials(session));
        opened.add(clients);
        return clients;
    }

    private static AwsCredentialsProvider credentials(Credentials session) {
        return StaticCredentialsProvider.create(AwsSessionCredentials.create(session.accessKeyId(), session.secretAccessKey(), session.sessionToken()));
    }

    /** What STS answers for a role that does not exist in the target account (moto assumes any ARN). */
    private ExecutionInterceptor stsDeniesMissingRoles() {
        return new ExecutionInterceptor() {
            @Override
            public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
                if (context.request() instanceof AssumeRoleRequest request && request.roleArn().endsWith(":role/" + MEMBER_ROLE)) {
                    String account = request.roleArn().split(":")[4];
                    try {
                        clientsIn(account, US).iam().getRole(r -> r.roleName(MEMBER_ROLE));
                    } catch (NoSuchEntityException e) {
                        throw StsException.builder().statusCode(403).awsErrorDetails(AwsErrorDetails.builder().errorCode("AccessDenied")
                                .errorMessage("User: arn:aws:sts::" + MotoServer.ACCOUNT_ID + ":assumed-role/hub/ecr-oidc-guard is not authorized "
                                        + "to perform: sts:AssumeRole on resource: " + request.roleArn()).build()).build();
                    }
                }
            }
        };
    }

    // ---- the function, and the event source mapping played by the test --------------------------------------

    private OrganizationHandler handler(String... overrides) {
        Map<String, String> env = new HashMap<>(Map.of("GITHUB_ORG", AccountSeeder.ORG, "SNS_TOPIC_ARN", topic, "AWS_REGION", US.id(),
                "OWNERSHIP_LOOKUP", "stack-index", "WORK_QUEUE_URL", queueUrl, "AWS_LAMBDA_FUNCTION_NAME", "ecr-oidc-guard-organization"));
        for (int i = 0; i < overrides.length; i += 2) {
            env.put(overrides[i], overrides[i + 1]);
        }
        return new OrganizationHandler(env, (config, organization) -> {
            Notifier topicOfHub = new SnsNotifier(hub::sns, config.snsTopicArn());
            Notifier recording = parts -> {
                published.addAll(parts);
                topicOfHub.publish(parts);
            };
            var members = new AssumedRoleMembers(hub.sts(), OrganizationHandler.memberRole(organization, US), OrganizationHandler.sessionName(config),
                    (region, credentials) -> {
                        AwsClients c = AwsClients.forEndpoint(region, moto.endpoint(), credentials, List.of(CallsMade.RECORDER));
                        opened.add(c);
                        return c;
                    },
                    clients -> OrganizationHandler.memberAdapters(config, clients, clients, recording));
            return new OrganizationHandler.Wiring(members, new OrganizationAccounts(organizations), new SqsWorkQueue(sqs, organization.workQueueUrl()));
        }, new PrintStream(stdout, true, StandardCharsets.UTF_8), InstantSource.system());
    }

    private static String scheduled() throws Exception {
        return java.nio.file.Files.readString(java.nio.file.Path.of("events", "scheduled.json"));
    }

    private static JsonNode invoke(OrganizationHandler handler, String event) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        handler.handleRequest(new ByteArrayInputStream(event.getBytes(StandardCharsets.UTF_8)), out, null);
        return MAPPER.readTree(out.toByteArray());
    }

    record Drained(int invocations, List<String> handedBack) {
    }

    /**
     * The event source mapping, played: receive up to {@code batchSize}, invoke with the SQS event, delete what was not
     * handed back. The first message for {@code deliverTwice} is not deleted once (its delete is lost) and comes back.
     */
    private Drained drain(OrganizationHandler handler, int batchSize, String deliverTwice) throws Exception {
        int invocations = 0;
        boolean duplicated = false;
        List<String> handedBack = new ArrayList<>();
        while (true) {
            List<Message> batch = sqs.receiveMessage(r -> r.queueUrl(queueUrl).maxNumberOfMessages(batchSize).visibilityTimeout(30)).messages();
            if (batch.isEmpty()) {
                return new Drained(invocations, handedBack);
            }
            ObjectNode event = MAPPER.createObjectNode();
            ArrayNode records = event.putArray("Records");
            Map<String, Message> byId = new LinkedHashMap<>();
            for (Message m : batch) {
                byId.put(m.messageId(), m);
                records.addObject().put("messageId", m.messageId()).put("receiptHandle", m.receiptHandle()).put("body", m.body())
                        .put("eventSource", "aws:sqs").put("awsRegion", US.id())
                        .put("eventSourceARN", "arn:aws:sqs:us-east-1:" + MotoServer.ACCOUNT_ID + ":ecr-oidc-guard-work");
            }
            JsonNode response = invoke(handler, event.toString());
            invocations++;
            Set<String> failed = new java.util.HashSet<>();
            response.get("batchItemFailures").forEach(f -> failed.add(f.get("itemIdentifier").asText()));
            for (Message m : byId.values()) {
                if (failed.contains(m.messageId())) {
                    handedBack.add(m.body());
                    // A redrive policy would move it to the dead-letter queue after maxReceiveCount; here it leaves at once.
                    sqs.deleteMessage(r -> r.queueUrl(queueUrl).receiptHandle(m.receiptHandle()));
                } else if (!duplicated && m.body().contains(deliverTwice)) {
                    duplicated = true;
                    sqs.changeMessageVisibility(r -> r.queueUrl(queueUrl).receiptHandle(m.receiptHandle()).visibilityTimeout(0));
                } else {
                    sqs.deleteMessage(r -> r.queueUrl(queueUrl).receiptHandle(m.receiptHandle()));
                }
            }
        }
    }

    private List<JsonNode> lines(String type) {
        return stdout.toString(StandardCharsets.UTF_8).lines().map(l -> {
            try {
                return MAPPER.readTree(l);
            } catch (Exception e) {
                throw new AssertionError("not a JSON log line: " + l, e);
            }
        }).filter(l -> type.equals(l.path("type").asText())).toList();
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }
}
