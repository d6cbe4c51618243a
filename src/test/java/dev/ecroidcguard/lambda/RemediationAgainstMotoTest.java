package dev.ecroidcguard.lambda;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ecroidcguard.aws.AccountSeeder;
import dev.ecroidcguard.aws.AwsClients;
import dev.ecroidcguard.aws.AwsInventorySource;
import dev.ecroidcguard.aws.MotoServer;
import dev.ecroidcguard.core.Analyzer;
import dev.ecroidcguard.core.ScanScope;
import dev.ecroidcguard.core.analysis.Baseline;
import dev.ecroidcguard.core.finding.FindingCode;
import dev.ecroidcguard.core.inventory.AccountSnapshot;
import dev.ecroidcguard.core.inventory.EcrRepository;
import dev.ecroidcguard.core.inventory.IamRole;
import dev.ecroidcguard.core.report.AccountReport;
import dev.ecroidcguard.ports.Adapters;
import dev.ecroidcguard.ports.Notification;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.services.iam.model.PutRolePolicyRequest;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * MODE=remediate end to end against moto: drift seeded through the SDK, the handler run with the real AWS
 * adapters, the account read back and judged by the same Analyzer. Resources that needed no fix, and those a
 * stack, other IaC or the ignore tag protects, must read back exactly as before.
 */
@ExtendWith(MotoServer.class)
class RemediationAgainstMotoTest {

    static final ObjectMapper MAPPER = new ObjectMapper();
    static final String ORG_WIDE_TRUST = """
            {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Federated":"%s"},\
            "Action":"sts:AssumeRoleWithWebIdentity","Condition":{"StringEquals":{"token.actions.githubusercontent.com:aud":"sts.amazonaws.com"},\
            "StringLike":{"token.actions.githubusercontent.com:sub":"repo:acme/*"}}}]}""";
    /** The tag of a role the guard created or a person adopted: only such roles are written. */
    static final Map<String, String> OURS = Map.of(Baseline.OWNER_TAG_KEY, Baseline.OWNER_TAG_VALUE);
    static final String ECR_EVERYTHING = """
            {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"ecr:*","Resource":"*"}]}""";

    private MotoServer.Moto moto;
    private AwsClients clients;
    private AccountSeeder seed;
    private String provider;
    private String topic;
    private final List<List<Notification>> published = Collections.synchronizedList(new ArrayList<>());
    private final ByteArrayOutputStream stdout = new ByteArrayOutputStream();

    @BeforeEach
    void account(MotoServer.Moto moto) {
        this.moto = moto;
        clients = moto.clients();
        seed = new AccountSeeder(clients);
        provider = seed.githubProvider();
        topic = clients.sns().createTopic(r -> r.name("ecr-oidc-guard-reports")).topicArn();
    }

    private final List<AwsClients> functionClients = Collections.synchronizedList(new ArrayList<>());

    @AfterEach
    void close() {
        clients.close();
        functionClients.forEach(AwsClients::close);
    }

    // ---- the classes ---------------------------------------------------------------------------------------

