package dev.ecroidcguard.remediation;

import dev.ecroidcguard.core.finding.RemediationClass;
import dev.ecroidcguard.core.fix.DocumentChange;
import dev.ecroidcguard.core.inventory.IamRole;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Replaces a role's trust policy with its narrowed form; restoring writes the old one back. */
final class TrustFix implements FixClass {

    static final TrustFix INSTANCE = new TrustFix();

    private static final Set<Action> ACTIONS = EnumSet.of(Action.UPDATE_ASSUME_ROLE_POLICY);

    private TrustFix() {
    }

    @Override
    public RemediationClass remediationClass() {
        return RemediationClass.TRUST;
    }

    @Override
    public Set<Action> actions() {
        return ACTIONS;
    }

    @Override
    public Proposal propose(Target target, Writes writes) {
        if (target.role().isEmpty()) {
            return Proposal.NOTHING;
        }
        IamRole role = target.role().get();
        return switch (target.report().fix().trust()) {
            case DocumentChange.Replace replace -> new Proposal.Write(role.arn(), Optional.of(Owned.role(role)),
                    () -> replace(target, role, replace, writes));
            case DocumentChange.NeedsHuman h -> new Proposal.LeftToAPerson(role.arn(), "needs a person: " + h.reason());
            case DocumentChange.Unchanged u -> Proposal.NOTHING;
            case DocumentChange.Delete d -> Proposal.NOTHING; // the trust planner replaces, never deletes
        };
    }

    private Step replace(Target target, IamRole role, DocumentChange.Replace replace, Writes writes) {
        Pending pending = new Pending(target.report().repository(), this, role.arn(), why(target), Documents.trust(role.trustPolicy()),
                new ArrayList<>(), List.of(new Operation.UpdateAssumeRolePolicy(role.name(), role.trustPolicy())),
                read -> read.role().map(x -> Documents.sameJson(x.trustPolicy(), replace.document()) ? Optional.<String>empty()
                        : Optional.of("the trust policy read back differs from the plan")).orElse(Optional.of("the role is gone")),
                replace.remaining(), false, List.of());
        try {
            writes.run(new Operation.UpdateAssumeRolePolicy(role.name(), replace.document()), pending.operations(), pending.before());
        } catch (RuntimeException e) {
            return new Step.Done(writes.restore(pending, "UpdateAssumeRolePolicy failed (" + Writes.message(e) + ")", null));
        }
        return new Step.Written(pending);
    }

    @Override
    public Documents documents(ReadBack read) {
        return read.role().map(role -> Documents.trust(role.trustPolicy())).orElse(Documents.absentRole());
    }

    @Override
    public String applied(List<Operation> operations) {
        return "replaced the trust policy with its narrowed form";
    }
}
