package dev.ecroidcguard.remediation;

import dev.ecroidcguard.core.finding.FindingCode;
import dev.ecroidcguard.core.finding.RemediationClass;
import dev.ecroidcguard.core.fix.DocumentChange;
import dev.ecroidcguard.core.inventory.EcrRepository;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Removes the offending statements from a repository policy, or deletes the policy when nothing would remain.
 * Restoring sets the old policy again (or deletes the one written, when there was none).
 */
final class RepositoryPolicyFix implements FixClass {

    static final RepositoryPolicyFix INSTANCE = new RepositoryPolicyFix();

    private static final Set<Action> ACTIONS = EnumSet.of(Action.SET_REPOSITORY_POLICY, Action.DELETE_REPOSITORY_POLICY);

    private RepositoryPolicyFix() {
    }

    @Override
    public RemediationClass remediationClass() {
        return RemediationClass.REPOSITORY_POLICY;
    }

    @Override
    public Set<Action> actions() {
        return ACTIONS;
    }

    @Override
    public Proposal propose(Target target, Writes writes) {
        EcrRepository repository = target.repository();
        DocumentChange change = target.report().fix().repositoryPolicy();
        return switch (change) {
            case DocumentChange.Unchanged u -> Proposal.NOTHING;
            case DocumentChange.NeedsHuman h -> new Proposal.LeftToAPerson(repository.arn(), "needs a person: " + h.reason());
            case DocumentChange.Replace replace -> write(target, Optional.of(replace.document()), replace.remaining(), writes);
            case DocumentChange.Delete delete -> write(target, Optional.empty(), delete.remaining(), writes);
        };
    }

    /** Writes {@code planned}, or deletes the policy when it is empty. */
    private Proposal write(Target target, Optional<String> planned, Set<FindingCode> remaining, Writes writes) {
        EcrRepository repository = target.repository();
        return new Proposal.Write(repository.arn(), Optional.of(Owned.repository(repository)), () -> {
            Operation restore = repository.policyText().<Operation>map(old -> new Operation.SetRepositoryPolicy(repository.name(), old))
                    .orElse(new Operation.DeleteRepositoryPolicy(repository.name()));
            Pending pending = new Pending(target.report().repository(), this, repository.arn(), why(target),
                    Documents.repositoryPolicy(repository.policyText()), new ArrayList<>(), List.of(restore),
                    read -> {
                        Optional<String> now = read.repository().flatMap(EcrRepository::policyText);
                        boolean same = planned.isEmpty() ? now.isEmpty() : now.isPresent() && Documents.sameJson(now.get(), planned.get());
                        return same ? Optional.empty() : Optional.of("the repository policy read back differs from the plan");
                    },
                    remaining, false, List.of());
            Operation write = planned.<Operation>map(document -> new Operation.SetRepositoryPolicy(repository.name(), document))
                    .orElse(new Operation.DeleteRepositoryPolicy(repository.name()));
            try {
                writes.run(write, pending.operations(), pending.before());
            } catch (RuntimeException e) {
                return new Step.Done(writes.restore(pending, write.action().iamName() + " failed (" + Writes.message(e) + ")", null));
            }
            return new Step.Written(pending);
        });
    }

    @Override
    public Documents documents(ReadBack read) {
        return Documents.repositoryPolicy(read.repository().flatMap(EcrRepository::policyText));
    }

    @Override
    public String applied(List<Operation> operations) {
        return operations.stream().anyMatch(o -> o instanceof Operation.DeleteRepositoryPolicy)
                ? "deleted the repository policy: no statement would remain after removing the offending ones"
                : "removed the offending statements from the repository policy and kept the rest";
    }
}