    @Test
    void everyEnabledClassIsFixedAndEverythingElseReadsBackUnchanged() throws Exception {
        String clean = seed.compliant("clean", Map.of(), provider);
        String trustRole = roleWith("trusty", ORG_WIDE_TRUST.formatted(provider), OURS, true);
        String permsArn = seed.repository("perms", Map.of());
        seed.role(AccountSeeder.roleName("perms"), Baseline.trustPolicy(provider, Baseline.GITHUB_ISSUER, AccountSeeder.github("perms", Map.of())), OURS);
        seed.inlinePolicy(AccountSeeder.roleName("perms"), "ecr-everything", ECR_EVERYTHING);
        seed.compliant("repopol", Map.of(), provider);
        seed.repositoryPolicy("repopol", otherRolePushes("clean"));
        seed.repository("newrepo", Map.of());
        // Protected: a stack's role, a Terraform-tagged role, an ignored repository; and an orphan role.
        seed.repository("stacked", Map.of());
        clients.cloudFormation().createStack(r -> r.stackName("ci-roles").templateBody(stackWithRole(AccountSeeder.roleName("stacked"),
                ORG_WIDE_TRUST.formatted(provider))));
        roleWith("tf", ORG_WIDE_TRUST.formatted(provider), Map.of("managed-by", "terraform"), true);
        seed.repository("ignored", Map.of("ecr-oidc-guard:ignore", "true"));
        seed.role("github-actions-gone", Baseline.trustPolicy(provider, Baseline.GITHUB_ISSUER, AccountSeeder.github("gone", Map.of())), Map.of());

        AccountSnapshot before = snapshot();
        AccountReport reportBefore = analyze(before);
        assertThat(reportBefore.codes("trusty")).contains(FindingCode.TRUST_SUB_ORG_WIDE);
        assertThat(reportBefore.codes("perms")).contains(FindingCode.PERM_ECR_ALL_REPOS_WRITE);
        assertThat(reportBefore.codes("repopol")).contains(FindingCode.ECR_POLICY_OTHER_ROLE_WRITE);
        assertThat(reportBefore.codes("newrepo")).contains(FindingCode.ROLE_MISSING);

        InvocationResult result = handler("MODE", "remediate", "REMEDIATE", "all").handleRequest(EventRoutingTest.event("scheduled.json"), null);

        AccountSnapshot after = snapshot();
        AccountReport reportAfter = analyze(after);
        for (String fixed : List.of("trusty", "perms", "repopol", "newrepo")) {
            assertThat(reportAfter.repository(fixed).orElseThrow().findings()).as(fixed).isEmpty();
            // Never widened: nothing is found after that was not found before.
            assertThat(reportBefore.codes(fixed)).as(fixed).containsAll(reportAfter.codes(fixed));
        }
        assertThat(role(after, AccountSeeder.roleName("perms")).inlinePolicies()).extracting(IamRole.InlinePolicy::name)
                .containsExactly(Baseline.INLINE_POLICY_NAME);
        assertThat(repository(after, "repopol").policyText()).isEmpty();
        IamRole created = role(after, AccountSeeder.roleName("newrepo"));
        assertThat(created.tags()).containsEntry("managed-by", "ecr-oidc-guard").containsEntry("repository", "newrepo");

        // Byte for byte: what needed no fix, and what is protected.
        for (String untouched : List.of(clean, AccountSeeder.roleName("stacked"), AccountSeeder.roleName("tf"), "github-actions-gone")) {
            assertThat(role(after, untouched)).as(untouched).isEqualTo(role(before, untouched));
        }
        for (String untouched : List.of("clean", "stacked", "tf", "ignored")) {
            assertThat(repository(after, untouched)).as(untouched).isEqualTo(repository(before, untouched));
        }
        assertThat(after.rolesByName()).doesNotContainKey(AccountSeeder.roleName("ignored"));
        // The org-wide trust was narrowed in place: same role, every sub it admits now is this repository's.
        IamRole trustFixed = role(after, AccountSeeder.roleName("trusty"));
        assertThat(trustFixed.arn()).isEqualTo(trustRole);
        assertThat(trustFixed.trustPolicy()).contains("repo:" + AccountSeeder.ORG + "/trusty:").doesNotContain("repo:" + AccountSeeder.ORG + "/*");

        // The report: every change, why, before and after; protected parts skipped with the owner named.
        assertThat(result.changesApplied()).isEqualTo(4);
        assertThat(result.changesFailed()).isZero();
        assertThat(result.suppressed()).isEqualTo(1);
        JsonNode report = snsReport();
        Map<String, List<JsonNode>> changes = byRepository(report.get("changes"));
        assertThat(statusAndClass(changes.get("trusty"))).containsExactly("applied trust");
        assertThat(statusAndClass(changes.get("perms"))).containsExactly("applied permissions");
        assertThat(statusAndClass(changes.get("repopol"))).containsExactly("applied repository-policy");
        assertThat(statusAndClass(changes.get("newrepo"))).containsExactly("applied missing-role");
        JsonNode trust = changes.get("trusty").get(0);
        assertThat(trust.get("why").get(0).get("code").asText()).isEqualTo("TRUST_SUB_ORG_WIDE");
        // The witness is a token of another repository of the owner, which the old trust admitted.
        assertThat(trust.get("why").get(0).get("witness").get("sub").asText()).matches("repo:" + AccountSeeder.ORG + "/[^/:]+:.+")
                .doesNotStartWith("repo:" + AccountSeeder.ORG + "/trusty:");
        assertThat(trust.get("before").get("trustPolicy")).isEqualTo(MAPPER.readTree(ORG_WIDE_TRUST.formatted(provider)));
        assertThat(trust.get("after").get("trustPolicy")).isEqualTo(MAPPER.readTree(role(after, trustRole.substring(trustRole.indexOf('/') + 1)).trustPolicy()));
        JsonNode perms = changes.get("perms").get(0);
        assertThat(perms.get("before").get("inlinePolicies").get("ecr-everything")).isEqualTo(MAPPER.readTree(ECR_EVERYTHING));
        assertThat(perms.get("operations").toString()).contains("iam:PutRolePolicy", "iam:DeleteRolePolicy");
        assertThat(changes.get("repopol").get(0).get("detail").asText()).contains("deleted the repository policy");
        assertThat(changes.get("stacked")).anySatisfy(c -> {
            assertThat(c.get("status").asText()).isEqualTo("skipped");
            assertThat(c.get("detail").asText()).contains("CloudFormation stack ci-roles", "fix it in that stack's template");
        });
        assertThat(changes.get("tf")).anySatisfy(c -> assertThat(c.get("detail").asText()).contains("managed-by=terraform"));
        assertThat(changes).doesNotContainKeys("clean", "ignored");
        assertThat(report.get("suppressed")).singleElement().satisfies(s -> {
            assertThat(s.get("repository").asText()).isEqualTo("ignored");
            assertThat(s.get("whoCanLift").asText()).contains("ecr:UntagResource");
        });
        assertThat(report.get("orphanRoles").toString()).contains("github-actions-gone");
        assertThat(report.get("invocation").get("mode").asText()).isEqualTo("remediate");
        String text = MAPPER.readTree(published.getLast().getFirst().message()).get("default").asText();
        assertThat(text).contains("Changes (remediation):", "- trusty: trust applied", "suppressed: 1");
        // The logs carry the same, one line per change.
        assertThat(logLines("change")).hasSize(report.get("changes").size());
        // One count of API calls, writes and read-backs included, quoted alike by the result, the report and the summary log.
        JsonNode apiCalls = report.get("invocation").get("apiCalls");
        assertThat(result.apiCalls()).isEqualTo(apiCalls.get("total").asInt());
        assertThat(text).contains(", " + result.apiCalls() + " API calls, ");
        assertThat(logLines("summary")).singleElement().satisfies(l -> assertThat(l.get("apiCalls").asInt()).isEqualTo(result.apiCalls()));
        int sum = 0;
        for (JsonNode n : apiCalls.get("byOperation")) {
            sum += n.asInt();
        }
        assertThat(sum).isEqualTo(result.apiCalls());
        assertThat(apiCalls.get("byOperation").get("iam:PutRolePolicy").asInt()).isPositive();
        assertThat(apiCalls.get("byOperation").get("iam:DeleteRolePolicy").asInt()).isPositive();
        assertThat(apiCalls.get("byOperation").get("iam:CreateRole").asInt()).isEqualTo(1);
        assertThat(apiCalls.get("byOperation").get("iam:UpdateAssumeRolePolicy").asInt()).isEqualTo(1);
        assertThat(apiCalls.get("byOperation").get("ecr:DeleteRepositoryPolicy").asInt()).isEqualTo(1);
        assertThat(apiCalls.get("byOperation").has("sns:Publish")).as("the publish comes after the report").isFalse();

        // A clean rescan: nothing left to apply.
        published.clear();
        InvocationResult again = handler("MODE", "remediate", "REMEDIATE", "all").handleRequest(EventRoutingTest.event("scheduled.json"), null);
        assertThat(again.changesApplied()).isZero();
        assertThat(snapshot().roles()).containsExactlyInAnyOrderElementsOf(after.roles());
    }

