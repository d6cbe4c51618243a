package dev.ecroidcguard.application.organization;

import dev.ecroidcguard.application.ScanConfig;
import dev.ecroidcguard.application.ScanLog;
import dev.ecroidcguard.ports.Notifier;
import dev.ecroidcguard.ports.RunLedger;
import dev.ecroidcguard.ports.WorkQueue;

import java.time.InstantSource;
import java.util.List;

/**
 * A scheduled organization run as one whole: opened by the schedule with its number of units, finished unit by unit
 * by the workers, each recording its {@link UnitResult} in the {@link RunLedger} and sending the chunks it split off;
 * the worker whose unit is the last one in claims the roll-up, assembles it from every unit's result
 * ({@link RunReport}) and publishes it, once per run, as {@code notifyOn} says. A publish that fails gives the claim
 * back and fails the unit's message, whose next delivery publishes it (it counts nothing again).
 */
public final class OrganizationRun {

    private final RunLedger ledger;
    private final WorkQueue queue;
    private final Notifier notifier;
    private final ScanConfig.NotifyOn notifyOn;
    private final InstantSource clock;

    public OrganizationRun(RunLedger ledger, WorkQueue queue, Notifier notifier, ScanConfig.NotifyOn notifyOn, InstantSource clock) {
        this.ledger = ledger;
        this.queue = queue;
        this.notifier = notifier;
        this.notifyOn = notifyOn;
        this.clock = clock;
    }

    /** Before the units are sent, so none can finish before the run counts it; a run opened before stays as it is. */
    void open(String runId, int units) {
        ledger.open(runId, units, clock.instant());
    }

    /** What became of the run with this unit in: still running, or finished and its roll-up published or not. */
    public sealed interface Progress {
        record Running(long pending) implements Progress {
        }

        record RolledUp(RunReport report, boolean published) implements Progress {
        }

        /** The run was finished and rolled up by an earlier unit, or by another delivery of this one. */
        record AlreadyRolledUp() implements Progress {
        }
    }

    /** Records the run unit {@code work}'s result, sends its chunks and, when it is the last, publishes the roll-up. */
    public Progress finish(AccountWork work, AccountResult result, ScanLog log) {
        String runId = work.runId().orElseThrow(() -> new IllegalArgumentException("unit " + work.unitId() + " is not part of a run"));
        List<String> chunks = result instanceof AccountResult.Evaluated e ? e.chunks().stream().map(AccountWork::toJson).toList() : List.of();
        RunLedger.Recorded recorded = ledger.record(runId, work.unitId(), UnitResult.of(work, result).toJson(), chunks, clock.instant());
        recorded.followUps().forEach(queue::send);
        if (recorded.published()) {
            return new Progress.AlreadyRolledUp();
        }
        if (!recorded.finished() || !ledger.claimPublication(runId, clock.instant())) {
            return recorded.pending() == 0 ? new Progress.AlreadyRolledUp() : new Progress.Running(recorded.pending());
        }
        RunReport report = RunReport.of(runId, ledger.results(runId).stream().map(UnitResult::fromJson).toList());
        boolean publish = report.worthPublishing(notifyOn);
        if (publish) {
            try {
                notifier.publish(List.of(report.notification()));
            } catch (RuntimeException e) {
                ledger.releasePublication(runId);
                throw e;
            }
        }
        log.note(work.trigger(), "INFO", "organization run " + runId + " finished: " + report.accounts().size() + " accounts; roll-up "
                + (publish ? "published" : "not published (NOTIFY_ON=" + notifyOn.name().toLowerCase(java.util.Locale.ROOT) + ", nothing to tell)"));
        return new Progress.RolledUp(report, publish);
    }
}
