package dev.ecroidcguard.remediation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ecroidcguard.core.Analyzer;
import dev.ecroidcguard.core.fix.RoleCreation;
import dev.ecroidcguard.core.inventory.AccountSnapshot;
import dev.ecroidcguard.core.GuardConfig;
import dev.ecroidcguard.core.RoleNaming;
import dev.ecroidcguard.core.analysis.Baseline;
import dev.ecroidcguard.core.finding.Category;
import dev.ecroidcguard.core.finding.FindingCode;
import dev.ecroidcguard.core.finding.RemediationClass;
import dev.ecroidcguard.core.fix.DocumentChange;
import dev.ecroidcguard.core.fix.FixPlan;
import dev.ecroidcguard.core.fix.PermissionsChange;
import dev.ecroidcguard.core.github.GitHubRepository;
import dev.ecroidcguard.core.inventory.IamRole;
import dev.ecroidcguard.core.report.AccountReport;
import dev.ecroidcguard.core.report.RepositoryReport;
import dev.ecroidcguard.ports.Ownership;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The orchestration over an in-memory account: which parts are written, skipped, verified, restored. */
class RemediatorTest {

    static final ObjectMapper MAPPER = new ObjectMapper();
    static final GuardConfig CONFIG;

    static {
        try {
            CONFIG = new GuardConfig("acme", RoleNaming.of(GuardConfig.DEFAULT_ROLE_NAME_TEMPLATE));
        } catch (GuardConfig.ConfigException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    static final String ORG_WIDE = """
            {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Federated":"%s"},\
            "Action":"sts:AssumeRoleWithWebIdentity","Condition":{"StringEquals":{"token.actions.githubusercontent.com:aud":"sts.amazonaws.com"},\
            "StringLike":{"token.actions.githubusercontent.com:sub":"repo:acme/*"}}}]}""".formatted(FakeAccount.PROVIDER);
    static final String ECR_EVERYTHING = """
            {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"ecr:*","Resource":"*"}]}""";

    static String role(String repository) {
        return "github-actions-" + repository;
    }

    static String roleArn(String repository) {
        return "arn:aws:iam::" + FakeAccount.ACCOUNT + ":role/" + role(repository);
    }

    static String canonicalTrust(String repository) {
        try {
            return Baseline.trustPolicy(FakeAccount.PROVIDER, Baseline.GITHUB_ISSUER, GitHubRepository.fromTags(repository, Map.of(), "acme"));
        } catch (GitHubRepository.InvalidTagException e) {
            throw new IllegalArgumentException(e);
        }
    }

    /** The tag of a role the guard created or a person adopted: only such roles are ever written. */
    static final Map<String, String> OURS = Map.of(Baseline.OWNER_TAG_KEY, Baseline.OWNER_TAG_VALUE);

    static void compliant(FakeAccount account, String repository, Map<String, String> roleTags) {
        account.repository(repository, Optional.empty(), Map.of());
        account.role(role(repository), canonicalTrust(repository),
                Map.of(Baseline.INLINE_POLICY_NAME, Baseline.pushPullPolicy(FakeAccount.repositoryArn(repository))), List.of(), roleTags);
    }

    static String otherRolePushes(String repository) {
        return """
                {"Sid":"OtherPushes","Effect":"Allow","Principal":{"AWS":"%s"},\
                "Action":["ecr:BatchCheckLayerAvailability","ecr:InitiateLayerUpload","ecr:UploadLayerPart","ecr:CompleteLayerUpload","ecr:PutImage"]}"""
                .formatted(roleArn(repository));
    }

    /** One repository per class of drift: "new" lacks its role, "trusty", "perms" and "pol" drifted. */
    static FakeAccount drifted() {
        FakeAccount account = new FakeAccount();
        account.repository("new", Optional.empty(), Map.of());
        compliant(account, "trusty", Map.of());
        account.role(role("trusty"), ORG_WIDE, Map.of(Baseline.INLINE_POLICY_NAME, Baseline.pushPullPolicy(FakeAccount.repositoryArn("trusty"))),
                List.of(), OURS);
        account.repository("perms", Optional.empty(), Map.of());
        account.role(role("perms"), canonicalTrust("perms"), Map.of("ecr-everything", ECR_EVERYTHING), List.of(), OURS);
        compliant(account, "pol", Map.of());
        account.repository("pol", Optional.of("{\"Version\":\"2012-10-17\",\"Statement\":[" + otherRolePushes("trusty") + "]}"), Map.of());
        return account;
    }

    static Remediator remediator(FakeAccount account, Set<RemediationClass> enabled, Ownership ownership) {
        return new Remediator(CONFIG, enabled, Map.of("managed-by", Set.of("terraform")), account, ownership, account);
    }

    static Remediator.Result remediate(FakeAccount account, Set<RemediationClass> enabled) {
        return remediator(account, enabled, Ownership.TAGS_ONLY).remediate(new Analyzer(CONFIG).analyze(account.snapshot()), account.snapshot());
    }

    static List<FindingCode> codes(FakeAccount account, String repository, RemediationClass cls) {
        Set<Category> categories = FixClass.of(cls).verifiedCategories();
        return new Analyzer(CONFIG).analyze(account.snapshot()).repository(repository).orElseThrow().findings().stream()
                .map(f -> f.code()).filter(c -> categories.contains(c.category())).toList();
    }

    static final Map<RemediationClass, String> REPOSITORY_OF = Map.of(RemediationClass.MISSING_ROLE, "new", RemediationClass.TRUST, "trusty",
            RemediationClass.PERMISSIONS, "perms", RemediationClass.REPOSITORY_POLICY, "pol");

    /** Every set of enabled classes: the 16 subsets of the four, among them none, the default {missing-role} and each alone. */
    static List<Set<RemediationClass>> everySetOfClasses() {
        List<RemediationClass> classes = List.of(RemediationClass.values());
        List<Set<RemediationClass>> sets = new ArrayList<>();
        for (int mask = 0; mask < 1 << classes.size(); mask++) {
            Set<RemediationClass> enabled = EnumSet.noneOf(RemediationClass.class);
            for (int i = 0; i < classes.size(); i++) {
                if ((mask & 1 << i) != 0) {
                    enabled.add(classes.get(i));
                }
            }
            sets.add(enabled);
        }
        return sets;
    }

    @Test
    void theSixteenSetsOfClassesIncludeTheDefaultAndEachClassAlone() {
        List<Set<RemediationClass>> sets = everySetOfClasses();
        assertThat(sets).hasSize(16).doesNotHaveDuplicates().contains(Set.of(), EnumSet.allOf(RemediationClass.class));
        assertThat(sets).contains(Set.of(RemediationClass.MISSING_ROLE), Set.of(RemediationClass.TRUST), Set.of(RemediationClass.PERMISSIONS),
                Set.of(RemediationClass.REPOSITORY_POLICY));
    }

    @Test
    void theEnabledClassesAndOnlyThoseAreWritten() {
        for (Set<RemediationClass> enabled : everySetOfClasses()) {
            String as = "REMEDIATE=" + enabled;
            FakeAccount account = drifted();
            var before = account.snapshot();

            Remediator.Result result = remediate(account, enabled);

            for (RemediationClass cls : RemediationClass.values()) {
                String repository = REPOSITORY_OF.get(cls);
                if (enabled.contains(cls)) {
                    assertThat(codes(account, repository, cls)).as(as + ": " + cls + " fixed").isEmpty();
                    assertThat(result.changes()).as(as).filteredOn(c -> c.repository().equals(repository))
                            .singleElement().satisfies(c -> {
                                assertThat(c.status()).as(as).isEqualTo(Change.Status.APPLIED);
                                assertThat(c.remediationClass()).as(as).isEqualTo(cls);
                                assertThat(c.operations()).as(as).isNotEmpty()
                                        .allSatisfy(op -> assertThat(Remediator.actions(cls)).containsAll(op.authorizedAs()));
                            });
                } else {
                    assertThat(result.changes()).as(as).noneMatch(c -> c.repository().equals(repository));
                    assertThat(account.roles.get(role(repository))).as(as).isEqualTo(before.rolesByName().get(role(repository)));
                    assertThat(account.repositories.get(repository)).as(as).isEqualTo(before.repositories().stream()
                            .filter(r -> r.name().equals(repository)).findFirst().orElseThrow());
                }
            }
            assertThat(result.changes()).as(as).allSatisfy(c -> assertThat(enabled).contains(c.remediationClass()));
            // The operations the changes list are the writes made, in order ("iam:CreateRole x" is the write "CreateRole x").
            assertThat(result.changes().stream().flatMap(c -> c.operations().stream()).map(op -> op.describe().substring(op.describe().indexOf(':') + 1)))
                    .as(as).containsExactlyElementsOf(account.writes);
            // One read-back for all the writes of the invocation, none when nothing was written.
            assertThat(account.reads).as(as).isEqualTo(enabled.isEmpty() ? 0 : 1);
            // The report is the account as it now stands.
            assertThat(result.report().repositories()).extracting(RepositoryReport::repository).containsExactly("new", "perms", "pol", "trusty");
            assertThat(result.report().findings().size()).as(as).isLessThanOrEqualTo(new Analyzer(CONFIG).analyze(before).findings().size());
        }
    }

    /** A class calls only the actions it declares (the template grants it no more): anything else is refused before the call. */
    @Test
    void aClassCannotCallAnActionItDoesNotDeclare() {
        FakeAccount account = drifted();
        List<String> journal = new ArrayList<>();
        Writes trust = new Writes(account, FixClass.of(RemediationClass.TRUST), (cls, op, before) -> journal.add(cls.configName() + " " + op.describe()));
        List<Operation> log = new ArrayList<>();

        trust.run(new Operation.UpdateAssumeRolePolicy(role("trusty"), canonicalTrust("trusty")), log, Documents.trust(ORG_WIDE));
        assertThatThrownBy(() -> trust.run(new Operation.DeleteRole(role("trusty")), log, Documents.absentRole()))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("trust does not declare [DELETE_ROLE]");

        assertThat(account.writes).containsExactly("UpdateAssumeRolePolicy " + role("trusty"));
        assertThat(log).extracting(Operation::describe).containsExactly("iam:UpdateAssumeRolePolicy " + role("trusty"));
        // The journal records each write before it is made (never the refused one).
        assertThat(journal).containsExactly("trust iam:UpdateAssumeRolePolicy " + role("trusty"));
        // Creating a role with tags is authorized as TagRole too, which the missing-role class declares.
        assertThat(new Operation.CreateRole("r", "{}", Map.of("k", "v")).authorizedAs()).containsExactlyInAnyOrder(Action.CREATE_ROLE, Action.TAG_ROLE);
        assertThat(Remediator.actions(RemediationClass.MISSING_ROLE)).contains(Action.CREATE_ROLE, Action.TAG_ROLE);
    }

    @Test
    void partsThatNeedAPersonAreReportedAndNeverWritten() {
        FakeAccount account = drifted();
        AccountReport analysed = new Analyzer(CONFIG).analyze(account.snapshot());
        RepositoryReport trusty = analysed.repository("trusty").orElseThrow();
        FixPlan needsHuman = new FixPlan(Optional.empty(), Optional.empty(), new DocumentChange.NeedsHuman("two providers"),
                new PermissionsChange.NeedsHuman("conditional grants"), new DocumentChange.NeedsHuman("a deny of push"));
        AccountReport report = new AccountReport(analysed.accountId(), analysed.region(), analysed.githubOrg(),
                List.of(new RepositoryReport("trusty", trusty.repositoryArn(), trusty.role(), trusty.findings(), needsHuman)), List.of(), List.of());

        Remediator.Result result = remediator(account, EnumSet.allOf(RemediationClass.class), Ownership.TAGS_ONLY).remediate(report, account.snapshot());

        assertThat(account.writes).isEmpty();
        assertThat(account.reads).isZero();
        assertThat(result.changes()).extracting(Change::status).containsOnly(Change.Status.SKIPPED).hasSize(3);
        assertThat(result.changes()).extracting(Change::detail).containsExactlyInAnyOrder("needs a person: two providers",
                "needs a person: conditional grants", "needs a person: a deny of push");
    }

    @Test
    void resourcesOwnedByAStackOrOtherIacAreNeverWrittenAndAnUnknownOwnerBlocksToo() {
        FakeAccount account = drifted();
        account.role(role("trusty"), ORG_WIDE, Map.of(Baseline.INLINE_POLICY_NAME, Baseline.pushPullPolicy(FakeAccount.repositoryArn("trusty"))),
                List.of(), Map.of("managed-by", "terraform"));
        account.repository("pol", account.repositories.get("pol").policyText(), Map.of("aws:cloudformation:stack-name", "registry"));
        List<String> lookedUp = new ArrayList<>();
        Ownership ownership = (physicalId, tags) -> {
            lookedUp.add(physicalId);
            if (physicalId.equals(role("perms"))) {
                throw new IllegalStateException("AccessDenied: cloudformation:DescribeStackResources");
            }
            return Ownership.TAGS_ONLY.owningStack(physicalId, tags);
        };

        Remediator.Result result = remediator(account, EnumSet.allOf(RemediationClass.class), ownership)
                .remediate(new Analyzer(CONFIG).analyze(account.snapshot()), account.snapshot());

        assertThat(account.writes).allSatisfy(w -> assertThat(w).contains(role("new")));
        assertThat(detail(result, "trusty")).contains("tagged managed-by=terraform", "fix it in that code");
        assertThat(detail(result, "pol")).contains("CloudFormation stack registry", "fix it in that stack's template");
        assertThat(detail(result, "perms")).contains("could not be established", "AccessDenied");
        // Tags answer first: the lookup runs only for what the tags did not settle.
        assertThat(lookedUp).containsExactlyInAnyOrder("pol", role("perms"));
    }

    /**
     * Issue 12, problem 4: creating an ECR repository {@code terraform} must not make a pre-existing role
     * {@code github-actions-terraform} (holding OrgAdmin) subject to rewriting: only roles the guard created or a
     * person adopted (tag managed-by=ecr-oidc-guard) are written; others are reported with how to adopt them.
     */
    @Test
    void aRoleMerelyNamedLikeOursIsReportedNeverWritten() {
        FakeAccount account = new FakeAccount();
        account.repository("terraform", Optional.empty(), Map.of());
        account.role(role("terraform"), ORG_WIDE, Map.of("org-admin", """
                {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}"""), List.of(), Map.of());
        AccountSnapshot before = account.snapshot();

        Remediator.Result result = remediator(account, EnumSet.allOf(RemediationClass.class), Ownership.TAGS_ONLY)
                .remediate(new Analyzer(CONFIG).analyze(before), before);

        assertThat(account.writes).isEmpty();
        assertThat(account.snapshot()).isEqualTo(before);
        assertThat(result.changes()).extracting(Change::remediationClass)
                .containsExactlyInAnyOrder(RemediationClass.TRUST, RemediationClass.PERMISSIONS);
        assertThat(result.changes()).allSatisfy(c -> {
            assertThat(c.status()).isEqualTo(Change.Status.SKIPPED);
            assertThat(c.detail()).contains("not tagged managed-by=ecr-oidc-guard", "reported, not modified");
        });
    }

    /** Issue 12, problem 10: a repository that could not be re-read is unverified, never "gone": no false rollback. */
    @Test
    void anUnreadableReadBackIsUnverifiedAndNothingIsRolledBack() {
        FakeAccount account = drifted();
        AccountSnapshot before = account.snapshot();
        account.unreadableOnReadBack = Set.of("trusty", "new");

        Remediator.Result result = remediator(account, EnumSet.of(RemediationClass.TRUST, RemediationClass.MISSING_ROLE), Ownership.TAGS_ONLY)
                .remediate(new Analyzer(CONFIG).analyze(before), before);

        assertThat(result.changes()).extracting(Change::repository, Change::status).containsExactlyInAnyOrder(
                tuple("trusty", Change.Status.UNVERIFIED), tuple("new", Change.Status.UNVERIFIED));
        assertThat(result.changes()).allSatisfy(c -> assertThat(c.detail()).contains("could not be re-read", "Throttling", "not restored"));
        // The written documents stay (no restore, the created role is not deleted); the backups are in the changes.
        assertThat(account.writes).noneMatch(w -> w.startsWith("DeleteRole"));
        assertThat(account.roles).containsKey(role("new"));
        assertThat(result.changes()).filteredOn(c -> c.repository().equals("trusty")).singleElement()
                .satisfies(c -> assertThat(c.before().trustPolicy()).hasValue(ORG_WIDE));
    }

    /** Issue 12, problem 8: a read-back that fails altogether leaves every write unverified, recorded, with its backup. */
    @Test
    void aFailingReadBackLeavesEveryWriteUnverifiedWithItsBackupAndTheJournalHasEachWrite() {
        FakeAccount account = drifted();
        AccountSnapshot before = account.snapshot();
        account.readBackFails = true;
        List<String> journal = new ArrayList<>();

        Remediator.Result result = new Remediator(CONFIG, EnumSet.allOf(RemediationClass.class), Map.of(), account, Ownership.TAGS_ONLY, account,
                (cls, op, docs) -> journal.add(op.describe())).remediate(new Analyzer(CONFIG).analyze(before), before);

        assertThat(result.changes()).filteredOn(Change::wrote).isNotEmpty()
                .allSatisfy(c -> assertThat(c.status()).isEqualTo(Change.Status.UNVERIFIED));
        assertThat(result.changes()).filteredOn(Change::wrote).allSatisfy(c -> assertThat(c.before()).isNotNull());
        assertThat(journal).hasSameSizeAs(account.writes).allSatisfy(line -> assertThat(line).matches("(iam|ecr):[A-Za-z]+ .+"));
    }

    /**
     * Issue 12, problem 9: CreateRole whose answer was lost: the SDK's retry meets the role this invocation created,
     * without its policy. It is completed, not left as "already existed" with no permissions.
     */
    @Test
    void aRoleFoundWithoutItsPermissionsAfterCreateRoleMetItselfIsCompleted() {
        FakeAccount account = new FakeAccount();
        account.repository("new", Optional.empty(), Map.of());
        AccountSnapshot before = account.snapshot();
        AccountReport report = new Analyzer(CONFIG).analyze(before);
        // What the lost answer left: the role exists, tagged as ours, with the planned trust and nothing else.
        RoleCreation create = report.repository("new").orElseThrow().fix().createRole().orElseThrow();
        account.role(create.roleName(), create.trustPolicy(), Map.of(), List.of(), create.tags());

        Remediator.Result result = remediator(account, EnumSet.of(RemediationClass.MISSING_ROLE), Ownership.TAGS_ONLY).remediate(report, before);

        assertThat(result.changes()).singleElement().satisfies(c -> {
            assertThat(c.status()).isEqualTo(Change.Status.APPLIED);
            assertThat(c.detail()).contains("existed without its permissions", "push/pull policy was put");
        });
        assertThat(account.roles.get(create.roleName()).inlinePolicies()).extracting(IamRole.InlinePolicy::name)
                .containsExactly(Baseline.INLINE_POLICY_NAME);
        // The report shows the account after the completion, not the read-back before it.
        assertThat(result.report().repository("new").orElseThrow().findings()).isEmpty();
    }

    @Test
    void aRoleCreatedConcurrentlyIsReauditedNotCreatedAgainOrDeleted() {
        FakeAccount account = drifted();
        AccountReport report = new Analyzer(CONFIG).analyze(account.snapshot());
        var snapshot = account.snapshot();
        // Another invocation creates the role between this one's inventory and its CreateRole.
        compliant(account, "new", Map.of("managed-by", "ecr-oidc-guard"));
        IamRole theirs = account.roles.get(role("new"));

        Remediator.Result result = remediator(account, EnumSet.of(RemediationClass.MISSING_ROLE), Ownership.TAGS_ONLY).remediate(report, snapshot);

        assertThat(account.writes).containsExactly("CreateRole " + role("new"));
        assertThat(account.roles.get(role("new"))).isEqualTo(theirs);
        assertThat(result.changes()).singleElement().satisfies(c -> {
            assertThat(c.status()).isEqualTo(Change.Status.ALREADY_DONE);
            assertThat(c.detail()).contains("0 finding(s) of this class remain");
        });
    }

    @Test
    void aPolicyWriteFailingAfterCreateRoleRollsTheNewRoleBack() {
        FakeAccount account = drifted();
        account.failing = op -> op.startsWith("PutRolePolicy " + role("new"));

        Remediator.Result result = remediate(account, EnumSet.of(RemediationClass.MISSING_ROLE));

        assertThat(account.roles).doesNotContainKey(role("new"));
        assertThat(account.writes).containsExactly("CreateRole " + role("new"), "PutRolePolicy " + role("new") + " " + Baseline.INLINE_POLICY_NAME,
                "DeleteRolePolicy " + role("new") + " " + Baseline.INLINE_POLICY_NAME, "DeleteRole " + role("new"));
        assertThat(result.changes()).singleElement().satisfies(c -> {
            assertThat(c.status()).isEqualTo(Change.Status.RESTORED);
            assertThat(c.detail()).contains("PutRolePolicy failed after CreateRole", "injected failure");
            // The rollback's calls are listed with the ones that failed: every write made, each on its own.
            assertThat(c.operations()).extracting(Operation::describe).containsExactly("iam:CreateRole " + role("new"),
                    "iam:PutRolePolicy " + role("new") + " " + Baseline.INLINE_POLICY_NAME,
                    "iam:DeleteRolePolicy " + role("new") + " " + Baseline.INLINE_POLICY_NAME, "iam:DeleteRole " + role("new"));
        });
    }

    @Test
    void whenRestoringFailsTooTheChangeSaysSoAndCarriesTheBackup() {
        FakeAccount account = drifted();
        account.failing = op -> op.startsWith("DeleteRolePolicy " + role("perms"));

        Remediator.Result result = remediate(account, EnumSet.of(RemediationClass.PERMISSIONS));

        assertThat(result.changes()).singleElement().satisfies(c -> {
            assertThat(c.status()).isEqualTo(Change.Status.FAILED);
            assertThat(c.detail()).contains("iam:DeleteRolePolicy failed", "restoring the previous documents failed too", "a person must restore it");
            assertThat(c.before().inlinePolicies()).containsEntry("ecr-everything", ECR_EVERYTHING);
        });
    }

    @Test
    void aRepositoryPolicyKeepsItsCompliantStatements() throws Exception {
        FakeAccount account = drifted();
        String ownPull = """
                {"Sid":"OwnPull","Effect":"Allow","Principal":{"AWS":"%s"},"Action":["ecr:BatchGetImage","ecr:GetDownloadUrlForLayer"]}"""
                .formatted(roleArn("pol"));
        account.repository("pol", Optional.of("{\"Version\":\"2012-10-17\",\"Statement\":[" + otherRolePushes("trusty") + "," + ownPull + "]}"),
                Map.of());
        assertThat(codes(account, "pol", RemediationClass.REPOSITORY_POLICY)).containsExactly(FindingCode.ECR_POLICY_OTHER_ROLE_WRITE);

        Remediator.Result result = remediate(account, EnumSet.of(RemediationClass.REPOSITORY_POLICY));

        JsonNode statements = MAPPER.readTree(account.repositories.get("pol").policyText().orElseThrow()).get("Statement");
        assertThat(statements).hasSize(1);
        assertThat(statements.get(0).get("Sid").asText()).isEqualTo("OwnPull");
        assertThat(codes(account, "pol", RemediationClass.REPOSITORY_POLICY)).isEmpty();
        assertThat(result.changes()).singleElement().satisfies(c -> {
            assertThat(c.status()).isEqualTo(Change.Status.APPLIED);
            assertThat(c.detail()).contains("removed the offending statements", "kept the rest");
            assertThat(c.operations()).extracting(Operation::describe).containsExactly("ecr:SetRepositoryPolicy pol");
        });
    }

    @Test
    void findingsThePlanSaysRemainMayStayAndTheFixIsStillApplied() {
        FakeAccount account = drifted();
        // Pull everywhere, no push: the rewrite narrows the pull to the repository and cannot add push (never widens).
        account.role(role("perms"), canonicalTrust("perms"), Map.of("pull-everywhere", """
                {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"ecr:GetAuthorizationToken","Resource":"*"},\
                {"Effect":"Allow","Action":["ecr:BatchGetImage","ecr:GetDownloadUrlForLayer","ecr:BatchCheckLayerAvailability"],"Resource":"*"}]}"""),
                List.of(), OURS);
        // A fixable grant to another role next to a Deny of push, which only a person may remove.
        String denyPush = """
                {"Sid":"NoPush","Effect":"Deny","Principal":{"AWS":"%s"},"Action":"ecr:PutImage"}""".formatted(roleArn("pol"));
        account.repository("pol", Optional.of("{\"Version\":\"2012-10-17\",\"Statement\":[" + otherRolePushes("trusty") + "," + denyPush + "]}"),
                Map.of());
        assertThat(codes(account, "perms", RemediationClass.PERMISSIONS))
                .containsExactlyInAnyOrder(FindingCode.PERM_ECR_READ_ALL_REPOS, FindingCode.PERM_MISSING_PUSH_ACTIONS);
        assertThat(codes(account, "pol", RemediationClass.REPOSITORY_POLICY))
                .containsExactlyInAnyOrder(FindingCode.ECR_POLICY_OTHER_ROLE_WRITE, FindingCode.ECR_POLICY_DENIES_PUSH);

        Remediator.Result result = remediate(account, EnumSet.of(RemediationClass.PERMISSIONS, RemediationClass.REPOSITORY_POLICY));

        assertThat(result.changes()).extracting(Change::repository).containsExactlyInAnyOrder("perms", "pol");
        assertThat(result.changes()).allSatisfy(c -> assertThat(c.status()).as(c.detail()).isEqualTo(Change.Status.APPLIED));
        assertThat(codes(account, "perms", RemediationClass.PERMISSIONS)).containsExactly(FindingCode.PERM_MISSING_PUSH_ACTIONS);
        assertThat(codes(account, "pol", RemediationClass.REPOSITORY_POLICY)).containsExactly(FindingCode.ECR_POLICY_DENIES_PUSH);
    }

    /** A plan for "pol" that writes the offending policy back unchanged, with reasons worded as if its finding remained. */
    static Remediator.Result rewriteOffendingPolicyUnchanged(FakeAccount account, Set<FindingCode> remaining) {
        AccountReport analysed = new Analyzer(CONFIG).analyze(account.snapshot());
        RepositoryReport pol = analysed.repository("pol").orElseThrow();
        String unchanged = account.repositories.get("pol").policyText().orElseThrow();
        FixPlan plan = new FixPlan(Optional.empty(), Optional.empty(), DocumentChange.UNCHANGED, PermissionsChange.UNCHANGED,
                new DocumentChange.Replace(unchanged, List.of("ECR_POLICY_OTHER_ROLE_WRITE remains, left for a person"), remaining));
        AccountReport report = new AccountReport(analysed.accountId(), analysed.region(), analysed.githubOrg(),
                List.of(new RepositoryReport("pol", pol.repositoryArn(), pol.role(), pol.findings(), plan)), List.of(), List.of());
        return remediator(account, EnumSet.of(RemediationClass.REPOSITORY_POLICY), Ownership.TAGS_ONLY).remediate(report, account.snapshot());
    }

    @Test
    void whatMayRemainIsThePlansRemainingCodesNotTheWordingOfItsReasons() {
        FakeAccount account = drifted();
        Remediator.Result result = rewriteOffendingPolicyUnchanged(account, Set.of());
        assertThat(result.changes()).singleElement().satisfies(c -> {
            assertThat(c.status()).isEqualTo(Change.Status.RESTORED);
            assertThat(c.detail()).contains("after the write the analysis still finds ECR_POLICY_OTHER_ROLE_WRITE");
        });

        FakeAccount again = drifted();
        Remediator.Result declared = rewriteOffendingPolicyUnchanged(again, Set.of(FindingCode.ECR_POLICY_OTHER_ROLE_WRITE));
        assertThat(declared.changes()).singleElement().satisfies(c -> assertThat(c.status()).isEqualTo(Change.Status.APPLIED));
    }

    @Test
    void aRepositoryWhoseRoleNameIsTooLongIsReportedAndNothingIsMangled() {
        FakeAccount account = new FakeAccount();
        String name = "a".repeat(50);
        account.repository(name, Optional.empty(), Map.of());

        Remediator.Result result = remediate(account, EnumSet.allOf(RemediationClass.class));

        assertThat(account.writes).isEmpty();
        assertThat(result.changes()).isEmpty();
        assertThat(result.report().repository(name).orElseThrow().findings()).singleElement().satisfies(f -> {
            assertThat(f.code()).isEqualTo(FindingCode.INPUT_INVALID);
            assertThat(f.message()).contains("IAM allows at most 64");
        });
    }

    private static String detail(Remediator.Result result, String repository) {
        return String.join(" | ", result.changes().stream().filter(c -> c.repository().equals(repository)).map(Change::detail).toList());
    }
}