    @Test
    void onlyEnabledClassesAreAppliedAndReportModeWritesNothing() throws Exception {
        roleWith("trusty", ORG_WIDE_TRUST.formatted(provider), OURS, true);
        seed.repository("newrepo", Map.of());
        AccountSnapshot before = snapshot();

        InvocationResult report = handler("MODE", "report", "REMEDIATE", "all").handleRequest(EventRoutingTest.event("scheduled.json"), null);
        assertThat(report.changes()).isZero();
        assertThat(snapshot()).isEqualTo(before);

        // The template's default: only missing roles are created; the drifted trust is reported.
        InvocationResult remediate = handler("MODE", "remediate", "REMEDIATE", null).handleRequest(EventRoutingTest.event("scheduled.json"), null);
        AccountSnapshot after = snapshot();
        assertThat(remediate.changesApplied()).isEqualTo(1);
        assertThat(after.rolesByName()).containsKey(AccountSeeder.roleName("newrepo"));
        assertThat(role(after, AccountSeeder.roleName("trusty"))).isEqualTo(role(before, AccountSeeder.roleName("trusty")));
        assertThat(analyze(after).codes("trusty")).contains(FindingCode.TRUST_SUB_ORG_WIDE);
    }

    // ---- events, repetition, concurrency -------------------------------------------------------------------

