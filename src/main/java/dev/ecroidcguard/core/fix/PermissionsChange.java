package dev.ecroidcguard.core.fix;

import dev.ecroidcguard.core.finding.FindingCode;

import java.util.List;
import java.util.Map;
import java.util.Set;

/** What a fix plan does to a role's identity policies. */
public sealed interface PermissionsChange {

    record Unchanged() implements PermissionsChange {
    }

    /**
     * Put these inline policies (name to document), delete these inline policies, detach these managed
     * policies. The result allows nothing the old policies did not; the permissions boundary is kept.
     * {@code remaining} are the finding codes the rewritten policies will still have (e.g. permissions the old
     * policies lacked too: a never-widening fix cannot add them), empty for a complete fix.
     */
    record Rewrite(Map<String, String> putInline, List<String> deleteInline, List<String> detachManaged,
                   List<String> reasons, Set<FindingCode> remaining) implements PermissionsChange {
        public Rewrite {
            putInline = Map.copyOf(putInline);
            deleteInline = List.copyOf(deleteInline);
            detachManaged = List.copyOf(detachManaged);
            reasons = List.copyOf(reasons);
            remaining = Set.copyOf(remaining);
        }
    }

    record NeedsHuman(String reason) implements PermissionsChange {
    }

    PermissionsChange UNCHANGED = new Unchanged();
}
