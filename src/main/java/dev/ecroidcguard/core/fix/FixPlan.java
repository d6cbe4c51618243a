package dev.ecroidcguard.core.fix;

import java.util.Optional;

/**
 * The proposed repair of one repository/role pair. Each part is decided on its own, so a trust policy can be
 * fixed while a permission policy needs a person. {@link #needsHuman()} tells whether any part does.
 */
public record FixPlan(Optional<RoleCreation> createRole, Optional<String> createRoleBlockedBecause, DocumentChange trust,
                      PermissionsChange permissions, DocumentChange repositoryPolicy) {

    public static FixPlan none() {
        return new FixPlan(Optional.empty(), Optional.empty(), DocumentChange.UNCHANGED, PermissionsChange.UNCHANGED, DocumentChange.UNCHANGED);
    }

    public boolean isEmpty() {
        return createRole.isEmpty() && createRoleBlockedBecause.isEmpty() && trust instanceof DocumentChange.Unchanged
                && permissions instanceof PermissionsChange.Unchanged && repositoryPolicy instanceof DocumentChange.Unchanged;
    }

    public boolean needsHuman() {
        return createRoleBlockedBecause.isPresent() || trust instanceof DocumentChange.NeedsHuman
                || permissions instanceof PermissionsChange.NeedsHuman || repositoryPolicy instanceof DocumentChange.NeedsHuman;
    }
}
