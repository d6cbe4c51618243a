package dev.ecroidcguard.core.report;

import java.util.List;

/** One scan's analysis: the report of what was audited, and the repositories the ignore tag took out of it. */
public record Audit(AccountReport report, List<Suppressed> suppressed) {
    public Audit {
        suppressed = List.copyOf(suppressed);
    }
}
