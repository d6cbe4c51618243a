package dev.ecroidcguard.core;

import dev.ecroidcguard.core.analysis.Baseline;
import dev.ecroidcguard.core.analysis.CheckOutcome;
import dev.ecroidcguard.core.analysis.RepositoryContext;
import dev.ecroidcguard.core.finding.Finding;
import dev.ecroidcguard.core.finding.FindingCode;
import dev.ecroidcguard.core.finding.Witness;
import dev.ecroidcguard.core.fix.DocumentChange;
import dev.ecroidcguard.core.fix.FixPlan;
import dev.ecroidcguard.core.fix.PermissionsChange;
import dev.ecroidcguard.core.fix.RoleCreation;
import dev.ecroidcguard.core.github.GitHubRepository;
import dev.ecroidcguard.core.inventory.AccountSnapshot;
import dev.ecroidcguard.core.inventory.EcrRepository;
import dev.ecroidcguard.core.inventory.IamRole;
import dev.ecroidcguard.core.inventory.OidcProvider;
import dev.ecroidcguard.core.lang.WorkBudget;
import dev.ecroidcguard.core.permissions.PermissionsCheck;
import dev.ecroidcguard.core.report.AccountReport;
import dev.ecroidcguard.core.report.Audit;
import dev.ecroidcguard.core.report.OrphanRole;
import dev.ecroidcguard.core.report.RepositoryReport;
import dev.ecroidcguard.core.report.Suppressed;
import dev.ecroidcguard.core.repositorypolicy.RepositoryPolicyCheck;
import dev.ecroidcguard.core.trust.TrustCheck;
import dev.ecroidcguard.core.trust.TrustLanguageCache;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * The one entry point of the analysis core: account snapshot and naming contract in, report out.
 * Pure: no AWS calls, no clock, no I/O. Each repository is analysed on its own, so a malformed document or
 * an unexpected failure becomes a finding for that repository and never aborts the others.
 */
public final class Analyzer {

    private final GuardConfig config;

    public Analyzer(GuardConfig config) {
        this.config = config;
    }

    public AccountReport analyze(AccountSnapshot account) {
        return analyze(account, account.repositories());
    }

    /** Analyse only {@code repositories} of the account (event-driven scans); orphans are computed account-wide. */
    public AccountReport analyze(AccountSnapshot account, List<EcrRepository> repositories) {
        Map<String, IamRole> roles = account.rolesByName();
        List<OidcProvider> providers = gitHubProviders(account);
        TrustLanguageCache languages = new TrustLanguageCache();
        List<RepositoryReport> reports = new ArrayList<>();
        for (EcrRepository repository : repositories) {
            reports.add(analyzeRepository(account, repository, roles, providers, languages));
        }
        reports.sort(Comparator.comparing(RepositoryReport::repository));
        return new AccountReport(account.accountId(), account.region(), config.githubOrg(), reports, orphans(account, Set.of()), List.of());
    }

    /**
     * One scan: the repositories of {@code scope} analysed, with what is decided beside the checks. A repository
     * tagged {@link IgnoreTag} is suppressed (listed, not analysed). A scope of named repositories reports only
     * their roles as orphans: the rest of the account was not the question, and an adapter may have read only these
     * repositories, which would make every other role look orphaned. Once {@code budget} is exhausted, the remaining
     * repositories are not started and are listed as not evaluated, after {@code unread} (those the inventory could
     * not read). A role whose repository is among {@code repositoriesInOtherRegions} (IAM is global, ECR regional: the
     * account's other scanned regions) is not an orphan.
     */
    public Audit audit(AccountSnapshot account, List<AccountReport.NotEvaluated> unread, Set<String> repositoriesInOtherRegions,
                       ScanScope scope, TimeBudget budget) {
        Map<String, IamRole> roles = account.rolesByName();
        List<OidcProvider> providers = gitHubProviders(account);
        TrustLanguageCache languages = new TrustLanguageCache();
        List<RepositoryReport> reports = new ArrayList<>();
        List<Suppressed> suppressed = new ArrayList<>();
        List<AccountReport.NotEvaluated> notEvaluated = new ArrayList<>(unread);
        for (EcrRepository repository : account.repositories()) {
            if (!scope.covers(repository.name())) {
                continue;
            }
            boolean ignored = IgnoreTag.isSet(repository);
            if (ignored) {
                suppressed.add(IgnoreTag.suppressed(repository));
            }
            Optional<String> outOfTime = budget.exhausted();
            if (outOfTime.isPresent()) {
                notEvaluated.add(new AccountReport.NotEvaluated(repository.name(), "not started: " + outOfTime.get()));
                continue;
            }
            RepositoryReport report = analyzeRepository(account, repository, roles, providers, languages);
            if (ignored) {
                // Analysed all the same: the tag cannot hide exposure to the public or other accounts.
                IgnoreTag.whatRemains(report).ifPresent(reports::add);
            } else {
                reports.add(report);
            }
        }
        reports.sort(Comparator.comparing(RepositoryReport::repository));
        List<OrphanRole> orphans = orphans(account, repositoriesInOtherRegions).stream().filter(o -> scope.covers(o.expectedRepository())).toList();
        return new Audit(new AccountReport(account.accountId(), account.region(), config.githubOrg(), reports, orphans, notEvaluated),
                suppressed);
    }

