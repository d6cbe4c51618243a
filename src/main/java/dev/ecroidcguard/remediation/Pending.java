package dev.ecroidcguard.remediation;

import dev.ecroidcguard.core.finding.Finding;
import dev.ecroidcguard.core.finding.FindingCode;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * A write this invocation made, waiting for its read-back.
 *
 * @param before          the backup: the documents as the inventory read them
 * @param operations      the calls made so far, in order (restores are appended when they run)
 * @param restore         the calls that put the backup back (or roll back what this invocation created)
 * @param differsFromPlan why the read-back is not what was planned, or empty
 * @param mayRemain       the finding codes the plan says the written documents still have
 * @param alreadyDone     nothing was written: another invocation or a person made the change first
 * @param completion      for {@code alreadyDone}: what completes a role found without its permissions (see Remediator)
 */
record Pending(String repository, FixClass fix, String resource, List<Finding> why, Documents before, List<Operation> operations,
               List<Operation> restore, Function<FixClass.ReadBack, Optional<String>> differsFromPlan, Set<FindingCode> mayRemain,
               boolean alreadyDone, List<Operation> completion) {

    Change change(Change.Status status, String detail, Documents after) {
        return new Change(repository, fix.remediationClass(), resource, status, detail, why, before, after, operations);
    }
}
