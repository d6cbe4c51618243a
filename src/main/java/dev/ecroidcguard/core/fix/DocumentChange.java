package dev.ecroidcguard.core.fix;

import java.util.List;

/** What a fix plan does to one policy document (a trust policy or a repository policy). */
public sealed interface DocumentChange {

    /** Nothing to change. */
    record Unchanged() implements DocumentChange {
    }

    /** Replace the document with {@code document}; it allows nothing the old one did not. */
    record Replace(String document, List<String> reasons) implements DocumentChange {
        public Replace {
            reasons = List.copyOf(reasons);
        }
    }

    /** Remove the document altogether (only a repository policy: nothing compliant would remain in it). */
    record Delete(List<String> reasons) implements DocumentChange {
        public Delete {
            reasons = List.copyOf(reasons);
        }
    }

    /** No compliant, never-widening document can be built automatically; a person must decide. */
    record NeedsHuman(String reason) implements DocumentChange {
    }

    DocumentChange UNCHANGED = new Unchanged();
}
