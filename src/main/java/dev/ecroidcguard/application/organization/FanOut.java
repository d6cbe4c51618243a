package dev.ecroidcguard.application.organization;

import dev.ecroidcguard.application.Trigger;
import dev.ecroidcguard.ports.OrganizationDirectory;
import dev.ecroidcguard.ports.WorkQueue;

import java.util.List;

/**
 * The scheduled organization run: resolves the targets and enqueues one {@link AccountWork} per account, its regions
 * inside. The SQS event source mapping delivers them to the workers with the concurrency the template bounds; nothing
 * here waits for them.
 */
public final class FanOut {

    private final Targets targets;
    private final OrganizationDirectory directory;
    private final WorkQueue queue;

    public FanOut(Targets targets, OrganizationDirectory directory, WorkQueue queue) {
        this.targets = targets;
        this.directory = directory;
        this.queue = queue;
    }

    /** The work enqueued, in order. */
    public List<AccountWork> enqueue(Trigger trigger) {
        List<AccountWork> work = targets.resolve(directory).stream()
                .map(account -> new AccountWork(account, targets.regions(), trigger.eventId(), trigger.event()))
                .toList();
        work.forEach(w -> queue.send(w.toJson()));
        return work;
    }
}
