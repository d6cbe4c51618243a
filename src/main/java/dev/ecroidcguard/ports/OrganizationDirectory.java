package dev.ecroidcguard.ports;

import java.util.List;

/** The active accounts of the organization, all of them or those under given organizational units. */
public interface OrganizationDirectory {

    List<String> activeAccounts();

    /** Accounts under each OU, at any depth. */
    List<String> activeAccountsUnder(List<String> organizationalUnitIds);
}
