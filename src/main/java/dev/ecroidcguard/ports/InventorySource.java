package dev.ecroidcguard.ports;

import dev.ecroidcguard.core.ScanScope;

/** Reads an account's IAM/ECR state for a scope. The AWS adapter implements it; unit tests use in-memory fakes. */
public interface InventorySource {
    Inventory read(ScanScope scope);
}
