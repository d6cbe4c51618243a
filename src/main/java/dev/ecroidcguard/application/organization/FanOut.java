package dev.ecroidcguard.application.organization;

import dev.ecroidcguard.application.Trigger;
import dev.ecroidcguard.core.ScanScope;
import dev.ecroidcguard.ports.OrganizationDirectory;
import dev.ecroidcguard.ports.WorkQueue;

import java.util.List;
import java.util.Optional;

/**
 * Puts the organization's work on the queue: the scheduled run, one {@link AccountWork} per target account with its
 * regions inside; and a member account's CloudTrail event, one unit for the repositories it names. The SQS event
 * source mapping delivers them to the workers with the concurrency the template bounds; nothing here waits for them.
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

    /** The scheduled run: the work enqueued, in order. */
    public List<AccountWork> enqueue(Trigger trigger) {
        List<AccountWork> work = targets.resolve(directory).stream()
                .map(account -> new AccountWork(account, targets.regions(), List.of(), trigger))
                .toList();
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
        AccountWork work = new AccountWork(accountId, region.map(List::of).orElse(targets.regions()), List.copyOf(scope.names()), trigger);
        queue.send(work.toJson());
        return Optional.of(work);
    }
}
