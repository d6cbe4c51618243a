package dev.ecroidcguard.core.report;

import dev.ecroidcguard.core.finding.Finding;
import dev.ecroidcguard.core.finding.FindingCode;
import dev.ecroidcguard.core.finding.Severity;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The analysis of an account: one report per repository, the orphan roles, and counts; and the findings about the
 * account itself rather than one of its repositories (the guard's own member role, {@code MEMBER_ROLE_TRUST_WIDER}),
 * listed apart and not counted among the repositories' findings.
 */
public record AccountReport(String accountId, String region, String githubOrg, List<RepositoryReport> repositories,
                            List<OrphanRole> orphanRoles, List<NotEvaluated> notEvaluated, List<Finding> accountFindings) {

    public AccountReport {
        repositories = List.copyOf(repositories);
        orphanRoles = List.copyOf(orphanRoles);
        notEvaluated = List.copyOf(notEvaluated);
        accountFindings = List.copyOf(accountFindings);
    }

    /** A report with no finding about the account itself (every scan but an organization run's). */
    public AccountReport(String accountId, String region, String githubOrg, List<RepositoryReport> repositories,
                         List<OrphanRole> orphanRoles, List<NotEvaluated> notEvaluated) {
        this(accountId, region, githubOrg, repositories, orphanRoles, notEvaluated, List.of());
    }

    /** The same report with {@code more} findings about the account itself. */
    public AccountReport withAccountFindings(List<Finding> more) {
        return new AccountReport(accountId, region, githubOrg, repositories, orphanRoles, notEvaluated,
                java.util.stream.Stream.concat(accountFindings.stream(), more.stream()).toList());
    }

    /** A repository the inventory could not read (after retries); never silently dropped. */
    public record NotEvaluated(String repository, String reason) {
    }

    /** The same report with repositories the inventory could not read added. */
    public AccountReport withNotEvaluated(List<NotEvaluated> more) {
        return new AccountReport(accountId, region, githubOrg, repositories, orphanRoles,
                java.util.stream.Stream.concat(notEvaluated.stream(), more.stream()).toList(), accountFindings);
    }

    /** Compliant means: every repository evaluated, and none has a finding. */
    public boolean allCompliant() {
        return notEvaluated.isEmpty() && repositories.stream().allMatch(RepositoryReport::compliant);
    }

    public List<Finding> findings() {
        return repositories.stream().flatMap(r -> r.findings().stream()).toList();
    }

    public Optional<Severity> highestSeverity() {
        return findings().stream().map(Finding::severity).min(Enum::compareTo);
    }

    public Summary summary() {
        Map<Severity, Integer> bySeverity = new EnumMap<>(Severity.class);
        for (Severity s : Severity.values()) {
            bySeverity.put(s, 0);
        }
        Map<String, Integer> byCode = new TreeMap<>();
        for (Finding f : findings()) {
            bySeverity.merge(f.severity(), 1, Integer::sum);
            byCode.merge(f.code().name(), 1, Integer::sum);
        }
        int compliant = (int) repositories.stream().filter(RepositoryReport::compliant).count();
        int fixable = (int) repositories.stream().filter(r -> !r.fix().isEmpty() && !r.fix().needsHuman()).count();
        int needsHuman = (int) repositories.stream().filter(r -> r.fix().needsHuman()).count();
        return new Summary(repositories.size(), compliant, repositories.size() - compliant, findings().size(), bySeverity, byCode,
                orphanRoles.size(), notEvaluated.size(), fixable, needsHuman);
    }

    public record Summary(int repositories, int compliant, int nonCompliant, int findings, Map<Severity, Integer> bySeverity,
                          Map<String, Integer> byCode, int orphanRoles, int notEvaluated, int fixable,
                          int needsHuman) {
    }

    /** Convenience for tests and callers that look up one repository. */
    public Optional<RepositoryReport> repository(String name) {
        return repositories.stream().filter(r -> r.repository().equals(name)).findFirst();
    }

    /** Codes found for one repository. */
    public List<FindingCode> codes(String repository) {
        return repository(repository).map(r -> r.findings().stream().map(Finding::code).toList()).orElse(List.of());
    }
}
