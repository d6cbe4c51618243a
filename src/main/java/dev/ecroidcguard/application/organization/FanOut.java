package dev.ecroidcguard.application.organization;

import dev.ecroidcguard.application.Trigger;
import dev.ecroidcguard.core.ScanScope;
import dev.ecroidcguard.ports.OrganizationDirectory;
import dev.ecroidcguard.ports.WorkQueue;

import java.util.List;
import java.util.Optional;

/**
 * Puts the organization's work on the queue: the scheduled run, opened in the run ledger with one
 * {@link AccountWork} per target account with its regions inside (the run's id is the scheduled event's, so a repeated
 * delivery of the schedule is the same run); and a member account's CloudTrail event, one unit for the repositories
 * it names, reported on its own. The SQS event source mapping delivers them to the workers with the concurrency the
 * template bounds; nothing here waits for them.
 */
public final class FanOut {

    private final Targets targets;
    private final OrganizationDirectory directory;
    private final WorkQueue queue;
    private final OrganizationRun run;

    public FanOut(Targets targets, OrganizationDirectory directory, WorkQueue queue, OrganizationRun run) {
        this.targets = targets;
        this.directory = directory;
        this.queue = queue;
        this.run = run;
    }

    /**
     * The scheduled run: the work enqueued, in order. Sent again in full when the schedule is delivered again (the
     * first delivery may have stopped half way); a unit counted before is not counted again.
     */
    public List<AccountWork> enqueue(Trigger trigger) {
        if (trigger.eventId() == null) {
            throw new IllegalArgumentException("a scheduled run needs the event's id: it is the run's");
        }
        List<AccountWork> work = targets.resolve(directory).stream()
                .map(account -> new AccountWork(account, targets.regions(), List.of(), Optional.empty(), Optional.of(trigger.eventId()), trigger))
                .toList();
        if (!work.isEmpty()) {
            run.open(trigger.eventId(), work.size());
        }
        work.forEach(w -> queue.send(w.toJson()));
        return work;
    }

    /**
     * A member account's event about {@code scope}'s repositories, in {@code region} (ECR) or, empty, in every target
     * region (IAM is global): enqueued when the account is a target; empty (nothing enqueued) when it is not.
     */
    public Optional<AccountWork> enqueue(Trigger trigger, String accountId, Optional<String> region, ScanScope.Repositories scope) {
        if (!targets.resolve(directory).contains(accountId)) {
            return Optional.empty();
        }
        AccountWork work = new AccountWork(accountId, region.map(List::of).orElse(targets.regions()), List.copyOf(scope.names()),
                Optional.empty(), Optional.empty(), trigger);
        queue.send(work.toJson());
        return Optional.of(work);
    }
}
