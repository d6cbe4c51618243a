package dev.ecroidcguard.aws;

import dev.ecroidcguard.ports.OrganizationDirectory;
import software.amazon.awssdk.services.organizations.OrganizationsClient;
import software.amazon.awssdk.services.organizations.model.Account;
import software.amazon.awssdk.services.organizations.model.AccountStatus;
import software.amazon.awssdk.services.organizations.model.OrganizationalUnit;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The organization's active accounts from AWS Organizations (callable from the management account or a delegated
 * administrator): all of them, or those under given OUs at any depth (an OU's accounts and its child OUs' accounts).
 */
public final class OrganizationAccounts implements OrganizationDirectory {

    public static final Set<String> REQUIRED_PERMISSIONS = Set.of("organizations:ListAccounts", "organizations:ListAccountsForParent",
            "organizations:ListOrganizationalUnitsForParent");

    private final OrganizationsClient organizations;

    public OrganizationAccounts(OrganizationsClient organizations) {
        this.organizations = organizations;
    }

    @Override
    public List<String> activeAccounts() {
        return active(organizations.listAccountsPaginator(r -> { }).stream().flatMap(page -> page.accounts().stream()));
    }

    @Override
    public List<String> activeAccountsUnder(List<String> organizationalUnitIds) {
        List<String> out = new ArrayList<>();
        Deque<String> parents = new ArrayDeque<>(organizationalUnitIds);
        while (!parents.isEmpty()) {
            String parent = parents.pop();
            out.addAll(active(organizations.listAccountsForParentPaginator(r -> r.parentId(parent)).stream()
                    .flatMap(page -> page.accounts().stream())));
            organizations.listOrganizationalUnitsForParentPaginator(r -> r.parentId(parent)).stream()
                    .flatMap(page -> page.organizationalUnits().stream())
                    .map(OrganizationalUnit::id).forEach(parents::add);
        }
        return out;
    }

    private static List<String> active(Stream<Account> accounts) {
        return accounts.filter(a -> a.status() == AccountStatus.ACTIVE).map(Account::id).toList();
    }
}