    private static List<OidcProvider> gitHubProviders(AccountSnapshot account) {
        return account.oidcProviders().stream().filter(p -> RepositoryContext.isGitHubIssuer(p.url())).toList();
    }

    /** {@code languages}: the scan's trust languages, shared by its repositories (a scan runs on one thread). */
    private RepositoryReport analyzeRepository(AccountSnapshot account, EcrRepository repository, Map<String, IamRole> roles,
                                               List<OidcProvider> providers, TrustLanguageCache languages) {
        RoleNaming.RoleName roleName = config.roleNaming().roleNameFor(repository.name());
        if (!roleName.isValid()) {
            return new RepositoryReport(repository.name(), repository.arn(), null,
                    List.of(Finding.of(FindingCode.INPUT_INVALID, repository.arn(), roleName.invalidBecause().orElseThrow()
                            + "; rename the repository or change ROLE_NAME_TEMPLATE", null)), FixPlan.none());
        }
        GitHubRepository github;
        try {
            github = GitHubRepository.fromTags(repository.name(), repository.tags(), config.githubOrg());
        } catch (GitHubRepository.InvalidTagException e) {
            return new RepositoryReport(repository.name(), repository.arn(), roleName.name(),
                    List.of(Finding.of(FindingCode.INPUT_INVALID, repository.arn(), e.getMessage(), null)), FixPlan.none());
        }
        // Tags are writable by anyone with ECR rights: a tag may pick a repository of an allowed owner, never
        // bring in another owner. Such a repository is checked as GITHUB_ORG/<name> (so an outside trust shows
        // as an exposure, not as "compliant") and nothing about it is changed automatically.
        Optional<Finding> outsideOwner = Optional.empty();
        if (!config.ownerAllowed(github.owner())) {
            String tag = GitHubRepository.TAG_REPOSITORY + "=" + repository.tags().get(GitHubRepository.TAG_REPOSITORY);
            outsideOwner = Optional.of(Finding.of(FindingCode.GITHUB_OWNER_NOT_ALLOWED, repository.arn(), "tag " + tag
                    + " names GitHub owner " + github.owner() + ", which is not GITHUB_ORG (" + config.githubOrg()
                    + ") or in GITHUB_ALLOWED_OWNERS; the tag is ignored, the repository is checked as " + config.githubOrg() + "/"
                    + repository.name() + " and left to a person", new Witness.Detail("tag " + tag)));
            try {
                github = GitHubRepository.fromTags(repository.name(), Map.of(), config.githubOrg());
            } catch (GitHubRepository.InvalidTagException e) {
                return new RepositoryReport(repository.name(), repository.arn(), roleName.name(),
                        List.of(outsideOwner.get(), Finding.of(FindingCode.INPUT_INVALID, repository.arn(), e.getMessage(), null)),
                        FixPlan.none());
            }
        }
        Optional<IamRole> role = Optional.ofNullable(roles.get(roleName.name()));
        RepositoryContext ctx = new RepositoryContext(account, repository, github, roleName.name(), role, providers);
        List<Finding> findings = new ArrayList<>();
        outsideOwner.ifPresent(findings::add);

        Optional<RoleCreation> create = Optional.empty();
        Optional<String> createBlocked = Optional.empty();
        DocumentChange trust = DocumentChange.UNCHANGED;
        PermissionsChange permissions = PermissionsChange.UNCHANGED;
        if (role.isEmpty()) {
            findings.add(Finding.of(FindingCode.ROLE_MISSING, ctx.roleArn(), "no role " + roleName.name() + " for repository "
                    + repository.name() + " (GitHub " + github.fullName() + ")", null));
            if (providers.isEmpty()) {
                createBlocked = Optional.of("the account has no IAM OIDC provider for " + Baseline.GITHUB_ISSUER + "; create it first");
            } else {
                OidcProvider provider = providers.get(0);
                create = Optional.of(new RoleCreation(roleName.name(), Baseline.trustPolicy(provider.arn(), provider.url(), github),
                        Baseline.INLINE_POLICY_NAME, Baseline.pushPullPolicy(repository.arn()),
                        Map.of(Baseline.OWNER_TAG_KEY, Baseline.OWNER_TAG_VALUE, "repository", repository.name())));
            }
        } else {
            String roleDocuments = "of role " + roleName.name();
            CheckOutcome<DocumentChange> trustOutcome = guarded(ctx, "trust policy " + roleDocuments, ctx.roleArn(), c -> TrustCheck.check(c, languages),
                    DocumentChange.NeedsHuman::new);
            findings.addAll(trustOutcome.findings());
            trust = trustOutcome.change();
            CheckOutcome<PermissionsChange> permissionsOutcome = guarded(ctx, "permission policies " + roleDocuments
                    + " (with the repository policy's grants)", ctx.roleArn(), PermissionsCheck::check, PermissionsChange.NeedsHuman::new);
            findings.addAll(permissionsOutcome.findings());
            permissions = permissionsOutcome.change();
        }
        CheckOutcome<DocumentChange> policyOutcome = guarded(ctx, "repository policy of " + repository.name(), repository.arn(),
                RepositoryPolicyCheck::check, DocumentChange.NeedsHuman::new);
        findings.addAll(policyOutcome.findings());
        DocumentChange policyChange = keepingPush(ctx, policyOutcome.change(), findings);
        FixPlan fix = new FixPlan(create, createBlocked, trust, permissions, policyChange);
        if (outsideOwner.isPresent()) {
            fix = leftToAPerson(fix, "the " + GitHubRepository.TAG_REPOSITORY + " tag names an owner outside GITHUB_ORG; "
                    + "a person must decide which GitHub repository may push here");
        }
        return new RepositoryReport(repository.name(), repository.arn(), roleName.name(), dedupe(findings), fix);
    }

