package dev.ecroidcguard.remediation;

import dev.ecroidcguard.ports.AccountWriter;
import dev.ecroidcguard.core.finding.Category;
import dev.ecroidcguard.core.finding.Finding;
import dev.ecroidcguard.core.finding.RemediationClass;
import dev.ecroidcguard.core.fix.FixPlan;
import dev.ecroidcguard.core.fix.RoleCreation;
import dev.ecroidcguard.core.inventory.AccountSnapshot;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Creates the missing role with the canonical trust and push/pull policy. A role that appears meanwhile
 * ({@code EntityAlreadyExists}) is re-audited, not created twice; a role whose policy cannot be put is deleted again.
 */
final class MissingRoleFix implements FixClass {

    static final MissingRoleFix INSTANCE = new MissingRoleFix();

    /** CreateRole (tagged, so TagRole too) and PutRolePolicy; DeleteRolePolicy and DeleteRole only to roll back its own role. */
    private static final Set<Action> ACTIONS = EnumSet.of(Action.CREATE_ROLE, Action.TAG_ROLE, Action.PUT_ROLE_POLICY,
            Action.DELETE_ROLE_POLICY, Action.DELETE_ROLE);

    private MissingRoleFix() {
    }

    @Override
    public RemediationClass remediationClass() {
        return RemediationClass.MISSING_ROLE;
    }

    @Override
    public Set<Action> actions() {
        return ACTIONS;
    }

    /** A created role has a trust policy and permissions too: their findings must be gone as well. */
    @Override
    public Set<Category> verifiedCategories() {
        return EnumSet.of(Category.ROLE, Category.TRUST, Category.PERMISSIONS);
    }

    @Override
    public Proposal propose(Target target, Writes writes) {
        FixPlan plan = target.report().fix();
        if (plan.createRoleBlockedBecause().isPresent()) {
            return new Proposal.LeftToAPerson(roleArn(target.snapshot(), target.report().role()),
                    "role not created: " + plan.createRoleBlockedBecause().get());
        }
        return plan.createRole().<Proposal>map(create -> new Proposal.Write(roleArn(target.snapshot(), create.roleName()), Optional.empty(),
                () -> create(target, create, writes))).orElse(Proposal.NOTHING);
    }

    private Step create(Target target, RoleCreation create, Writes writes) {
        String arn = roleArn(target.snapshot(), create.roleName());
        Map<String, String> plannedInline = Map.of(create.inlinePolicyName(), create.inlinePolicy());
        List<Operation> ops = new ArrayList<>();
        List<Finding> why = why(target);
        List<Operation> rollback = List.of(new Operation.DeleteRolePolicy(create.roleName(), create.inlinePolicyName()),
                new Operation.DeleteRole(create.roleName()));
        try {
            writes.run(new Operation.CreateRole(create.roleName(), create.trustPolicy(), create.tags()), ops, Documents.absentRole());
        } catch (AccountWriter.AlreadyExists e) {
            // Whose role it is, and whether it lacks its policy (our own CreateRole whose answer was lost), the read-back tells.
            return new Step.Written(new Pending(target.report().repository(), this, arn, why, Documents.absentRole(), ops, List.of(),
                    read -> Optional.empty(), Set.of(), true,
                    List.of(new Operation.PutRolePolicy(create.roleName(), create.inlinePolicyName(), create.inlinePolicy()))));
        } catch (RuntimeException e) {
            return new Step.Done(new Change(target.report().repository(), RemediationClass.MISSING_ROLE, arn, Change.Status.FAILED,
                    "CreateRole failed (" + Writes.message(e) + "); nothing was created", why, Documents.absentRole(), null, ops));
        }
        Function<ReadBack, Optional<String>> differs = read -> read.role()
                .map(role -> !Documents.sameJson(role.trustPolicy(), create.trustPolicy())
                        ? Optional.of("the trust policy read back differs from the plan")
                        : !Documents.sameDocuments(Documents.inline(role), plannedInline)
                        ? Optional.of("the inline policies read back differ from the plan")
                        : !role.attachedPolicyArns().isEmpty() ? Optional.of("managed policies are attached")
                        : !role.tags().entrySet().containsAll(create.tags().entrySet()) ? Optional.of("the tags read back differ from the plan")
                        : Optional.<String>empty())
                .orElse(Optional.of("the role is not there when read back"));
        Pending pending = new Pending(target.report().repository(), this, arn, why, Documents.absentRole(), ops, rollback, differs,
                Set.of(), false, List.of());
        try {
            writes.run(new Operation.PutRolePolicy(create.roleName(), create.inlinePolicyName(), create.inlinePolicy()), ops, Documents.absentRole());
        } catch (RuntimeException e) {
            return new Step.Done(writes.restore(pending, "PutRolePolicy failed after CreateRole (" + Writes.message(e) + ")", null));
        }
        return new Step.Written(pending);
    }

    @Override
    public Documents documents(ReadBack read) {
        return read.role().map(role -> Documents.role(role.trustPolicy(), Documents.inline(role), role.attachedPolicyArns(), role.tags()))
                .orElse(Documents.absentRole());
    }

    @Override
    public String applied(List<Operation> operations) {
        return "created the role with the canonical trust and push/pull policy";
    }

    private static String roleArn(AccountSnapshot snapshot, String roleName) {
        return "arn:" + snapshot.partition() + ":iam::" + snapshot.accountId() + ":role/" + roleName;
    }
}
