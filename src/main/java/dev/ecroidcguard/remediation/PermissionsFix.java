package dev.ecroidcguard.remediation;

import dev.ecroidcguard.core.finding.RemediationClass;
import dev.ecroidcguard.core.fix.PermissionsChange;
import dev.ecroidcguard.core.inventory.IamRole;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Rewrites a role's permissions to the narrowed baseline: puts the narrowed inline policy, deletes the other inline
 * policies, detaches the managed ones. Restoring puts back what was there, re-attaching detached policies.
 */
final class PermissionsFix implements FixClass {

    static final PermissionsFix INSTANCE = new PermissionsFix();

    /** AttachRolePolicy only to restore a detached policy. */
    private static final Set<Action> ACTIONS = EnumSet.of(Action.PUT_ROLE_POLICY, Action.DELETE_ROLE_POLICY, Action.DETACH_ROLE_POLICY,
            Action.ATTACH_ROLE_POLICY);

    private PermissionsFix() {
    }

    @Override
    public RemediationClass remediationClass() {
        return RemediationClass.PERMISSIONS;
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
        return switch (target.report().fix().permissions()) {
            case PermissionsChange.Rewrite rewrite -> new Proposal.Write(role.arn(), Optional.of(Owned.role(role)),
                    () -> rewrite(target, role, rewrite, writes));
            case PermissionsChange.NeedsHuman h -> new Proposal.LeftToAPerson(role.arn(), "needs a person: " + h.reason());
            case PermissionsChange.Unchanged u -> Proposal.NOTHING;
        };
    }

    private Step rewrite(Target target, IamRole role, PermissionsChange.Rewrite rewrite, Writes writes) {
        Map<String, String> inlineBefore = Documents.inline(role);
        Map<String, String> expectedInline = new TreeMap<>(inlineBefore);
        rewrite.deleteInline().forEach(expectedInline::remove);
        expectedInline.putAll(rewrite.putInline());
        Set<String> expectedAttached = new LinkedHashSet<>(role.attachedPolicyArns());
        rewrite.detachManaged().forEach(expectedAttached::remove);
        Pending pending = new Pending(target.report().repository(), this, role.arn(), why(target),
                Documents.permissions(inlineBefore, role.attachedPolicyArns()), new ArrayList<>(), restore(role, inlineBefore, rewrite),
                read -> read.role().map(x -> !Documents.sameDocuments(Documents.inline(x), expectedInline)
                                ? Optional.of("the inline policies read back differ from the plan")
                                : !new HashSet<>(x.attachedPolicyArns()).equals(expectedAttached)
                                ? Optional.of("the attached managed policies read back differ from the plan") : Optional.<String>empty())
                        .orElse(Optional.of("the role is gone")),
                rewrite.remaining(), false, List.of());
        List<Operation> ops = pending.operations();
        try {
            // Put the narrowed policy first, so the role never lacks what it keeps while the rest is removed.
            for (Map.Entry<String, String> put : new TreeMap<>(rewrite.putInline()).entrySet()) {
                writes.run(new Operation.PutRolePolicy(role.name(), put.getKey(), put.getValue()), ops, pending.before());
            }
            for (String name : rewrite.deleteInline()) {
                writes.run(new Operation.DeleteRolePolicy(role.name(), name), ops, pending.before());
            }
            for (String arn : rewrite.detachManaged()) {
                writes.run(new Operation.DetachRolePolicy(role.name(), arn), ops, pending.before());
            }
        } catch (RuntimeException e) {
            return new Step.Done(writes.restore(pending, ops.getLast().action().iamName() + " failed (" + Writes.message(e) + ") after "
                    + (ops.size() - 1) + " of the plan's writes", null));
        }
        return new Step.Written(pending);
    }

    /** Every document the rewrite may have touched, as it was: put back, or removed when it was not there. */
    private static List<Operation> restore(IamRole role, Map<String, String> inlineBefore, PermissionsChange.Rewrite rewrite) {
        List<Operation> restore = new ArrayList<>();
        for (String name : rewrite.putInline().keySet()) {
            restore.add(inlineBefore.containsKey(name) ? new Operation.PutRolePolicy(role.name(), name, inlineBefore.get(name))
                    : new Operation.DeleteRolePolicy(role.name(), name));
        }
        for (String name : rewrite.deleteInline()) {
            if (inlineBefore.containsKey(name)) {
                restore.add(new Operation.PutRolePolicy(role.name(), name, inlineBefore.get(name)));
            }
        }
        for (String arn : rewrite.detachManaged()) {
            if (role.attachedPolicyArns().contains(arn)) {
                restore.add(new Operation.AttachRolePolicy(role.name(), arn));
            }
        }
        return restore;
    }

    @Override
    public Documents documents(ReadBack read) {
        return read.role().map(role -> Documents.permissions(Documents.inline(role), role.attachedPolicyArns())).orElse(Documents.absentRole());
    }

    @Override
    public String applied(List<Operation> operations) {
        return "rewrote the role's permissions to the narrowed baseline";
    }
}
