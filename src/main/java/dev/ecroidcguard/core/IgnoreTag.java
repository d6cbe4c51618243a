package dev.ecroidcguard.core;

import dev.ecroidcguard.core.finding.Finding;
import dev.ecroidcguard.core.finding.FindingCode;
import dev.ecroidcguard.core.fix.DocumentChange;
import dev.ecroidcguard.core.fix.FixPlan;
import dev.ecroidcguard.core.fix.PermissionsChange;
import dev.ecroidcguard.core.inventory.EcrRepository;
import dev.ecroidcguard.core.report.RepositoryReport;
import dev.ecroidcguard.core.report.Suppressed;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The repository tag {@code ecr-oidc-guard:ignore=true}: the owner's way to take a repository out of the audit.
 * Whoever can tag a repository can set it, so it silences the role and drift findings of that repository and stops
 * remediation, but never hides that the repository is open to the public or to other accounts: those findings of its
 * repository policy are still reported (left to a person), as is a repository policy that could not be evaluated,
 * which could hide them. Every report lists the repository as suppressed with who can lift it.
 */
public final class IgnoreTag {

    public static final String KEY = "ecr-oidc-guard:ignore";

    private IgnoreTag() {
    }

    public static boolean isSet(EcrRepository repository) {
        return "true".equalsIgnoreCase(repository.tags().getOrDefault(KEY, "").strip());
    }

    public static Suppressed suppressed(EcrRepository repository) {
        return new Suppressed(repository.name(), repository.arn(), "tagged " + KEY + "=true: its drift is not reported and nothing is remediated; "
                + "exposure to the public or other accounts is still reported",
                "anyone allowed ecr:UntagResource on " + repository.arn() + " (remove the tag to audit it again)");
    }

    /** Exposure of the repository beyond this account's own principals. */
    static final Set<FindingCode> NEVER_SUPPRESSED = Set.of(FindingCode.ECR_POLICY_PUBLIC_WRITE, FindingCode.ECR_POLICY_PUBLIC_READ,
            FindingCode.ECR_POLICY_BROAD_WRITE, FindingCode.ECR_POLICY_CROSS_ACCOUNT_WRITE, FindingCode.ECR_POLICY_NOT_PRINCIPAL);

    /** A repository policy that was not evaluated: it may expose the repository without anyone knowing. */
    private static final Set<FindingCode> NOT_EVALUATED = Set.of(FindingCode.POLICY_MALFORMED, FindingCode.ANALYSIS_BUDGET_EXCEEDED,
            FindingCode.ANALYSIS_FAILED);

    /**
     * The report of a suppressed repository as it is published: only its findings that suppression cannot hide,
     * with nothing to be changed automatically; empty when there are none (the repository is then only listed as
     * suppressed).
     */
    public static Optional<RepositoryReport> whatRemains(RepositoryReport report) {
        List<Finding> remaining = report.findings().stream()
                .filter(f -> NEVER_SUPPRESSED.contains(f.code())
                        || NOT_EVALUATED.contains(f.code()) && f.resource().equals(report.repositoryArn()))
                .toList();
        if (remaining.isEmpty()) {
            return Optional.empty();
        }
        DocumentChange person = new DocumentChange.NeedsHuman("the repository is tagged " + KEY
                + "=true, which does not hide exposure to the public or other accounts; a person must review its repository policy");
        return Optional.of(new RepositoryReport(report.repository(), report.repositoryArn(), report.role(), remaining,
                new FixPlan(Optional.empty(), Optional.empty(), DocumentChange.UNCHANGED, PermissionsChange.UNCHANGED, person)));
    }
}
