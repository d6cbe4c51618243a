package dev.ecroidcguard.core.fix;

import dev.ecroidcguard.core.finding.FindingCode;

import java.util.List;
import java.util.Set;

/** What a fix plan does to one policy document (a trust policy or a repository policy). */
public sealed interface DocumentChange {

    /** Nothing to change. */
    record Unchanged() implements DocumentChange {
    }

    /**
     * Replace the document with {@code document}; it allows nothing the old one did not. {@code reasons} explain
     * the change to a person; {@code remaining} are the finding codes the replaced document will still have
     * (problems a never-widening fix cannot repair, left for a person), empty for a complete fix.
     */
    record Replace(String document, List<String> reasons, Set<FindingCode> remaining) implements DocumentChange {
        public Replace {
            reasons = List.copyOf(reasons);
            remaining = Set.copyOf(remaining);
        }
    }

    /**
     * Remove the document altogether (only a repository policy: nothing compliant would remain in it).
     * {@code remaining} as for {@link Replace}.
     */
    record Delete(List<String> reasons, Set<FindingCode> remaining) implements DocumentChange {
        public Delete {
            reasons = List.copyOf(reasons);
            remaining = Set.copyOf(remaining);
        }
    }

    /** No compliant, never-widening document can be built automatically; a person must decide. */
    record NeedsHuman(String reason) implements DocumentChange {
    }

    DocumentChange UNCHANGED = new Unchanged();
}