    @Test
    void aCreateRepositoryEventCreatesTheRoleAtOnceAndTheSameEventTwiceChangesNothing() throws Exception {
        seed.repository("testrepo", Map.of("github:repository", "acme/Test-Repo", "github:repository-id", "123456", "github:owner-id", "654321",
                "github:subject-format", "immutable"));

        InvocationResult first = handler("MODE", "remediate").handleRequest(EventRoutingTest.event("ecr-create-repository.json"), null);
        InvocationResult second = handler("MODE", "remediate").handleRequest(EventRoutingTest.event("ecr-create-repository.json"), null);

        AccountSnapshot after = snapshot();
        assertThat(first.changesApplied()).isEqualTo(1);
        assertThat(second.changes()).isZero();
        assertThat(after.roles()).extracting(IamRole::name).filteredOn(n -> n.equals(AccountSeeder.roleName("testrepo"))).hasSize(1);
        assertThat(analyze(after).repository("testrepo").orElseThrow().findings()).isEmpty();
        // The tags gave the immutable IDs (and the organisation's subject format), so the subject is the immutable form.
        assertThat(role(after, AccountSeeder.roleName("testrepo")).trustPolicy()).contains("repo:acme@654321/Test-Repo@123456:*");
    }

    /** Issue 12, problem 1: a tag set at creation by someone with only ECR rights must not buy an outside owner a role. */
    @Test
    void aCreateRepositoryEventWhoseTagNamesAnOutsideOwnerProvisionsNothingAndIsReported() throws Exception {
        seed.repository("testrepo", Map.of("github:repository", "evil-org/evil-mirror"));

        InvocationResult event = handler("MODE", "remediate", "REMEDIATE", "all")
                .handleRequest(EventRoutingTest.event("ecr-create-repository.json"), null);
        InvocationResult schedule = handler("MODE", "remediate", "REMEDIATE", "all")
                .handleRequest(EventRoutingTest.event("scheduled.json"), null);

        assertThat(snapshot().rolesByName()).doesNotContainKey(AccountSeeder.roleName("testrepo"));
        assertThat(event.changesApplied()).isZero();
        assertThat(schedule.changesApplied()).isZero();
        String report = published.get(0).get(0).message();
        assertThat(report).contains("GITHUB_OWNER_NOT_ALLOWED").contains("github:repository=evil-org/evil-mirror");
    }

