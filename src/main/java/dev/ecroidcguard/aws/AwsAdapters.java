package dev.ecroidcguard.aws;

import dev.ecroidcguard.ports.Adapters;
import dev.ecroidcguard.ports.Ownership;

/**
 * The AWS side of a scan, on one set of {@link AwsClients}: the inventory, SNS, and the call count every client
 * reports to. Report mode gets no writer and no ownership lookups at all; only remediation is given the writer.
 */
public final class AwsAdapters {

    private AwsAdapters() {
    }

    /** {@code reads}: what the scan shares with the scans of the account's other regions ({@link AccountReads#perScan()}: nothing). */
    public static Adapters reporting(AwsClients clients, String snsTopicArn, AwsInventorySource.TagReads tagReads, AccountReads reads) {
        return Adapters.readOnly(AwsInventorySource.of(clients, tagReads, reads), new SnsNotifier(clients::sns, snsTopicArn), clients.calls());
    }

    /** {@code ownership} is {@link CloudFormationOwnership} or {@link StackIndexOwnership} on {@code clients}. */
    public static Adapters remediating(AwsClients clients, String snsTopicArn, AwsInventorySource.TagReads tagReads, Ownership ownership,
                                       AccountReads reads) {
        return new Adapters(AwsInventorySource.of(clients, tagReads, reads), new SnsNotifier(clients::sns, snsTopicArn),
                new AwsAccountWriter(clients.iam(), clients.ecr(), reads), ownership, clients.calls());
    }
}
