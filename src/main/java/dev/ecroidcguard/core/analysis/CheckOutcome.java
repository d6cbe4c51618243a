package dev.ecroidcguard.core.analysis;

import dev.ecroidcguard.core.finding.Finding;

import java.util.List;

/** What one check found and the change it proposes (a never-widening fix, or why none can be built). */
public record CheckOutcome<C>(List<Finding> findings, C change) {
    public CheckOutcome {
        findings = List.copyOf(findings);
    }
}
