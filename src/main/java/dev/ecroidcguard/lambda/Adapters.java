package dev.ecroidcguard.lambda;

import dev.ecroidcguard.remediation.AccountWriter;
import dev.ecroidcguard.remediation.Ownership;
import dev.ecroidcguard.service.InventorySource;
import dev.ecroidcguard.service.Notifier;

/**
 * The function's AWS side: where the inventory comes from, where notifications go, and — for
 * {@code MODE=remediate} — the writer of fixes and the lookup of the CloudFormation stack that owns a resource.
 */
public record Adapters(InventorySource inventory, Notifier notifier, AccountWriter writer, Ownership ownership) {

    /** Report-only adapters: nothing can be written. */
    public Adapters(InventorySource inventory, Notifier notifier) {
        this(inventory, notifier, AccountWriter.NONE, Ownership.TAGS_ONLY);
    }

    /** Builds the adapters once per execution environment (the AWS ones in production, fakes in tests). */
    public interface Factory {
        Adapters create(FunctionConfig config);
    }
}
