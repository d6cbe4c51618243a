package dev.ecroidcguard.ports;

/**
 * What a scan reads, writes and tells through: where the inventory comes from, where notifications go, the writer of
 * fixes (only {@code MODE=remediate} wires a real one), the lookup of the CloudFormation stack that owns a resource,
 * and the count of the API calls all of them make.
 */
public record Adapters(InventorySource inventory, Notifier notifier, AccountWriter writer, Ownership ownership, ApiCalls apiCalls) {

    /** Adapters for report mode: nothing can be written, ownership is not looked up. */
    public static Adapters readOnly(InventorySource inventory, Notifier notifier, ApiCalls apiCalls) {
        return new Adapters(inventory, notifier, AccountWriter.NONE, Ownership.TAGS_ONLY, apiCalls);
    }
}
