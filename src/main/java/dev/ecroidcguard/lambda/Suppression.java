package dev.ecroidcguard.lambda;

import dev.ecroidcguard.core.finding.Finding;
import dev.ecroidcguard.core.finding.FindingCode;
import dev.ecroidcguard.core.fix.DocumentChange;
import dev.ecroidcguard.core.fix.FixPlan;
import dev.ecroidcguard.core.fix.PermissionsChange;
import dev.ecroidcguard.core.report.RepositoryReport;
import dev.ecroidcguard.remediation.Remediator;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What the ignore tag ({@code ecr-oidc-guard:ignore=true}) may hide. Whoever can tag a repository can set it, so
 * it silences the role and drift findings of that repository and stops remediation, but never hides that the
 * repository is open to the public or to other accounts: those findings of its repository policy are still
 * reported (left to a person), as is a repository policy that could not be evaluated, which could hide them.
 */
final class Suppression {

    /** Exposure of the repository beyond this account's own principals. */
    static final Set<FindingCode> NEVER_SUPPRESSED = Set.of(FindingCode.ECR_POLICY_PUBLIC_WRITE, FindingCode.ECR_POLICY_PUBLIC_READ,
            FindingCode.ECR_POLICY_BROAD_WRITE, FindingCode.ECR_POLICY_CROSS_ACCOUNT_WRITE, FindingCode.ECR_POLICY_NOT_PRINCIPAL);

    /** A repository policy that was not evaluated: it may expose the repository without anyone knowing. */
    private static final Set<FindingCode> NOT_EVALUATED = Set.of(FindingCode.POLICY_MALFORMED, FindingCode.ANALYSIS_BUDGET_EXCEEDED,
            FindingCode.ANALYSIS_FAILED);

    private Suppression() {
    }

    /**
     * The report of a suppressed repository as it is published: only its findings that suppression cannot hide,
     * with nothing to be changed automatically; empty when there are none (the repository is then only listed as
     * suppressed).
     */
    static Optional<RepositoryReport> whatRemains(RepositoryReport report) {
        List<Finding> remaining = report.findings().stream()
                .filter(f -> NEVER_SUPPRESSED.contains(f.code())
                        || NOT_EVALUATED.contains(f.code()) && f.resource().equals(report.repositoryArn()))
                .toList();
        if (remaining.isEmpty()) {
            return Optional.empty();
        }
        DocumentChange person = new DocumentChange.NeedsHuman("the repository is tagged " + Remediator.IGNORE_TAG
                + "=true, which does not hide exposure to the public or other accounts; a person must review its repository policy");
        return Optional.of(new RepositoryReport(report.repository(), report.repositoryArn(), report.role(), remaining,
                new FixPlan(Optional.empty(), Optional.empty(), DocumentChange.UNCHANGED, PermissionsChange.UNCHANGED, person)));
    }
}
