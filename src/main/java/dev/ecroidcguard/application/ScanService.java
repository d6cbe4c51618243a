package dev.ecroidcguard.application;

import dev.ecroidcguard.core.Analyzer;
import dev.ecroidcguard.core.ScanScope;
import dev.ecroidcguard.core.TimeBudget;
import dev.ecroidcguard.core.finding.Finding;
import dev.ecroidcguard.core.inventory.AccountSnapshot;
import dev.ecroidcguard.core.inventory.EcrRepository;
import dev.ecroidcguard.core.report.AccountReport;
import dev.ecroidcguard.core.report.Audit;
import dev.ecroidcguard.core.report.Suppressed;
import dev.ecroidcguard.core.trust.MemberRoleTrust;
import dev.ecroidcguard.ports.Adapters;
import dev.ecroidcguard.ports.Inventory;
import dev.ecroidcguard.ports.Notification;
import dev.ecroidcguard.remediation.Change;
import dev.ecroidcguard.remediation.Remediator;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The one scan, for every entry point (the Lambda handler, the CLI's {@code analyze}): inventory for the scope, the
 * core's audit (analysis, the ignore tag, orphans of the scope, the time budget), remediation of the enabled classes,
 * then the report: logged, compared with the recorded state when findings are tracked (new, changed, resolved; filed in
 * Security Hub when that is on), published (as {@link ScanConfig.NotifyOn} says) and returned. After remediation
 * the report shows the account as it now stands; the changes (with the findings they fixed) are listed beside it.
 * The API calls quoted are those that read and repaired the account, from the adapters' one count; the notification's
 * own publishes come after the report is written and are counted as {@code notificationParts}. With a report archive, the
 * full report (compliant repositories too) is stored before publishing and the notification links it.
 */
public final class ScanService {

    private final ScanConfig config;
    private final Adapters adapters;
    private final NotificationBuilder notifications;
    private final InstantSource clock;

    public ScanService(ScanConfig config, Adapters adapters, NotificationBuilder notifications, InstantSource clock) {
        this.config = config;
        this.adapters = adapters;
        this.notifications = notifications;
        this.clock = clock;
        if (config.notifyOn() == ScanConfig.NotifyOn.CHANGES && !adapters.findingState().tracks()) {
            throw new IllegalArgumentException("notifying on changes needs the finding state (FINDING_STATE_TABLE)");
        }
    }

    public ScanOutcome scan(Trigger trigger, ScanScope scope, TimeBudget budget, ScanLog log) {
        Instant start = clock.instant();
        Map<String, Integer> callsBefore = adapters.apiCalls().counts();
        Inventory read = adapters.inventory().read(scope, budget);
        Audit audit = new Analyzer(config.guard()).audit(read.snapshot(), read.notEvaluated(), read.repositoriesInOtherRegions(), scope, budget);
        AccountReport report = audit.report();
        List<Change> changes = List.of();
        if (!config.remediate().isEmpty()) {
            Optional<String> notNow = remediationWithheld(trigger, budget);
            if (notNow.isPresent()) {
                log.note(trigger, "INFO", notNow.get());
            } else {
                Remediator.Result remediation = new Remediator(config.guard(), config.remediate(), config.iacOwnerTags(),
                        adapters.writer(), adapters.ownership(), adapters.inventory(),
                        (cls, operation, before) -> log.writing(trigger, cls, operation, before)).remediate(report, read.snapshot());
                report = remediation.report();
                changes = remediation.changes();
            }
        }
        report = report.withAccountFindings(memberRoleFindings(read.snapshot()));
        InvocationMetadata invocation = new InvocationMetadata(trigger, report.accountId(), report.region(), config.mode(),
                adapters.apiCalls().since(callsBefore), report.repositories().size(), Duration.between(start, clock.instant()).toMillis(),
                notFound(read.snapshot(), scope, read.notEvaluated()), List.of());
        log.audited(trigger, report, changes, audit.suppressed());

        boolean somethingToReport = !report.findings().isEmpty() || !report.orphanRoles().isEmpty() || !report.notEvaluated().isEmpty()
                || !report.accountFindings().isEmpty() || !changes.isEmpty() || !audit.suppressed().isEmpty();
        FindingChanges sinceLastScan = FindingChanges.UNTRACKED;
        if (adapters.findingState().tracks()) {
            FindingTracker.Tracked tracked = new FindingTracker(adapters.findingState()).track(report, scope, audit.suppressed(),
                    clock.instant(), adapters.findingsHub());
            sinceLastScan = tracked.changes();
            // The account was evaluated: what Security Hub refused is said beside the report, not instead of it.
            tracked.warnings().forEach(warning -> log.note(trigger, "WARN", warning));
            invocation = invocation.withWarnings(tracked.warnings());
        }
        boolean publish = switch (config.notifyOn()) {
            case FINDINGS -> somethingToReport;
            // A repository that could not be read hides whatever changed in it: said every time, like a remediation; so is
            // access to the account wider than the guard's own template grants (no state follows it from scan to scan), and
            // what Security Hub refused (until someone fixes the grant, the hub holds a stale picture).
            case CHANGES -> sinceLastScan.hasNews() || !changes.isEmpty() || !report.notEvaluated().isEmpty() || !report.accountFindings().isEmpty()
                    || !invocation.warnings().isEmpty();
            case ALWAYS -> true;
            case NEVER -> false;
        };
        List<Notification> parts = List.of();
        Optional<String> publishFailure = Optional.empty();
        if (publish) {
            parts = notifications.build(report, invocation, changes, audit.suppressed(),
                    config.notifyOn() == ScanConfig.NotifyOn.CHANGES ? Optional.of(sinceLastScan) : Optional.empty(),
                    archived(report, invocation, changes, audit.suppressed(), trigger, log));
            try {
                publish(parts, budget, trigger, log);
            } catch (RuntimeException e) {
                // Every finding and change is already in the log (log.audited above). A retry of this invocation would
                // re-scan an account this one already changed and report it clean: with writes made, the failure is
                // logged and the result says so instead; without writes, the retry publishes the same report later.
                if (changes.stream().noneMatch(Change::wrote)) {
                    throw e;
                }
                publishFailure = Optional.of("the report was not published (" + e.getClass().getSimpleName() + ": " + e.getMessage()
                        + "); its findings and the " + changes.size() + " changes are in the function's log");
                log.note(trigger, "ERROR", publishFailure.get());
            }
        }
        return new ScanOutcome(scope, report, changes, audit.suppressed(), invocation, publishFailure.isPresent() ? 0 : parts.size(),
                publishFailure, sinceLastScan);
    }

    /**
     * The full report stored where the notification can link it, when an archive is configured. A failure to store it
     * costs the link, not the notification: logged, and the report is published without it.
     */
    private Optional<String> archived(AccountReport report, InvocationMetadata invocation, List<Change> changes, List<Suppressed> suppressed,
                                      Trigger trigger, ScanLog log) {
        if (!adapters.reportArchive().stores()) {
            return Optional.empty();
        }
        try {
            return Optional.of(adapters.reportArchive().store(report.accountId(), report.region(), clock.instant(),
                    notifications.fullReport(report, invocation, changes, suppressed)));
        } catch (RuntimeException e) {
            log.note(trigger, "WARN", "the full report was not stored (" + e.getClass().getSimpleName() + ": " + e.getMessage()
                    + "); the notification goes out without its link");
            return Optional.empty();
        }
    }

    /** Extra rounds of publishing (each with the SDK's own retries) before the report counts as not published. */
    private static final int PUBLISH_ROUNDS = 4;

    /**
     * Publishes the parts, again (from the first part) after a failure while time remains: the report is what the scan
     * is for. Subscribers dedupe a part that arrives twice on its {@code reportId}.
     */
    private void publish(List<Notification> parts, TimeBudget budget, Trigger trigger, ScanLog log) {
        for (int round = 1; ; round++) {
            try {
                adapters.notifier().publish(parts);
                return;
            } catch (RuntimeException e) {
                if (round == PUBLISH_ROUNDS || budget.exhausted().isPresent()) {
                    throw e;
                }
                log.note(trigger, "WARN", "publishing the report failed (" + e.getClass().getSimpleName() + ": " + e.getMessage()
                        + "); publishing again, round " + (round + 1) + " of " + PUBLISH_ROUNDS);
                try {
                    Thread.sleep(250L << round);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }

    /**
     * In an organization run, the audit of the member role the function reached the account through, against what
     * member-role.yaml grants: the function's own role, with its external id. Not without the function's role
     * (FUNCTION_ROLE_ARN): there is nothing to compare with.
     */
    private List<Finding> memberRoleFindings(AccountSnapshot snapshot) {
        if (config.memberRole().isEmpty() || config.functionRoleArn() == null) {
            return List.of();
        }
        ScanConfig.MemberRole role = config.memberRole().get();
        return MemberRoleTrust.audit(snapshot, new MemberRoleTrust.Expected(role.name(), config.functionRoleArn(), role.externalId()));
    }

    /**
     * The repositories an event names that the account does not have, each with what became of its role: an
     * event about a deleted repository, or a sample event run against the wrong account, says so instead of
     * reporting "0 audited" and nothing else.
     */
    private List<String> notFound(AccountSnapshot snapshot, ScanScope scope, List<AccountReport.NotEvaluated> notEvaluated) {
        if (!(scope instanceof ScanScope.Repositories(Set<String> names))) {
            return List.of();
        }
        Set<String> present = snapshot.repositories().stream().map(EcrRepository::name).collect(Collectors.toCollection(HashSet::new));
        notEvaluated.forEach(n -> present.add(n.repository()));
        return names.stream().filter(name -> !present.contains(name)).sorted().map(name -> {
            String role = config.guard().roleNaming().roleNameFor(name).name();
            return "repository " + name + " not found in " + snapshot.accountId() + " " + snapshot.region()
                    + (snapshot.rolesByName().containsKey(role) ? " (its role " + role + " is listed as an orphan)" : "; role " + role + " not found either");
        }).toList();
    }

    /** Why this scan audits only: the event echoes the function's own write, or there is no time left to write safely. */
    private Optional<String> remediationWithheld(Trigger trigger, TimeBudget budget) {
        if (config.isSelf(trigger.actor())) {
            return Optional.of("remediation skipped: the event records this function's own write (" + trigger.actor() + "); audited only");
        }
        return budget.exhausted().map(why -> "remediation not started: " + why);
    }
}
