package dev.ecroidcguard.application;

import dev.ecroidcguard.core.ScanScope;
import dev.ecroidcguard.core.report.AccountReport;
import dev.ecroidcguard.core.report.Suppressed;
import dev.ecroidcguard.remediation.Change;

import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * What one scan did: the report as the account now stands, the remediation steps, the suppressed repositories, the
 * invocation's metadata (API calls, duration) as the report quotes it, how many notifications were published, and why
 * the report could not be published after writes were made (then it is in the log only), and what changed since the
 * last scan ({@link FindingChanges#UNTRACKED} when findings are not tracked).
 */
public record ScanOutcome(ScanScope scope, AccountReport report, List<Change> changes, List<Suppressed> suppressed,
                          InvocationMetadata invocation, int notificationParts, Optional<String> publishFailure,
                          FindingChanges sinceLastScan) {

    public ScanOutcome {
        changes = List.copyOf(changes);
        suppressed = List.copyOf(suppressed);
    }

    public Trigger trigger() {
        return invocation.trigger();
    }

    public long changesWith(Change.Status... statuses) {
        List<Change.Status> wanted = List.of(statuses);
        return changes.stream().filter(c -> wanted.contains(c.status())).count();
    }

    /** {@code account}, or {@code repositories a, b} (sorted). */
    public String scopeDescription() {
        return switch (scope) {
            case ScanScope.WholeAccount w -> "account";
            case ScanScope.Repositories r -> "repositories " + r.names().stream().sorted().collect(Collectors.joining(", "));
            case ScanScope.NameRange r -> "repositories from " + r.from().orElse("the first") + " to before " + r.toExclusive().orElse("the end");
        };
    }
}
