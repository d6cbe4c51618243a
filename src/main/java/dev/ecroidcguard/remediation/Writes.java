package dev.ecroidcguard.remediation;

import dev.ecroidcguard.ports.AccountWriter;
import java.util.List;

/**
 * The {@link AccountWriter} as one fix class may use it: runs typed operations, logs each before it is made, and
 * refuses an action the class did not declare (template.yaml grants a class only what it declares).
 */
final class Writes {

    private final AccountWriter writer;
    private final FixClass fix;
    private final WriteJournal journal;

    Writes(AccountWriter writer, FixClass fix, WriteJournal journal) {
        this.writer = writer;
        this.fix = fix;
        this.journal = journal;
    }

    /**
     * Runs one write. The journal records it with the documents it replaces before the call is made, so a write is on
     * record even when the invocation dies before its report is published.
     */
    void run(Operation operation, List<Operation> log, Documents before) {
        if (!fix.actions().containsAll(operation.authorizedAs())) {
            throw new IllegalStateException(fix.remediationClass().configName() + " does not declare " + operation.authorizedAs()
                    + " (" + operation.describe() + ")");
        }
        log.add(operation);
        journal.writing(fix.remediationClass(), operation, before);
        switch (operation) {
            case Operation.CreateRole c -> writer.createRole(c.roleName(), c.trustPolicy(), c.tags());
            case Operation.DeleteRole d -> writer.deleteRole(d.roleName());
            case Operation.UpdateAssumeRolePolicy u -> writer.updateTrustPolicy(u.roleName(), u.document());
            case Operation.PutRolePolicy p -> writer.putInlinePolicy(p.roleName(), p.policyName(), p.document());
            case Operation.DeleteRolePolicy d -> writer.deleteInlinePolicy(d.roleName(), d.policyName());
            case Operation.AttachRolePolicy a -> writer.attachManagedPolicy(a.roleName(), a.policyArn());
            case Operation.DetachRolePolicy d -> writer.detachManagedPolicy(d.roleName(), d.policyArn());
            case Operation.SetRepositoryPolicy s -> writer.setRepositoryPolicy(s.repositoryName(), s.document());
            case Operation.DeleteRepositoryPolicy d -> writer.deleteRepositoryPolicy(d.repositoryName());
        }
    }

    /** Puts the backup back: RESTORED, or FAILED (with the backup in the change) when that fails too. */
    Change restore(Pending p, String why, Documents after) {
        try {
            p.restore().forEach(operation -> run(operation, p.operations(), after));
            return p.change(Change.Status.RESTORED, why + "; the previous documents were restored", after);
        } catch (RuntimeException e) {
            return p.change(Change.Status.FAILED, why + "; restoring the previous documents failed too (" + message(e)
                    + "): the backup is in this report, a person must restore it", after);
        }
    }

    static String message(RuntimeException e) {
        return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
    }
}
