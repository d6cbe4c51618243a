package dev.ecroidcguard.lambda;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ecroidcguard.aws.AccountSeeder;
import dev.ecroidcguard.aws.AssumedRoleMembers;
import dev.ecroidcguard.aws.AwsClients;
import dev.ecroidcguard.aws.CallsMade;
import dev.ecroidcguard.aws.DynamoFindingState;
import dev.ecroidcguard.aws.DynamoRunLedger;
import dev.ecroidcguard.aws.FaultProxy;
import dev.ecroidcguard.aws.HubTables;
import dev.ecroidcguard.core.finding.FindingCode;
import dev.ecroidcguard.core.finding.FindingId;
import software.amazon.awssdk.services.securityhub.model.AwsSecurityFinding;
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
    static final String RUN_TABLE = "ecr-oidc-guard-runs";
    static final String FINDING_TABLE = "ecr-oidc-guard-findings";

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
        // As template.yaml's OrganizationRunTable and FindingStateTable (OrganizationTemplateTest checks the template's side).
        HubTables.runLedger(hub.dynamoDb(), RUN_TABLE);
        HubTables.findingState(hub.dynamoDb(), FINDING_TABLE);
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
        // One message for the whole run, none per (account, region), none more for the duplicate delivery: the roll-up,
        // with each reachable account's two changes and the unreachable account with why.
        assertThat(published).singleElement().satisfies(n -> assertThat(n.attributes()).containsEntry("kind", "rollup")
                .containsEntry("accountCount", "4").containsEntry("accountsNotEvaluated", "1"));
        JsonNode rollUp = MAPPER.readTree(MAPPER.readTree(published.getFirst().message()).get("sqs").asText());
        Map<String, JsonNode> byAccount = new TreeMap<>();
        rollUp.get("accounts").forEach(a -> byAccount.put(a.get("accountId").asText(), a));
        assertThat(byAccount).containsOnlyKeys(members);
        for (String account : reachable) {
            assertThat(byAccount.get(account).get("changesApplied").asInt()).as(account).isEqualTo(2);
            assertThat(byAccount.get(account).get("regions")).hasSize(2);
        }
        assertThat(byAccount.get(unreachable).get("notEvaluated").asText()).contains("AccessDenied");
        assertThat(rollUp.get("summary").get("changesApplied").asInt()).isEqualTo(6);
        assertThat(lines("note")).filteredOn(l -> l.get("message").asText().startsWith("organization run ")).singleElement()
                .satisfies(l -> assertThat(l.get("message").asText()).endsWith("4 accounts; roll-up published"));

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

    /**
     * An account region with more repositories than one invocation reads (3 here) is split into chunks, each a unit of
     * the same run (one delivered twice); the run's one roll-up has every repository of the account once. With
     * NOTIFY_ON=changes the chunks share the finding state: a repository deleted from one chunk resolves its finding
     * only, the other chunks resolve nothing, and a run with nothing new publishes nothing.
     */
    @Test
    void aLargeAccountIsSplitIntoChunksAndRolledUpAsOneReport() throws Exception {
        String large = "111122223333";
        String small = "444455556666";
        List<String> names = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            names.add("app-" + i);
        }
        for (String account : List.of(large, small)) {
            AccountSeeder seed = new AccountSeeder(clientsIn(account, US));
            seed.githubProvider();
            seed.role(MEMBER_ROLE, "{\"Version\":\"2012-10-17\",\"Statement\":[]}", Map.of());
            for (String name : account.equals(large) ? names : List.of("api", "web")) {
                seed.repository(name, Map.of());
            }
        }
        OrganizationHandler handler = handler("TARGET_ACCOUNTS", large + "," + small, "REPOSITORIES_PER_INVOCATION", "3",
                "NOTIFY_ON", "changes", "FINDING_STATE_TABLE", FINDING_TABLE);

        invoke(handler, scheduled("run-1"));
        Drained first = drain(handler, 2, "\"chunk\":{\"index\":2");
        assertThat(first.handedBack()).isEmpty();
        assertThat(lines("note")).extracting(l -> l.get("message").asText()).contains("account " + large + " region us-east-1 split into 3 chunks");
        assertThat(published).as("one message for the run").singleElement()
                .satisfies(n -> assertThat(n.attributes()).containsEntry("kind", "rollup").containsEntry("reportId", "run-1"));
        JsonNode run1 = rollUp(0);
        Map<String, JsonNode> accounts = accounts(run1);
        assertThat(accounts.get(large).get("repositories").asInt()).as("every repository once, over 3 chunks").isEqualTo(8);
        assertThat(accounts.get(large).get("chunks").asInt()).isEqualTo(3);
        assertThat(accounts.get(large).get("opened").asInt()).isEqualTo(8);
        assertThat(accounts.get(small).get("repositories").asInt()).isEqualTo(2);
        assertThat(accounts.get(small).get("chunks").asInt()).isZero();
        List<String> newRepositories = new ArrayList<>();
        run1.get("newFindings").forEach(f -> newRepositories.add(f.get("accountId").asText() + " " + f.get("line").asText().split(":")[0]));
        List<String> expected = new ArrayList<>();
        names.forEach(n -> expected.add(large + " - " + n));
        expected.addAll(List.of(small + " - api", small + " - web"));
        assertThat(newRepositories).containsExactlyInAnyOrderElementsOf(expected);

        clientsIn(large, US).ecr().deleteRepository(r -> r.repositoryName("app-4").force(true));
        invoke(handler, scheduled("run-2"));
        drain(handler, 2, "no duplicate here");
        assertThat(published).hasSize(2);
        JsonNode run2 = rollUp(1);
        assertThat(run2.get("summary").get("newFindings").asInt()).isZero();
        assertThat(run2.get("resolvedFindings")).singleElement()
                .satisfies(f -> assertThat(f.get("line").asText()).startsWith("- app-4: ROLE_MISSING"));
        assertThat(accounts(run2).get(large).get("repositories").asInt()).isEqualTo(7);
        assertThat(run2.get("summary").get("findings").asInt()).isEqualTo(9);

        invoke(handler, scheduled("run-3"));
        drain(handler, 2, "no duplicate here");
        assertThat(published).as("nothing new, nothing resolved: no roll-up").hasSize(2);
        assertThat(lines("note")).extracting(l -> l.get("message").asText())
                .contains("organization run run-3 finished: 2 accounts; roll-up not published (NOTIFY_ON=changes, nothing to tell)");
    }

    private JsonNode rollUp(int index) throws Exception {
        return MAPPER.readTree(MAPPER.readTree(published.get(index).message()).get("sqs").asText());
    }

    private static Map<String, JsonNode> accounts(JsonNode rollUp) {
        Map<String, JsonNode> byAccount = new TreeMap<>();
        rollUp.get("accounts").forEach(a -> byAccount.put(a.get("accountId").asText(), a));
        return byAccount;
    }

    /**
     * IAM is global: one read of it serves every region of the account (counted on the wire, through {@link FaultProxy}),
     * and so does each region's repository listing; a role whose repository is in the account's other target region is
     * not an orphan, one whose repository is in no target region still is, in each.
     */
    @Test
    void iamIsReadOncePerAccountAndARoleOfAnotherTargetRegionsRepositoryIsNoOrphan() throws Exception {
        String member = "444455556666";
        AccountSeeder seed = new AccountSeeder(clientsIn(member, US));
        String provider = seed.githubProvider();
        seed.role(MEMBER_ROLE, "{\"Version\":\"2012-10-17\",\"Statement\":[]}", Map.of());
        for (String region : REGIONS) {
            new AccountSeeder(clientsIn(member, Region.of(region))).compliant(repository(region), Map.of(), provider);
        }
        String retired = seed.role(AccountSeeder.roleName("retired"), "{\"Version\":\"2012-10-17\",\"Statement\":[]}", Map.of());

        try (FaultProxy proxy = new FaultProxy(moto.endpoint())) {
            OrganizationHandler handler = handler(proxy.endpoint(), "TARGET_ACCOUNTS", member, "TARGET_REGIONS", String.join(",", REGIONS));
            invoke(handler, scheduled());
            proxy.resetCounts();
            Drained drained = drain(handler, 10, "no duplicate here");
            assertThat(drained.invocations()).isEqualTo(1);
            Map<String, Integer> calls = proxy.calls();
            assertThat(calls).as("one IAM read for both regions").containsEntry("iam:GetAccountAuthorizationDetails", 1)
                    .containsEntry("iam:ListOpenIDConnectProviders", 1).containsEntry("sts:GetCallerIdentity", 1)
                    .as("each region's listing once, for its scan and the other's orphan check").containsEntry("ecr:DescribeRepositories", 2)
                    .as("per repository, as before").containsEntry("ecr:GetRepositoryPolicy", 2);
        }
        Map<String, List<String>> orphansByRegion = lines("orphanRole").stream().collect(Collectors.groupingBy(l -> l.get("region").asText(),
                TreeMap::new, Collectors.mapping(l -> l.get("roleArn").asText(), Collectors.toList())));
        assertThat(orphansByRegion).isEqualTo(new TreeMap<>(Map.of("us-east-1", List.of(retired), "eu-west-1", List.of(retired))));
        assertThat(lines("finding")).as("both regions' repositories are compliant").isEmpty();
    }

    static final String HUB_ROLE = "arn:aws:iam::" + MotoServer.ACCOUNT_ID + ":role/guard-ScanFunctionRole-1";
    static final String EXTERNAL_ID = "s3cret-external-id";

    /** member-role.yaml's trust: only the hub function's role, with the external id (plus {@code extraPrincipal}, if any). */
    static String memberTrust(String... extraPrincipals) {
        StringBuilder principals = new StringBuilder("\"" + HUB_ROLE + "\"");
        for (String extra : extraPrincipals) {
            principals.append(",\"").append(extra).append('"');
        }
        return "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":[" + principals
                + "]},\"Action\":\"sts:AssumeRole\",\"Condition\":{\"StringEquals\":{\"sts:ExternalId\":\"" + EXTERNAL_ID + "\"}}}]}";
    }

    /**
     * The guard audits its own member roles: one trusting only the hub's role with the external id is not reported; one
     * that also trusts another account is, in that account's report of every region, with that account as the witness.
     */
    @Test
    void aMemberRoleWhoseTrustIsWiderThanTheTemplatesIsReportedInItsAccountsReports() throws Exception {
        String confined = "444455556666";
        String wider = "777788889999";
        String outsider = "arn:aws:iam::123412341234:root";
        for (String account : List.of(confined, wider)) {
            AccountSeeder seed = new AccountSeeder(clientsIn(account, US));
            seed.role(MEMBER_ROLE, account.equals(wider) ? memberTrust(outsider) : memberTrust(), Map.of());
        }
        OrganizationHandler handler = handler("TARGET_ACCOUNTS", confined + "," + wider, "TARGET_REGIONS", String.join(",", REGIONS),
                "FUNCTION_ROLE_ARN", HUB_ROLE, "MEMBER_EXTERNAL_ID", EXTERNAL_ID);
        invoke(handler, scheduled());
        drain(handler, 10, "no duplicate here");

        List<JsonNode> reported = lines("accountFinding");
        assertThat(reported).extracting(l -> l.get("account").asText() + " " + l.get("region").asText())
                .containsExactlyInAnyOrder(wider + " us-east-1", wider + " eu-west-1");
        assertThat(reported).allSatisfy(l -> {
            assertThat(l.get("code").asText()).isEqualTo("MEMBER_ROLE_TRUST_WIDER");
            assertThat(l.get("severity").asText()).isEqualTo("HIGH");
            assertThat(l.get("resource").asText()).isEqualTo("arn:aws:iam::" + wider + ":role/" + MEMBER_ROLE);
            assertThat(l.get("witness").toString()).contains(outsider).contains("sts:AssumeRole");
        });
        // In the run's roll-up once for the account (IAM is global), never for the confined account.
        assertThat(published).singleElement().satisfies(n -> assertThat(n.message()).contains("MEMBER_ROLE_TRUST_WIDER").contains(outsider));
        JsonNode rollUp = rollUp(0);
        assertThat(rollUp.get("accountFindings")).singleElement().satisfies(f -> {
            assertThat(f.get("accountId").asText()).isEqualTo(wider);
            assertThat(f.get("line").asText()).contains("MEMBER_ROLE_TRUST_WIDER").contains(outsider);
        });
        assertThat(accounts(rollUp).get(wider).get("accountFindings").asInt()).isEqualTo(1);
        assertThat(accounts(rollUp)).doesNotContainKey(confined);
    }

    /**
     * The guard's own writes in a member account are made by the member role's session, which the hub names after its
     * function: a CloudTrail event of such a write is an echo, audited only; the same event by a person is remediated.
     */
    @Test
    void anEventOfTheMemberRolesOwnSessionIsAnEchoAndIsOnlyAudited() throws Exception {
        String member = "444455556666";
        AccountSeeder seed = new AccountSeeder(clientsIn(member, US));
        seed.githubProvider();
        seed.role(MEMBER_ROLE, memberTrust(), Map.of());
        seed.repository("echoed", Map.of());
        seed.repository("by-a-person", Map.of());
        OrganizationHandler handler = handler("TARGET_ACCOUNTS", member, "MODE", "remediate", "REMEDIATE", "missing-role",
                "FUNCTION_ROLE_ARN", HUB_ROLE, "MEMBER_EXTERNAL_ID", EXTERNAL_ID);

        String ownSession = "arn:aws:sts::" + member + ":assumed-role/" + MEMBER_ROLE + "/ecr-oidc-guard-organization";
        invoke(handler, createRepositoryEvent(member, "echoed", ownSession));
        invoke(handler, createRepositoryEvent(member, "by-a-person", "arn:aws:sts::" + member + ":assumed-role/" + MEMBER_ROLE + "/mary"));
        drain(handler, 10, "no duplicate here");

        List<String> roles = clientsIn(member, US).iam().listRoles().roles().stream().map(r -> r.roleName()).toList();
        assertThat(roles).contains(AccountSeeder.roleName("by-a-person")).doesNotContain(AccountSeeder.roleName("echoed"));
        assertThat(lines("note")).filteredOn(l -> l.get("message").asText().startsWith("remediation skipped")).singleElement()
                .satisfies(l -> assertThat(l.get("message").asText()).contains(ownSession));
    }

    /**
     * Security Hub takes a custom integration's finding only from the account it is about: a member account's findings
     * are imported with the member role's credentials, under that account's default product ARN and AwsAccountId, and
     * a fixed one is archived there (PASSED); the hub's own Security Hub holds none of them.
     */
    @Test
    void aMemberAccountsFindingsAreFiledInItsOwnSecurityHubAndArchivedThereWhenFixed() throws Exception {
        String member = "444455556666";
        AwsClients there = clientsIn(member, US);
        AccountSeeder seed = new AccountSeeder(there);
        String provider = seed.githubProvider();
        seed.role(MEMBER_ROLE, memberTrust(), Map.of());
        String web = seed.repository("web", Map.of());
        there.securityHub().enableSecurityHub(r -> r.enableDefaultStandards(false));
        hub.securityHub().enableSecurityHub(r -> r.enableDefaultStandards(false));
        String table = FINDING_TABLE; // created for each test (see hub())
        OrganizationHandler handler = handler("TARGET_ACCOUNTS", member, "FINDING_STATE_TABLE", table, "SECURITY_HUB", "on", "NOTIFY_ON", "changes");

        invoke(handler, scheduled());
        drain(handler, 10, "no duplicate here");
        String roleArn = "arn:aws:iam::" + member + ":role/" + AccountSeeder.roleName("web");
        String id = FindingId.of(member, US.id(), "web", FindingCode.ROLE_MISSING, roleArn);
        AwsSecurityFinding active = findingsIn(there).get(id);
        assertThat(active).as("filed in the member account").isNotNull();
        assertThat(active.awsAccountId()).isEqualTo(member);
        assertThat(active.productArn()).isEqualTo("arn:aws:securityhub:us-east-1:" + member + ":product/" + member + "/default");
        assertThat(active.recordStateAsString()).isEqualTo("ACTIVE");
        assertThat(active.compliance().statusAsString()).isEqualTo("FAILED");
        assertThat(active.resources()).extracting(r -> r.type() + " " + r.id()).containsExactly("AwsEcrRepository " + web, "AwsIamRole " + roleArn);
        assertThat(findingsIn(hub)).as("not in the hub's Security Hub").isEmpty();

        seed.role(AccountSeeder.roleName("web"), Baseline.trustPolicy(provider, Baseline.GITHUB_ISSUER, AccountSeeder.github("web", Map.of())), Map.of());
        seed.inlinePolicy(AccountSeeder.roleName("web"), Baseline.INLINE_POLICY_NAME, Baseline.pushPullPolicy(web));
        invoke(handler, scheduled());
        drain(handler, 10, "no duplicate here");

        AwsSecurityFinding archived = findingsIn(there).get(id);
        assertThat(archived.recordStateAsString()).isEqualTo("ARCHIVED");
        assertThat(archived.compliance().statusAsString()).isEqualTo("PASSED");
        assertThat(findingsIn(hub)).isEmpty();
    }

    /**
     * The member stack's SecurityHub parameter is off while the hub's is on: the member role may not import (moto does
     * not enforce IAM, so the denial IAM would give is played before the request leaves). The region is still
     * evaluated: the roll-up lists the account's findings and a warning saying what to do, the log has it as a WARN
     * note; once the grant is there, the next run files the findings, the archiving of the one resolved meanwhile too,
     * without telling its resolution again.
     */
    @Test
    void aMemberWhoseRoleMayNotImportIsEvaluatedWithAWarningAndFiledOnceItMay() throws Exception {
        String member = "444455556666";
        AwsClients there = clientsIn(member, US);
        AccountSeeder seed = new AccountSeeder(there);
        String provider = seed.githubProvider();
        seed.role(MEMBER_ROLE, memberTrust(), Map.of());
        String web = seed.repository("web", Map.of());
        seed.repository("api", Map.of());
        there.securityHub().enableSecurityHub(r -> r.enableDefaultStandards(false));
        boolean[] granted = {false};
        ExecutionInterceptor iam = new ExecutionInterceptor() {
            @Override
            public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
                if (!granted[0] && context.request() instanceof software.amazon.awssdk.services.securityhub.model.SecurityHubRequest request) {
                    throw software.amazon.awssdk.services.securityhub.model.SecurityHubException.builder().statusCode(403)
                            .awsErrorDetails(AwsErrorDetails.builder().errorCode("AccessDeniedException").errorMessage("User: arn:aws:sts::"
                                    + member + ":assumed-role/" + MEMBER_ROLE + "/ecr-oidc-guard is not authorized to perform: securityhub:"
                                    + request.getClass().getSimpleName().replace("Request", "")).build()).build();
                }
            }
        };
        OrganizationHandler handler = handler(moto.endpoint(), List.of(iam), "TARGET_ACCOUNTS", member, "FINDING_STATE_TABLE", FINDING_TABLE,
                "SECURITY_HUB", "on", "NOTIFY_ON", "changes");
        String webId = FindingId.of(member, US.id(), "web", FindingCode.ROLE_MISSING, "arn:aws:iam::" + member + ":role/" + AccountSeeder.roleName("web"));
        String apiId = FindingId.of(member, US.id(), "api", FindingCode.ROLE_MISSING, "arn:aws:iam::" + member + ":role/" + AccountSeeder.roleName("api"));

        invoke(handler, scheduled("run-1"));
        drain(handler, 10, "no duplicate here");

        JsonNode run1 = rollUp(0);
        assertThat(accounts(run1).get(member).path("notEvaluated").isNull()).as("evaluated").isTrue();
        assertThat(accounts(run1).get(member).get("findings").asInt()).isEqualTo(2);
        assertThat(run1.get("newFindings")).hasSize(2);
        assertThat(run1.get("warnings")).singleElement().satisfies(w -> {
            assertThat(w.get("accountId").asText()).isEqualTo(member);
            assertThat(w.get("line").asText()).contains("Security Hub did not take this scan's 2 finding(s)").contains("AccessDeniedException")
                    .contains("member stack's SecurityHub parameter to on");
        });
        assertThat(MAPPER.readTree(published.getFirst().message()).get("default").asText())
                .contains("Warnings (evaluated, but Security Hub did not take everything):\n- " + member);
        assertThat(lines("note")).filteredOn(l -> l.get("level").asText().equals("WARN"))
                .anySatisfy(l -> assertThat(l.get("message").asText()).contains("Security Hub did not take"));
        assertThat(findingsIn(there)).isEmpty();

        // web is fixed while the import is still denied: told resolved once, kept to be filed.
        seed.role(AccountSeeder.roleName("web"), Baseline.trustPolicy(provider, Baseline.GITHUB_ISSUER, AccountSeeder.github("web", Map.of())), Map.of());
        seed.inlinePolicy(AccountSeeder.roleName("web"), Baseline.INLINE_POLICY_NAME, Baseline.pushPullPolicy(web));
        invoke(handler, scheduled("run-2"));
        drain(handler, 10, "no duplicate here");
        assertThat(rollUp(1).get("resolvedFindings")).hasSize(1);
        assertThat(findingsIn(there)).isEmpty();

        // The member stack now grants the import: the open finding is filed active, the resolved one archived, no news.
        granted[0] = true;
        invoke(handler, scheduled("run-3"));
        drain(handler, 10, "no duplicate here");
        Map<String, AwsSecurityFinding> filed = findingsIn(there);
        assertThat(filed.get(apiId).recordStateAsString()).isEqualTo("ACTIVE");
        assertThat(filed.get(webId).recordStateAsString()).isEqualTo("ARCHIVED");
        assertThat(filed.get(webId).compliance().statusAsString()).isEqualTo("PASSED");
        // Nothing new or resolved to tell; moto's 404 on the workflow update is the one warning, so the run says it.
        JsonNode run3 = rollUp(2);
        assertThat(run3.get("newFindings")).isEmpty();
        assertThat(run3.get("resolvedFindings")).isEmpty();
        assertThat(run3.get("warnings")).singleElement().satisfies(w -> assertThat(w.get("line").asText()).contains("did not set their workflow to RESOLVED"));
    }

    private static Map<String, AwsSecurityFinding> findingsIn(AwsClients account) {
        Map<String, AwsSecurityFinding> byId = new HashMap<>();
        account.securityHub().getFindingsPaginator(r -> r.maxResults(100)).findings().forEach(f -> byId.put(f.id(), f));
        return byId;
    }

    private static String createRepositoryEvent(String account, String repository, String actor) throws Exception {
        ObjectNode event = (ObjectNode) MAPPER.readTree(java.nio.file.Files.readString(java.nio.file.Path.of("events", "ecr-create-repository.json")));
        event.put("account", account).put("region", US.id());
        ((ObjectNode) event.get("detail").get("requestParameters")).put("repositoryName", repository);
        ((ObjectNode) event.get("detail").get("userIdentity")).put("arn", actor);
        return event.toString();
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
        return handler(moto.endpoint(), overrides);
    }

    /** The function, reaching member accounts at {@code memberEndpoint} (moto, or a {@link FaultProxy} in front of it). */
    private OrganizationHandler handler(java.net.URI memberEndpoint, String... overrides) {
        return handler(memberEndpoint, List.of(), overrides);
    }

    /** As above, the member accounts' clients with {@code memberInterceptors} after the recorder. */
    private OrganizationHandler handler(java.net.URI memberEndpoint, List<ExecutionInterceptor> memberInterceptors, String... overrides) {
        Map<String, String> env = new HashMap<>(Map.of("GITHUB_ORG", AccountSeeder.ORG, "SNS_TOPIC_ARN", topic, "AWS_REGION", US.id(),
                "OWNERSHIP_LOOKUP", "stack-index", "WORK_QUEUE_URL", queueUrl, "AWS_LAMBDA_FUNCTION_NAME", "ecr-oidc-guard-organization",
                "RUN_TABLE", RUN_TABLE));
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
                    organization.targets().regions(), (region, credentials) -> {
                        List<ExecutionInterceptor> interceptors = new ArrayList<>(List.of(CallsMade.RECORDER));
                        interceptors.addAll(memberInterceptors);
                        AwsClients c = AwsClients.forEndpoint(region, memberEndpoint, credentials, interceptors);
                        opened.add(c);
                        return c;
                    },
                    (clients, reads) -> OrganizationHandler.memberAdapters(config, clients, reads, hub, recording));
            return new OrganizationHandler.Wiring(members, new OrganizationAccounts(organizations), new SqsWorkQueue(sqs, organization.workQueueUrl()),
                    new DynamoRunLedger(hub.dynamoDb(), organization.runTable()), recording);
        }, new PrintStream(stdout, true, StandardCharsets.UTF_8), InstantSource.system());
    }

    private static String scheduled() throws Exception {
        return java.nio.file.Files.readString(java.nio.file.Path.of("events", "scheduled.json"));
    }

    /** The scheduled event with its id, the run's id. */
    private static String scheduled(String id) throws Exception {
        return ((ObjectNode) MAPPER.readTree(scheduled())).put("id", id).toString();
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