    /** The same plan with every part that would write turned into "a person must decide". */
    private static FixPlan leftToAPerson(FixPlan fix, String reason) {
        Optional<String> createBlocked = fix.createRole().isPresent() ? Optional.of(reason) : fix.createRoleBlockedBecause();
        DocumentChange trust = fix.trust() instanceof DocumentChange.Unchanged ? fix.trust() : new DocumentChange.NeedsHuman(reason);
        PermissionsChange permissions = fix.permissions() instanceof PermissionsChange.Unchanged ? fix.permissions()
                : new PermissionsChange.NeedsHuman(reason);
        DocumentChange policy = fix.repositoryPolicy() instanceof DocumentChange.Unchanged ? fix.repositoryPolicy()
                : new DocumentChange.NeedsHuman(reason);
        return new FixPlan(Optional.empty(), createBlocked, trust, permissions, policy);
    }

    /**
     * Never-widening is not enough for a repository-policy fix: it must not take away what the repository's own
     * workflows need. When removing the offending statements would leave the paired role without push (its identity
     * policies lack it and the repository policy was what granted it), a person decides.
     */
    private static DocumentChange keepingPush(RepositoryContext ctx, DocumentChange change, List<Finding> findings) {
        Optional<String> fixedPolicy;
        if (change instanceof DocumentChange.Replace replace) {
            fixedPolicy = Optional.of(replace.document());
        } else if (change instanceof DocumentChange.Delete) {
            fixedPolicy = Optional.empty();
        } else {
            return change;
        }
        if (ctx.role().isEmpty() || findings.stream().anyMatch(f -> f.code() == FindingCode.PERM_MISSING_PUSH_ACTIONS)) {
            return change; // no role to keep working, or it cannot push already: the fix takes nothing away
        }
        EcrRepository repository = ctx.repository();
        RepositoryContext fixed = new RepositoryContext(ctx.account(), new EcrRepository(repository.name(), repository.arn(), fixedPolicy,
                repository.tags()), ctx.github(), ctx.roleName(), ctx.role(), ctx.githubProviders());
        CheckOutcome<PermissionsChange> after = guarded(fixed, "permission policies of role " + ctx.roleName() + " after the fix",
                ctx.roleArn(), PermissionsCheck::check, PermissionsChange.NeedsHuman::new);
        boolean pushLost = after.findings().stream().anyMatch(f -> f.code() == FindingCode.PERM_MISSING_PUSH_ACTIONS
                || f.code() == FindingCode.ANALYSIS_BUDGET_EXCEEDED || f.code() == FindingCode.ANALYSIS_FAILED);
        return pushLost ? new DocumentChange.NeedsHuman("removing the offending statements would take away the push grant role "
                + ctx.roleName() + " relies on (its identity policies do not allow push on the repository): grant push in the role's "
                + "own permissions first, then remove them") : change;
    }

