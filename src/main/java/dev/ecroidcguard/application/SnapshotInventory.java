package dev.ecroidcguard.application;

import dev.ecroidcguard.core.ScanScope;
import dev.ecroidcguard.core.inventory.AccountSnapshot;
import dev.ecroidcguard.ports.Inventory;
import dev.ecroidcguard.ports.InventorySource;

import java.util.List;

/**
 * An account snapshot (the CLI's {@code --snapshot} file) as an inventory source: read for a scope as the AWS adapter
 * reads an account, i.e. the repositories of the scope and every role, with no API call.
 */
public record SnapshotInventory(AccountSnapshot snapshot) implements InventorySource {

    @Override
    public Inventory read(ScanScope scope) {
        AccountSnapshot scoped = new AccountSnapshot(snapshot.accountId(), snapshot.region(), snapshot.partition(), snapshot.roles(),
                snapshot.managedPolicies(), snapshot.oidcProviders(),
                snapshot.repositories().stream().filter(r -> scope.covers(r.name())).toList());
        return new Inventory(scoped, List.of());
    }
}
