package dev.ecroidcguard.core.permissions;

import dev.ecroidcguard.core.analysis.EcrActions;
import dev.ecroidcguard.core.finding.Finding;
import dev.ecroidcguard.core.finding.FindingCode;
import dev.ecroidcguard.core.finding.Witness;
import dev.ecroidcguard.core.lang.Wildcards;
import dev.ecroidcguard.core.permissions.EffectivePermissions.Grant;
import dk.brics.automaton.Automaton;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * What the role may do beyond the baseline (catalogue §4.2), read from the upper bound of its effective
 * permissions. Each code is reported once, with the first grant that shows it as witness; then the
 * catalogue's subsumption rules (§2) drop what a broader code already says.
 */
final class ExcessFindings {

    /** Scope and action codes that PERM_ADMIN subsumes. */
    private static final Set<FindingCode> SUBSUMED_BY_ADMIN = EnumSet.of(FindingCode.PERM_NON_ECR_ACTIONS,
            FindingCode.PERM_ECR_ALL_REPOS_WRITE, FindingCode.PERM_ECR_WRONG_REPO, FindingCode.PERM_ECR_REPO_WILDCARD,
            FindingCode.PERM_ECR_EXCESSIVE_ACTIONS, FindingCode.PERM_ECR_READ_ALL_REPOS, FindingCode.PERM_NOT_RESOURCE);

    private static final List<String> WRITE_EXAMPLES = Stream.concat(EcrActions.PUSH_ONLY.stream(), EcrActions.HARMFUL_FIRST.stream()).toList();
    private static final List<String> PULL_EXAMPLES = List.of("ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer");

    private final RepositoryScope scope;
    private final String roleArn;
    private final Map<FindingCode, Finding> found = new LinkedHashMap<>();

    private ExcessFindings(RepositoryScope scope, String roleArn) {
        this.scope = scope;
        this.roleArn = roleArn;
    }

    static List<Finding> of(EffectivePermissions upper, RepositoryScope scope, String roleArn) {
        ExcessFindings findings = new ExcessFindings(scope, roleArn);
        upper.grants().forEach(findings::classify);
        return findings.afterSubsumption();
    }

    private void classify(Grant g) {
        if (reportsNothing(g)) {
            return;
        }
        Automaton nonEcr = g.actions().minus(EcrActions.ecr());
        // Non-ECR actions apply only to resources outside ECR: a grant of them on repository ARNs never applies.
        Automaton nonEcrResources = nonEcr.isEmpty() ? nonEcr : g.resources().intersection(scope.nonEcrResources());
        if (!nonEcr.isEmpty() && !nonEcrResources.isEmpty()) {
            String action = RepositoryScope.actionExample(nonEcr, RepositoryScope.nonEcrExamples());
            String resource = scope.resourceExample(nonEcrResources);
            if (g.administrative()) {
                report(FindingCode.PERM_ADMIN, action, resource, g, "role may call %s on %s (granted by %s): Action \"*\", "
                        + "Allow with NotAction or an administrative managed policy gives near-full account access");
            }
            report(FindingCode.PERM_NON_ECR_ACTIONS, action, resource, g, "role may call %s on %s (granted by %s), outside ECR");
        }
        Automaton ecrActions = g.actions().intersection(EcrActions.ecr());
        Automaton ecrResources = g.resources().intersection(scope.ecrResources());
        if (!ecrActions.isEmpty() && !ecrResources.isEmpty()) {
            classifyEcr(g, ecrActions, ecrResources);
        }
        // NotResource is reported when the grant reaches beyond this repository (a boundary may confine it to it).
        if (g.notResource() && !Wildcards.subsetOf(g.resources(), scope.thisRepository())) {
            Automaton others = g.resources().intersection(scope.otherRepositories());
            String resource = others.isEmpty() ? scope.resourceExample(g.resources()) : scope.otherRepositoryExample(g.resources());
            report(FindingCode.PERM_NOT_RESOURCE, RepositoryScope.actionExample(g.actions(), WRITE_EXAMPLES), resource, g,
                    "Allow with NotResource lets the role call %s on %s (granted by %s)");
        }
    }