    /**
     * Runs one check under its own {@link WorkBudget}: documents whose languages are too costly to analyse
     * (see there) become ANALYSIS_BUDGET_EXCEEDED, naming {@code documents}; an unexpected failure, including
     * running out of heap or stack, becomes ANALYSIS_FAILED. Either is for this repository only, and that part
     * of it is left to a person.
     */
    private static <C> CheckOutcome<C> guarded(RepositoryContext ctx, String documents, String resource,
                                               Function<RepositoryContext, CheckOutcome<C>> check, Function<String, C> needsHuman) {
        try {
            return WorkBudget.within(WorkBudget.Limits.PER_DOCUMENT, () -> check.apply(ctx));
        } catch (WorkBudget.ExceededException e) {
            String why = "the " + documents + " could not be analysed within the budget (" + e.getMessage()
                    + "; its wildcard patterns are too costly), so this part was not evaluated";
            return new CheckOutcome<>(List.of(Finding.of(FindingCode.ANALYSIS_BUDGET_EXCEEDED, resource, why,
                    new Witness.Detail(documents))), needsHuman.apply(why + "; simplify the patterns or review the documents by hand"));
        } catch (RuntimeException | StackOverflowError | OutOfMemoryError e) {
            // Heap or stack exhausted by this repository's documents: what they built is garbage once unwound here.
            String why = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
            return new CheckOutcome<>(List.of(Finding.of(FindingCode.ANALYSIS_FAILED, resource,
                    "analysis of the " + documents + " failed (" + why + "); this part was not evaluated", null)),
                    needsHuman.apply("analysis failed: " + why));
        }
    }

    private static List<Finding> dedupe(List<Finding> findings) {
        Set<List<Object>> seen = new HashSet<>();
        List<Finding> out = new ArrayList<>();
        for (Finding f : findings) {
            if (seen.add(List.of(f.code(), f.resource(), f.message()))) {
                out.add(f);
            }
        }
        return out;
    }

    private List<OrphanRole> orphans(AccountSnapshot account, Set<String> repositoriesInOtherRegions) {
        Set<String> repositoryNames = new HashSet<>(repositoriesInOtherRegions);
        account.repositories().forEach(r -> repositoryNames.add(r.name()));
        List<OrphanRole> orphans = new ArrayList<>();
        for (IamRole role : account.roles()) {
            config.roleNaming().repositoryFor(role.name())
                    .filter(repo -> !repositoryNames.contains(repo))
                    .ifPresent(repo -> orphans.add(new OrphanRole(role.name(), role.arn(), repo)));
        }
        orphans.sort(Comparator.comparing(OrphanRole::roleName));
        return orphans;
    }
}
