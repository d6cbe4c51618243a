package dev.ecroidcguard.ports;

import java.time.Instant;
import java.util.List;

/**
 * One finding in the shape of the AWS Security Finding Format, without the SDK: the stable id, the account and region it
 * belongs to (Security Hub files a custom integration's finding only in the caller's own account), the generator (the
 * finding code), title, description (with the witness), severity (an ASFF label, and the guard's own as original),
 * the ASFF finding types, the typed resources, compliance and record state, the remediation text, and when it was
 * first and last observed.
 */
public record HubFinding(String id, String accountId, String region, String generatorId, String title, String description,
                         String severityLabel, String severityOriginal, List<String> types, List<Resource> resources,
                         Compliance compliance, RecordState recordState, String remediation, Instant firstObservedAt,
                         Instant lastObservedAt) {

    public HubFinding {
        types = List.copyOf(types);
        resources = List.copyOf(resources);
    }

    /** An ASFF resource: its type ({@code AwsEcrRepository}, {@code AwsIamRole}) and ARN. */
    public record Resource(String type, String id) {
    }

    public enum Compliance { PASSED, FAILED }

    public enum RecordState { ACTIVE, ARCHIVED }
}
