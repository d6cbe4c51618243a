package dev.ecroidcguard.application.organization;

import dev.ecroidcguard.ports.OrganizationDirectory;

import java.util.List;
import java.util.Optional;
import java.util.TreeSet;

/**
 * What an organization run audits: the explicit account ids, plus (when {@code organization} is present) the
 * organization's active accounts, all of them or under the given OU ids; each account in every one of {@code regions}.
 */
public record Targets(List<String> accounts, Optional<OrganizationScope> organization, List<String> regions) {

    /** All active accounts ({@code organizationalUnits} empty), or those under the OUs. */
    public record OrganizationScope(List<String> organizationalUnits) {
        public OrganizationScope {
            organizationalUnits = List.copyOf(organizationalUnits);
        }
    }

    public Targets {
        accounts = List.copyOf(accounts);
        regions = List.copyOf(regions);
    }

    /** The accounts to audit, sorted and without duplicates; the directory is asked only when the organization is a source. */
    public List<String> resolve(OrganizationDirectory directory) {
        TreeSet<String> out = new TreeSet<>(accounts);
        organization.ifPresent(o -> out.addAll(o.organizationalUnits().isEmpty() ? directory.activeAccounts()
                : directory.activeAccountsUnder(o.organizationalUnits())));
        return List.copyOf(out);
    }
}
