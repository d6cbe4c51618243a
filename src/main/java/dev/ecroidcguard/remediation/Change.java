package dev.ecroidcguard.remediation;

import dev.ecroidcguard.core.finding.Finding;
import dev.ecroidcguard.core.finding.RemediationClass;

import java.util.List;

/**
 * One remediation step for one repository and class, as the report and the logs show it: what was (or would
 * have been) changed, why (the findings it fixes, with their witnesses), the documents before and after, the
 * write calls made (restores included), and how it ended.
 *
 * @param resource  the role or repository ARN written (or that would have been)
 * @param detail    one line: what happened, or why nothing was written
 * @param before    the backup taken before writing (null when nothing was read for this step)
 * @param after     the documents as read back after the write (null when nothing was written)
 */
public record Change(String repository, RemediationClass remediationClass, String resource, Status status, String detail,
                     List<Finding> why, Documents before, Documents after, List<Operation> operations) {

    public Change {
        why = List.copyOf(why);
        operations = List.copyOf(operations);
    }

    public enum Status {
        /** Written, read back, re-analysed: compliant for this class and as planned. */
        APPLIED,
        /** Nothing to write: another invocation (or a person) already made the change; re-audited. */
        ALREADY_DONE,
        /** Written, but the write failed or the read-back did not verify: the backup was put back. */
        RESTORED,
        /** Written, did not verify, and putting the backup back failed too: a person must look. */
        FAILED,
        /**
         * Written, but the account could not be read back (throttled, failing): neither confirmed nor restored on a
         * guess; the backup is in the change and the next scan re-audits the repository.
         */
        UNVERIFIED,
        /** Not written: a stack or other IaC owns the resource, or the plan needs a person. */
        SKIPPED;

        public String jsonName() {
            return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
        }
    }

    public boolean wrote() {
        return status == Status.APPLIED || status == Status.RESTORED || status == Status.FAILED || status == Status.UNVERIFIED;
    }
}
