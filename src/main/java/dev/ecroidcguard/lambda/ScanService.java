package dev.ecroidcguard.lambda;

import dev.ecroidcguard.core.Analyzer;
import dev.ecroidcguard.core.inventory.AccountSnapshot;
import dev.ecroidcguard.core.inventory.EcrRepository;
import dev.ecroidcguard.core.report.AccountReport;
import dev.ecroidcguard.core.report.OrphanRole;
import dev.ecroidcguard.core.report.RepositoryReport;
import dev.ecroidcguard.remediation.Change;
import dev.ecroidcguard.remediation.Remediator;
import dev.ecroidcguard.remediation.Suppressed;
import dev.ecroidcguard.service.Inventory;
import dev.ecroidcguard.service.InventorySource;
import dev.ecroidcguard.service.Notification;
import dev.ecroidcguard.service.Notifier;
import dev.ecroidcguard.service.ScanScope;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * One audit: inventory for the scope, analysis, remediation of the enabled classes ({@code MODE=remediate}),
 * notification (as NOTIFY_ON says), structured logs. Repositories tagged {@code ecr-oidc-guard:ignore=true} are
 * neither analysed nor changed and are listed as suppressed. After remediation the report shows the account as
 * it now stands; the changes (with the findings they fixed) are listed beside it.
 */
public final class ScanService {

    private final FunctionConfig config;
    private final InventorySource inventory;
    private final Notifier notifier;
    private final Adapters adapters;
    private final NotificationBuilder notifications;
    private final JsonLog log;
    private final InstantSource clock;

    public ScanService(FunctionConfig config, Adapters adapters, NotificationBuilder notifications, JsonLog log, InstantSource clock) {
        this.config = config;
        this.inventory = adapters.inventory();
        this.notifier = adapters.notifier();
        this.adapters = adapters;
        this.notifications = notifications;
        this.log = log;
        this.clock = clock;
    }

    public InvocationResult scan(EventRouting.Route.Scan route) {
        Instant start = clock.instant();
        Inventory read = inventory.read(route.scope());
        List<Suppressed> suppressed = inScope(read.snapshot(), route.scope()).stream().filter(Remediator::ignored)
                .map(Remediator::suppressed).toList();
        AccountReport report = analyze(read.snapshot(), route.scope()).withNotEvaluated(read.notEvaluated());
        Map<String, Integer> apiCalls = new TreeMap<>(read.apiCalls());
        List<Change> changes = List.of();
        boolean echo = config.isSelf(route.trigger().actor());
        if (echo && !config.activeRemediation().isEmpty()) {
            log.note("INFO", "remediation skipped: the event records this function's own write (" + route.trigger().actor()
                    + "); audited only", route.trigger());
        }
        if (!config.activeRemediation().isEmpty() && !echo) {
            Remediator.Result remediation = new Remediator(config.guard(), config.activeRemediation(), config.iacOwnerTags(),
                    adapters.writer(), adapters.ownership(), inventory).remediate(report, read.snapshot());
            report = remediation.report();
            changes = remediation.changes();
            remediation.apiCalls().forEach((op, n) -> apiCalls.merge(op, n, Integer::sum));
            changes.forEach(c -> c.operations().forEach(op -> apiCalls.merge(op.split(" ")[0].replace(",", ""), 1, Integer::sum)));
        }
        InvocationMetadata invocation = new InvocationMetadata(route.trigger(), report.accountId(), report.region(),
                config.modeName(), apiCalls, report.repositories().size(), millisSince(start));
        log.items(report, route.trigger());
        log.changes(changes, suppressed, report, route.trigger());

        boolean somethingToReport = !report.findings().isEmpty() || !report.orphanRoles().isEmpty() || !report.notEvaluated().isEmpty()
                || !changes.isEmpty() || !suppressed.isEmpty();
        List<Notification> parts = List.of();
        if (somethingToReport || config.notifyOn() == FunctionConfig.NotifyOn.ALWAYS) {
            parts = notifications.build(report, invocation, changes, suppressed);
            notifier.publish(parts);
        }
        AccountReport.Summary s = report.summary();
        int total = apiCalls.values().stream().mapToInt(Integer::intValue).sum();
        InvocationResult result = new InvocationResult("scanned", route.trigger().describe(), route.trigger().eventId(),
                describe(route.scope()), s.repositories(), s.findings(), report.highestSeverity().map(Enum::name).orElse("NONE"),
                s.orphanRoles(), s.notEvaluated(), parts.size(), total + parts.size(), millisSince(start), null,
                changes.size(), (int) changes.stream().filter(c -> c.status() == Change.Status.APPLIED).count(),
                (int) changes.stream().filter(c -> c.status() == Change.Status.RESTORED || c.status() == Change.Status.FAILED).count(),
                suppressed.size());
        log.summary(result, invocation);
        return result;
    }

    /**
     * An event-driven scan analyses only the repositories it names, and reports only their roles as orphans:
     * the rest of the account was not the question (and an adapter may have read only these repositories,
     * which would make every other role look orphaned).
     */
    private AccountReport analyze(AccountSnapshot snapshot, ScanScope scope) {
        Analyzer analyzer = new Analyzer(config.guard());
        // Suppressed repositories are analysed too: the tag cannot hide exposure to the public or other accounts.
        AccountReport all = analyzer.analyze(snapshot, inScope(snapshot, scope));
        Set<String> suppressed = inScope(snapshot, scope).stream().filter(Remediator::ignored).map(EcrRepository::name)
                .collect(Collectors.toSet());
        List<RepositoryReport> repositories = all.repositories().stream()
                .flatMap(r -> suppressed.contains(r.repository()) ? Suppression.whatRemains(r).stream() : java.util.stream.Stream.of(r))
                .toList();
        List<OrphanRole> orphans = switch (scope) {
            case ScanScope.WholeAccount w -> all.orphanRoles();
            case ScanScope.Repositories(Set<String> names) -> all.orphanRoles().stream().filter(o -> names.contains(o.expectedRepository())).toList();
        };
        return new AccountReport(all.accountId(), all.region(), all.githubOrg(), repositories, orphans, all.notEvaluated());
    }

    private static List<EcrRepository> inScope(AccountSnapshot snapshot, ScanScope scope) {
        return switch (scope) {
            case ScanScope.WholeAccount w -> snapshot.repositories();
            case ScanScope.Repositories(Set<String> names) -> snapshot.repositories().stream().filter(r -> names.contains(r.name())).toList();
        };
    }

    private static String describe(ScanScope scope) {
        return switch (scope) {
            case ScanScope.WholeAccount w -> "account";
            case ScanScope.Repositories(Set<String> names) -> "repositories " + names.stream().sorted().collect(Collectors.joining(", "));
        };
    }

    private long millisSince(Instant start) {
        return Duration.between(start, clock.instant()).toMillis();
    }
}
