package dev.ecroidcguard.lambda;

import dev.ecroidcguard.service.InventorySource;
import dev.ecroidcguard.service.Notifier;

/** The function's AWS side: where the inventory comes from and where notifications go. */
public record Adapters(InventorySource inventory, Notifier notifier) {

    /** Builds the adapters once per execution environment (the AWS ones in production, fakes in tests). */
    public interface Factory {
        Adapters create(FunctionConfig config);
    }
}
