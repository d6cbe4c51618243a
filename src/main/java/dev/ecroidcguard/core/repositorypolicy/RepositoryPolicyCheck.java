package dev.ecroidcguard.core.repositorypolicy;

import dev.ecroidcguard.core.analysis.CheckOutcome;
import dev.ecroidcguard.core.analysis.RepositoryContext;
import dev.ecroidcguard.core.fix.DocumentChange;

import java.util.List;

/** Who the repository policy lets in (placeholder until the repository-policy analysis lands). */
public final class RepositoryPolicyCheck {
    private RepositoryPolicyCheck() {
    }

    public static CheckOutcome<DocumentChange> check(RepositoryContext ctx) {
        return new CheckOutcome<>(List.of(), DocumentChange.UNCHANGED);
    }
}