    @Test
    void scheduleAndEventRacingOnOneRepositoryCreateOneRoleAndNeitherFails() throws Exception {
        seed.repository("testrepo", Map.of());
        // Both invocations have read the account (no role yet) before either calls CreateRole: the worst interleaving.
        // The loser's EntityAlreadyExists is answered once the winner has put the role's policy, so the loser re-reads
        // a complete role (without that, a loaded machine may let it see the role between CreateRole and PutRolePolicy,
        // and it completes the role with the same document: RemediatorTest covers that path).
        CyclicBarrier bothAtCreateRole = new CyclicBarrier(2);
        CountDownLatch policyPut = new CountDownLatch(1);
        ExecutionInterceptor meetAtCreateRole = new ExecutionInterceptor() {
            @Override
            public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
                if (attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME).equals("CreateRole")) {
                    try {
                        bothAtCreateRole.await(20, TimeUnit.SECONDS);
                    } catch (Exception e) {
                        throw new IllegalStateException("the other invocation never reached CreateRole", e);
                    }
                }
            }

            @Override
            public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
                if (attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME).equals("PutRolePolicy")) {
                    policyPut.countDown();
                }
            }

            @Override
            public void onExecutionFailure(Context.FailedExecution context, ExecutionAttributes attributes) {
                if (attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME).equals("CreateRole")) {
                    try {
                        policyPut.await(20, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
            }
        };
        List<Callable<InvocationResult>> invocations = List.of(
                () -> handler(meetAtCreateRole, "MODE", "remediate").handleRequest(EventRoutingTest.event("scheduled.json"), null),
                () -> handler(meetAtCreateRole, "MODE", "remediate").handleRequest(EventRoutingTest.event("ecr-create-repository.json"), null));
        List<InvocationResult> results = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(invocations.size())) {
            for (Future<InvocationResult> f : pool.invokeAll(invocations)) {
                results.add(f.get());
            }
        }

        assertThat(results).allSatisfy(r -> {
            assertThat(r.status()).isEqualTo("scanned");
            assertThat(r.changesFailed()).isZero();
            assertThat(r.changes()).isEqualTo(1);
        });
        assertThat(results.stream().mapToInt(InvocationResult::changesApplied).sum()).isEqualTo(1);
        assertThat(logLines("change")).extracting(l -> l.get("status").asText()).containsExactlyInAnyOrder("applied", "already-done");
        assertThat(logLines("change")).filteredOn(l -> l.get("status").asText().equals("already-done")).singleElement()
                .satisfies(l -> assertThat(l.get("operations").toString()).contains("iam:CreateRole"));
        AccountSnapshot after = snapshot();
        assertThat(after.roles()).extracting(IamRole::name).containsExactly(AccountSeeder.roleName("testrepo"));
        assertThat(analyze(after).repository("testrepo").orElseThrow().findings()).isEmpty();
    }

    // ---- failure and restore -------------------------------------------------------------------------------

    @Test
    void aWriteFailingHalfwayRestoresThePreviousPolicies() throws Exception {
        String managed = withDriftedPermissions("perms");
        AccountSnapshot before = snapshot();
        List<String> writes = Collections.synchronizedList(new ArrayList<>());
        ExecutionInterceptor failDetach = new ExecutionInterceptor() {
            @Override
            public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
                String op = attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
                writes.add(op);
                if (op.equals("DetachRolePolicy")) {
                    throw SdkClientException.create("injected: connection reset during DetachRolePolicy");
                }
            }
        };

        InvocationResult result = handler(failDetach, "MODE", "remediate", "REMEDIATE", "permissions")
                .handleRequest(EventRoutingTest.event("scheduled.json"), null);

        // The plan's first two writes landed before the failure...
        assertThat(writes).containsSubsequence("PutRolePolicy", "DeleteRolePolicy", "DetachRolePolicy");
        // ...and the restore put the role back exactly as it was.
        assertThat(role(snapshot(), AccountSeeder.roleName("perms"))).isEqualTo(role(before, AccountSeeder.roleName("perms")));
        assertThat(role(before, AccountSeeder.roleName("perms")).attachedPolicyArns()).containsExactly(managed);
        assertThat(result.changesFailed()).isEqualTo(1);
        JsonNode change = snsReport().get("changes").get(0);
        assertThat(change.get("status").asText()).isEqualTo("restored");
        assertThat(change.get("detail").asText()).contains("iam:DetachRolePolicy failed", "injected", "previous documents were restored");
        assertThat(change.get("before").get("inlinePolicies").get("ecr-everything")).isEqualTo(MAPPER.readTree(ECR_EVERYTHING));
        assertThat(change.get("before").get("attachedPolicyArns").get(0).asText()).isEqualTo(managed);
    }

    @Test
    void aWriteThatLandsDifferentlyFromThePlanIsRestored() throws Exception {
        roleWith("trusty", ORG_WIDE_TRUST.formatted(provider), OURS, true);
        withDriftedPermissions("perms");
        AccountSnapshot before = snapshot();
        // Something between the function and IAM rewrites the narrowed policy: it no longer matches the plan.
        ExecutionInterceptor tamper = new ExecutionInterceptor() {
            @Override
            public SdkRequest modifyRequest(Context.ModifyRequest context, ExecutionAttributes attributes) {
                if (context.request() instanceof PutRolePolicyRequest put && put.policyName().equals(Baseline.INLINE_POLICY_NAME)
                        && put.policyDocument().contains("PushPull")) {
                    return put.toBuilder().policyDocument("""
                            {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"ecr:GetAuthorizationToken","Resource":"*"}]}""").build();
                }
                return context.request();
            }
        };

        InvocationResult result = handler(tamper, "MODE", "remediate", "REMEDIATE", "trust,permissions")
                .handleRequest(EventRoutingTest.event("scheduled.json"), null);

        AccountSnapshot after = snapshot();
        assertThat(role(after, AccountSeeder.roleName("perms"))).isEqualTo(role(before, AccountSeeder.roleName("perms")));
        assertThat(analyze(after).repository("trusty").orElseThrow().findings()).isEmpty();
        assertThat(result.changesApplied()).isEqualTo(1);
        assertThat(result.changesFailed()).isEqualTo(1);
        JsonNode perms = byRepository(snsReport().get("changes")).get("perms").get(0);
        assertThat(perms.get("status").asText()).isEqualTo("restored");
        assertThat(perms.get("detail").asText()).contains("verification failed", "differ from the plan");
        // "after" is what was read back before restoring: the tampered document, kept as evidence.
        assertThat(perms.get("after").get("inlinePolicies").get(Baseline.INLINE_POLICY_NAME).toString()).doesNotContain("PushPull");
    }

    // ---- helpers -------------------------------------------------------------------------------------------

    private String withDriftedPermissions(String repository) {
        seed.repository(repository, Map.of());
        String role = AccountSeeder.roleName(repository);
        seed.role(role, Baseline.trustPolicy(provider, Baseline.GITHUB_ISSUER, AccountSeeder.github(repository, Map.of())), OURS);
        seed.inlinePolicy(role, "ecr-everything", ECR_EVERYTHING);
        String managed = seed.managedPolicy("ecr-read-" + repository, List.of("""
                {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"ecr:DescribeImages","Resource":"*"}]}"""));
        seed.attach(role, managed);
        return managed;
    }

    /** A repository and its role with {@code trust}, tags and (optionally) the canonical permissions; returns the role ARN. */
    private String roleWith(String repository, String trust, Map<String, String> tags, boolean permissions) {
        String arn = seed.repository(repository, Map.of());
        String role = AccountSeeder.roleName(repository);
        String roleArn = seed.role(role, trust, tags);
        if (permissions) {
            seed.inlinePolicy(role, Baseline.INLINE_POLICY_NAME, Baseline.pushPullPolicy(arn));
        }
        return roleArn;
    }

    private static String otherRolePushes(String repository) {
        return """
                {"Version":"2012-10-17","Statement":[{"Sid":"OtherPushes","Effect":"Allow","Principal":{"AWS":"%s"},\
                "Action":["ecr:BatchCheckLayerAvailability","ecr:InitiateLayerUpload","ecr:UploadLayerPart",\
                "ecr:CompleteLayerUpload","ecr:PutImage"]}]}""".formatted(AccountSeeder.roleArn(repository));
    }

    /** A stack with only a role (no inline Policies: moto's GetAccountAuthorizationDetails fails after those). */
    private static String stackWithRole(String roleName, String trust) {
        return """
                {"AWSTemplateFormatVersion":"2010-09-09","Resources":{"Role":{"Type":"AWS::IAM::Role",\
                "Properties":{"RoleName":"%s","AssumeRolePolicyDocument":%s}}}}""".formatted(roleName, trust);
    }

    private ScanHandler handler(String... env) {
        return handler(null, env);
    }

    private ScanHandler handler(ExecutionInterceptor interceptor, String... overrides) {
        Map<String, String> env = new HashMap<>(Map.of("GITHUB_ORG", AccountSeeder.ORG, "SNS_TOPIC_ARN", topic, "AWS_REGION", MotoServer.REGION.id(),
                "OWNERSHIP_LOOKUP", "stack-index"));
        for (int i = 0; i < overrides.length; i += 2) {
            if (overrides[i + 1] == null) {
                env.remove(overrides[i]);
            } else {
                env.put(overrides[i], overrides[i + 1]);
            }
        }
        return new ScanHandler(env, () -> config -> {
            AwsClients c = interceptor == null ? moto.clients()
                    : moto.clients(List.of(interceptor));
            functionClients.add(c);
            Adapters aws = ScanHandler.awsAdapters(config, c);
            return new Adapters(aws.inventory(), parts -> {
                published.add(parts);
                aws.notifier().publish(parts);
            }, aws.writer(), aws.ownership(), aws.apiCalls());
        }, new PrintStream(stdout, true, StandardCharsets.UTF_8), InstantSource.system());
    }

    private AccountSnapshot snapshot() {
        var inventory = AwsInventorySource.of(clients, AwsInventorySource.TagReads.PER_REPOSITORY).read(new ScanScope.WholeAccount());
        assertThat(inventory.notEvaluated()).isEmpty();
        return inventory.snapshot();
    }

    private static AccountReport analyze(AccountSnapshot snapshot) {
        return new Analyzer(AccountSeeder.CONFIG).analyze(snapshot);
    }

    private static IamRole role(AccountSnapshot snapshot, String name) {
        IamRole role = snapshot.rolesByName().get(name);
        assertThat(role).as("role " + name).isNotNull();
        return role;
    }

    private static EcrRepository repository(AccountSnapshot snapshot, String name) {
        return snapshot.repositories().stream().filter(r -> r.name().equals(name)).findFirst().orElseThrow();
    }

    private JsonNode snsReport() throws Exception {
        assertThat(published).isNotEmpty();
        List<Notification> parts = published.getLast();
        assertThat(parts).hasSize(1);
        return MAPPER.readTree(MAPPER.readTree(parts.getFirst().message()).get("sqs").asText());
    }

    private static Map<String, List<JsonNode>> byRepository(JsonNode changes) {
        List<JsonNode> all = new ArrayList<>();
        changes.forEach(all::add);
        return all.stream().collect(Collectors.groupingBy(c -> c.get("repository").asText()));
    }

    private static List<String> statusAndClass(List<JsonNode> changes) {
        assertThat(changes).isNotNull();
        return changes.stream().map(c -> c.get("status").asText() + " " + c.get("class").asText()).toList();
    }

    private List<JsonNode> logLines(String type) throws Exception {
        List<JsonNode> out = new ArrayList<>();
        for (String line : stdout.toString(StandardCharsets.UTF_8).split("\n")) {
            if (!line.isBlank()) {
                JsonNode node = MAPPER.readTree(line);
                if (type.equals(node.path("type").asText())) {
                    out.add(node);
                }
            }
        }
        return out;
    }
}
