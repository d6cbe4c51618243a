package dev.ecroidcguard.ports;

import dev.ecroidcguard.core.ScanScope;
import dev.ecroidcguard.core.TimeBudget;

/** Reads an account's IAM/ECR state for a scope. The AWS adapter implements it; unit tests use in-memory fakes. */
public interface InventorySource {
    Inventory read(ScanScope scope);

    /**
     * A scan's read, which may take long: what cannot be read before {@code budget} runs out is reported as not
     * evaluated. Sources that read from memory have nothing to pace and ignore it.
     */
    default Inventory read(ScanScope scope, TimeBudget budget) {
        return read(scope);
    }
}
