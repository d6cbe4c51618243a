package dev.ecroidcguard.core.fix;

import java.util.List;
import java.util.Map;

/** What a fix plan does to a role's identity policies. */
public sealed interface PermissionsChange {

    record Unchanged() implements PermissionsChange {
    }

    /**
     * Put these inline policies (name to document), delete these inline policies, detach these managed
     * policies. The result allows nothing the old policies did not; the permissions boundary is kept.
     */
    record Rewrite(Map<String, String> putInline, List<String> deleteInline, List<String> detachManaged,
                   List<String> reasons) implements PermissionsChange {
        public Rewrite {
            putInline = Map.copyOf(putInline);
            deleteInline = List.copyOf(deleteInline);
            detachManaged = List.copyOf(detachManaged);
            reasons = List.copyOf(reasons);
        }
    }

    record NeedsHuman(String reason) implements PermissionsChange {
    }

    PermissionsChange UNCHANGED = new Unchanged();
}
