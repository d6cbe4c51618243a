package dev.ecroidcguard.ports;

/**
 * What a scan reads, writes and tells through: where the inventory comes from, where notifications go, the writer of
 * fixes (only {@code MODE=remediate} wires a real one), the lookup of the CloudFormation stack that owns a resource,
 * the count of the API calls all of them make, the state that follows findings from scan to scan (none unless a table
 * is configured), where findings are filed (Security Hub, or nowhere) and where the full report is kept (S3, or nowhere).
 */
public record Adapters(InventorySource inventory, Notifier notifier, AccountWriter writer, Ownership ownership, ApiCalls apiCalls,
                       FindingState findingState, FindingsHub findingsHub, ReportArchive reportArchive) {

    /** Adapters that track nothing between scans, file findings nowhere and keep no full report. */
    public Adapters(InventorySource inventory, Notifier notifier, AccountWriter writer, Ownership ownership, ApiCalls apiCalls) {
        this(inventory, notifier, writer, ownership, apiCalls, FindingState.UNTRACKED, FindingsHub.NONE, ReportArchive.NONE);
    }

    /** Adapters for report mode: nothing can be written, ownership is not looked up. */
    public static Adapters readOnly(InventorySource inventory, Notifier notifier, ApiCalls apiCalls) {
        return new Adapters(inventory, notifier, AccountWriter.NONE, Ownership.TAGS_ONLY, apiCalls);
    }

    /** The same adapters with findings followed in {@code state} and filed in {@code hub}. */
    public Adapters tracking(FindingState state, FindingsHub hub) {
        return new Adapters(inventory, notifier, writer, ownership, apiCalls, state, hub, reportArchive);
    }

    /** The same adapters with the full report kept in {@code archive}. */
    public Adapters archiving(ReportArchive archive) {
        return new Adapters(inventory, notifier, writer, ownership, apiCalls, findingState, findingsHub, archive);
    }
}
