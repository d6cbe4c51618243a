package dev.ecroidcguard.core.trust;

import dev.ecroidcguard.core.analysis.CheckOutcome;
import dev.ecroidcguard.core.analysis.RepositoryContext;
import dev.ecroidcguard.core.fix.DocumentChange;

import java.util.List;

/** Who can assume the repository's role (placeholder until the trust analysis lands). */
public final class TrustCheck {
    private TrustCheck() {
    }

    public static CheckOutcome<DocumentChange> check(RepositoryContext ctx) {
        return new CheckOutcome<>(List.of(), DocumentChange.UNCHANGED);
    }
}