    /**
     * A sufficient condition, checked word by word, for {@link #classify} to report nothing on {@code g}: its
     * actions are finitely many tolerated ECR actions (so no non-ECR or excessive action), it is no NotResource
     * grant, and when it holds a repository write or a content read its resources are finitely many words of
     * which none is another repository (then "all repositories", an infinite language, is not contained, and
     * there are no other repositories to report). The baseline's two statements take this path.
     */
    private boolean reportsNothing(Grant g) {
        Set<String> actions = g.actionSet();
        if (actions == null || g.notResource()) {
            return false;
        }
        boolean touchesRepositories = false;
        for (String a : actions) {
            if (!EcrActions.isEcr(a) || !EcrActions.isTolerated(a)) {
                return false;
            }
            touchesRepositories |= EcrActions.isRepositoryWrite(a) || EcrActions.isContentRead(a);
        }
        if (!touchesRepositories) {
            return true;
        }
        Set<String> resources = g.resourceSet();
        if (resources == null || !scope.hasInfinitelyManyOtherAccountRepositories()) {
            return false;
        }
        return resources.stream().noneMatch(scope::isOtherRepository);
    }

    private void classifyEcr(Grant g, Automaton ecrActions, Automaton ecrResources) {
        Automaton excessive = ecrActions.minus(EcrActions.tolerated());
        if (!excessive.isEmpty()) {
            String resource = ecrResources.run(scope.repositoryArn()) ? scope.repositoryArn() : scope.resourceExample(ecrResources);
            report(FindingCode.PERM_ECR_EXCESSIVE_ACTIONS, RepositoryScope.actionExample(excessive, EcrActions.HARMFUL_FIRST), resource, g,
                    "role may call %s on %s (granted by %s); a push role needs only the seven push/pull actions");
        }
        // "All repositories" is every other repository of the account but finitely many, so "*", repository/*,
        // arn:aws:ecr:*:*:* and a NotResource that excludes a few repositories all qualify; a finite set of other
        // ARNs is a wrong repository, an infinite one that leaves infinitely many out a wildcard ARN.
        boolean allRepositories = scope.otherAccountRepositories().minus(g.resources()).isFinite();
        Automaton others = g.resources().intersection(scope.otherRepositories());
        Automaton writes = ecrActions.intersection(EcrActions.repositoryWrite());
        if (!writes.isEmpty()) {
            String action = RepositoryScope.actionExample(writes, WRITE_EXAMPLES);
            if (allRepositories) {
                report(FindingCode.PERM_ECR_ALL_REPOS_WRITE, action, scope.otherRepositoryExample(g.resources()), g,
                        "role may call %s on every repository of the account, e.g. %s (granted by %s)");
            } else if (!others.isEmpty()) {
                boolean wildcard = !others.isFinite();
                report(wildcard ? FindingCode.PERM_ECR_REPO_WILDCARD : FindingCode.PERM_ECR_WRONG_REPO, action,
                        scope.otherRepositoryExample(g.resources()), g, wildcard
                                ? "a wildcard repository ARN lets the role call %s on %s (granted by %s)"
                                : "role may call %s on another repository, %s (granted by %s)");
            }
        }
        Automaton reads = ecrActions.intersection(EcrActions.contentRead());
        if (!reads.isEmpty()) {
            String action = RepositoryScope.actionExample(reads, PULL_EXAMPLES);
            if (allRepositories) {
                report(FindingCode.PERM_ECR_READ_ALL_REPOS, action, scope.otherRepositoryExample(g.resources()), g,
                        "role may call %s on every repository of the account, e.g. %s (granted by %s)");
            } else if (!others.isFinite()) {
                report(FindingCode.PERM_ECR_REPO_WILDCARD, action, scope.otherRepositoryExample(g.resources()), g,
                        "a wildcard repository ARN lets the role call %s on %s (granted by %s)");
            }
        }
    }

    private void report(FindingCode code, String action, String resource, Grant g, String messageFormat) {
        // Said so when an unknowable condition decided it (issue 11, P2): taken as possibly true for exposure.
        String message = messageFormat.formatted(action, resource, g.grantedBy()) + (g.conditional()
                ? " (under a condition on keys the analysis cannot know for the request, taken as possibly true for exposure)" : "");
        found.computeIfAbsent(code, c -> Finding.of(c, roleArn, message,
                new Witness.Request(action, resource, g.grantedBy())));
    }

    private List<Finding> afterSubsumption() {
        List<Finding> out = new ArrayList<>();
        boolean admin = found.containsKey(FindingCode.PERM_ADMIN);
        boolean allReposWrite = found.containsKey(FindingCode.PERM_ECR_ALL_REPOS_WRITE);
        for (Finding f : found.values()) {
            boolean subsumed = (admin && SUBSUMED_BY_ADMIN.contains(f.code()))
                    || (allReposWrite && f.code() == FindingCode.PERM_ECR_READ_ALL_REPOS);
            if (!subsumed) {
                out.add(f);
            }
        }
        return out;
    }
}
