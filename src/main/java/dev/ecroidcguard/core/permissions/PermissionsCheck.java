package dev.ecroidcguard.core.permissions;

import dev.ecroidcguard.core.analysis.CheckOutcome;
import dev.ecroidcguard.core.analysis.RepositoryContext;
import dev.ecroidcguard.core.fix.PermissionsChange;

import java.util.List;

/** What the repository's role may do (placeholder until the permissions analysis lands). */
public final class PermissionsCheck {
    private PermissionsCheck() {
    }

    public static CheckOutcome<PermissionsChange> check(RepositoryContext ctx) {
        return new CheckOutcome<>(List.of(), PermissionsChange.UNCHANGED);
    }
}
