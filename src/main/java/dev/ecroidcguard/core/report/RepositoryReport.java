package dev.ecroidcguard.core.report;

import dev.ecroidcguard.core.finding.Finding;
import dev.ecroidcguard.core.finding.Severity;
import dev.ecroidcguard.core.fix.FixPlan;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/** The verdict for one repository/role pair. {@code compliant} is exactly "no findings". */
public record RepositoryReport(String repository, String repositoryArn, String role, List<Finding> findings, FixPlan fix) {

    public RepositoryReport {
        findings = findings.stream()
                .sorted(Comparator.comparing((Finding f) -> f.severity()).thenComparing(f -> f.code().name()).thenComparing(Finding::message))
                .toList();
    }

    public boolean compliant() {
        return findings.isEmpty();
    }

    public Optional<Severity> highestSeverity() {
        return findings.stream().map(Finding::severity).min(Comparator.naturalOrder());
    }
}
