package dev.ecroidcguard.lambda;

import dev.ecroidcguard.core.Analyzer;
import dev.ecroidcguard.core.inventory.AccountSnapshot;
import dev.ecroidcguard.core.inventory.EcrRepository;
import dev.ecroidcguard.core.report.AccountReport;
import dev.ecroidcguard.core.report.OrphanRole;
import dev.ecroidcguard.service.Inventory;
import dev.ecroidcguard.service.InventorySource;
import dev.ecroidcguard.service.Notification;
import dev.ecroidcguard.service.Notifier;
import dev.ecroidcguard.service.ScanScope;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/** One audit: inventory for the scope, analysis, notification (as NOTIFY_ON says), structured logs. */
public final class ScanService {

    private final FunctionConfig config;
    private final InventorySource inventory;
    private final Notifier notifier;
    private final NotificationBuilder notifications;
    private final JsonLog log;
    private final InstantSource clock;

    public ScanService(FunctionConfig config, Adapters adapters, NotificationBuilder notifications, JsonLog log, InstantSource clock) {
        this.config = config;
        this.inventory = adapters.inventory();
        this.notifier = adapters.notifier();
        this.notifications = notifications;
        this.log = log;
        this.clock = clock;
    }

    public InvocationResult scan(EventRouting.Route.Scan route) {
        Instant start = clock.instant();
        Inventory read = inventory.read(route.scope());
        AccountReport report = analyze(read.snapshot(), route.scope()).withNotEvaluated(read.notEvaluated());
        InvocationMetadata invocation = new InvocationMetadata(route.trigger(), report.accountId(), report.region(),
                config.modeName(), read.apiCalls(), millisSince(start));
        log.items(report, route.trigger());

        boolean somethingToReport = !report.findings().isEmpty() || !report.orphanRoles().isEmpty() || !report.notEvaluated().isEmpty();
        List<Notification> parts = List.of();
        if (somethingToReport || config.notifyOn() == FunctionConfig.NotifyOn.ALWAYS) {
            parts = notifications.build(report, invocation);
            notifier.publish(parts);
        }
        AccountReport.Summary s = report.summary();
        InvocationResult result = new InvocationResult("scanned", route.trigger().describe(), route.trigger().eventId(),
                describe(route.scope()), s.repositories(), s.findings(), report.highestSeverity().map(Enum::name).orElse("NONE"),
                s.orphanRoles(), s.notEvaluated(), parts.size(), read.totalApiCalls() + parts.size(), millisSince(start), null);
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
        return switch (scope) {
            case ScanScope.WholeAccount w -> analyzer.analyze(snapshot);
            case ScanScope.Repositories(Set<String> names) -> {
                List<EcrRepository> inScope = snapshot.repositories().stream().filter(r -> names.contains(r.name())).toList();
                AccountReport all = analyzer.analyze(snapshot, inScope);
                List<OrphanRole> orphans = all.orphanRoles().stream().filter(o -> names.contains(o.expectedRepository())).toList();
                yield new AccountReport(all.accountId(), all.region(), all.githubOrg(), all.repositories(), orphans, all.notEvaluated());
            }
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
