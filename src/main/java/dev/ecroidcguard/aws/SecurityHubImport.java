package dev.ecroidcguard.aws;

import dev.ecroidcguard.ports.FindingsHub;
import dev.ecroidcguard.ports.HubFinding;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.securityhub.SecurityHubClient;
import software.amazon.awssdk.services.securityhub.model.AwsSecurityFinding;
import software.amazon.awssdk.services.securityhub.model.AwsSecurityFindingIdentifier;
import software.amazon.awssdk.services.securityhub.model.BatchUpdateFindingsResponse;
import software.amazon.awssdk.services.securityhub.model.BatchImportFindingsResponse;
import software.amazon.awssdk.services.securityhub.model.Compliance;
import software.amazon.awssdk.services.securityhub.model.FindingProviderFields;
import software.amazon.awssdk.services.securityhub.model.FindingProviderSeverity;
import software.amazon.awssdk.services.securityhub.model.Recommendation;
import software.amazon.awssdk.services.securityhub.model.Remediation;
import software.amazon.awssdk.services.securityhub.model.Resource;
import software.amazon.awssdk.services.securityhub.model.Severity;
import software.amazon.awssdk.services.securityhub.model.WorkflowStatus;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * Files findings in AWS Security Hub with BatchImportFindings, as a custom integration: the product ARN is the
 * account's default one ({@code arn:PARTITION:securityhub:REGION:ACCOUNT:product/ACCOUNT/default}), and Security Hub
 * accepts a finding with the default product ARN only from the account named in its {@code AwsAccountId}; so each
 * finding is filed by, and in, the account it is about (in a multi-account setup, with that account's credentials, and
 * the Security Hub administrator account aggregates them). Batches of at most {@value #BATCH} findings (the API's
 * limit); a finding Security Hub rejects fails the import with its reason, rather than being lost silently.
 * <p>
 * An archived finding's workflow is set to RESOLVED with BatchUpdateFindings (the import cannot change the workflow of
 * an existing finding, and Security Hub does not resolve an archived finding by itself), {@value #BATCH} identifiers
 * per call (that API's limit too), with a note saying why. A finding that comes back is imported active again, and
 * Security Hub resets its workflow to NEW by itself when its record state goes from ARCHIVED to ACTIVE.
 */
public final class SecurityHubImport implements FindingsHub {

    static final int BATCH = 100;
    /**
     * The IAM actions this adapter needs (template.yaml and member-role.yaml grant them only with SecurityHub=on: the
     * import on the default product ARN, the workflow update on the account's hub).
     */
    public static final List<String> REQUIRED_PERMISSIONS = List.of("securityhub:BatchImportFindings", "securityhub:BatchUpdateFindings");
    static final String RESOLVED_NOTE = "ecr-oidc-guard no longer sees this finding: resolved by its scan";
    static final String NOTE_AUTHOR = "ecr-oidc-guard";
    static final String SCHEMA_VERSION = "2018-10-08";

    private final Supplier<SecurityHubClient> securityHub;
    private final Region region;

    /**
     * {@code securityHub} is asked for the client at the first import, as {@link SnsNotifier}: the client (its model
     * and its own HTTP client) is not built on a scan with nothing to file.
     */
    public SecurityHubImport(Supplier<SecurityHubClient> securityHub, Region region) {
        this.securityHub = securityHub;
        this.region = region;
    }

    @Override
    public void file(List<HubFinding> findings) {
        for (int from = 0; from < findings.size(); from += BATCH) {
            List<AwsSecurityFinding> batch = findings.subList(from, Math.min(findings.size(), from + BATCH)).stream()
                    .map(this::asff).toList();
            BatchImportFindingsResponse response = refusedSays("securityhub:BatchImportFindings", () -> securityHub.get().batchImportFindings(b -> b.findings(batch)));
            if (response.failedCount() != null && response.failedCount() > 0) {
                throw new IllegalStateException("Security Hub rejected " + response.failedCount() + " finding(s): "
                        + response.failedFindings().stream().map(f -> f.id() + " " + f.errorCode() + " " + f.errorMessage())
                        .collect(Collectors.joining("; ")));
            }
        }
    }

    @Override
    public void resolve(List<HubFinding> archived) {
        for (int from = 0; from < archived.size(); from += BATCH) {
            List<AwsSecurityFindingIdentifier> batch = archived.subList(from, Math.min(archived.size(), from + BATCH)).stream()
                    .map(f -> AwsSecurityFindingIdentifier.builder().id(f.id()).productArn(productArn(f)).build()).toList();
            BatchUpdateFindingsResponse response = refusedSays("securityhub:BatchUpdateFindings", () -> securityHub.get().batchUpdateFindings(b -> b
                    .findingIdentifiers(batch)
                    .workflow(w -> w.status(WorkflowStatus.RESOLVED))
                    .note(n -> n.text(RESOLVED_NOTE).updatedBy(NOTE_AUTHOR))));
            if (response.hasUnprocessedFindings() && !response.unprocessedFindings().isEmpty()) {
                throw new IllegalStateException("Security Hub did not resolve " + response.unprocessedFindings().size() + " finding(s): "
                        + response.unprocessedFindings().stream().map(f -> f.findingIdentifier().id() + " " + f.errorCode() + " " + f.errorMessage())
                        .collect(Collectors.joining("; ")));
            }
        }
    }

    /** The call; refused, an exception that names the action and Security Hub's error code (AccessDeniedException, ...). */
    private static <T> T refusedSays(String action, Supplier<T> call) {
        try {
            return call.get();
        } catch (AwsServiceException e) {
            String code = e.awsErrorDetails() != null && e.awsErrorDetails().errorCode() != null ? e.awsErrorDetails().errorCode() : "HTTP " + e.statusCode();
            String message = e.awsErrorDetails() != null && e.awsErrorDetails().errorMessage() != null ? e.awsErrorDetails().errorMessage() : e.getMessage();
            throw new IllegalStateException(action + " refused: " + code + " (" + message + ")", e);
        }
    }

    private String partition() {
        return region.metadata() == null ? "aws" : region.metadata().partition().id();
    }

    private String productArn(HubFinding f) {
        return "arn:" + partition() + ":securityhub:" + f.region() + ":" + f.accountId() + ":product/" + f.accountId() + "/default";
    }

    AwsSecurityFinding asff(HubFinding f) {
        String partition = partition();
        List<Resource> resources = new ArrayList<>();
        f.resources().forEach(r -> resources.add(Resource.builder().type(r.type()).id(r.id()).partition(partition).region(f.region()).build()));
        return AwsSecurityFinding.builder()
                .schemaVersion(SCHEMA_VERSION)
                .id(f.id())
                .productArn(productArn(f))
                .generatorId(f.generatorId())
                .awsAccountId(f.accountId())
                .region(f.region())
                .productName("ecr-oidc-guard")
                .companyName("ecr-oidc-guard")
                .types(f.types())
                .firstObservedAt(f.firstObservedAt().toString())
                .lastObservedAt(f.lastObservedAt().toString())
                .createdAt(f.firstObservedAt().toString())
                .updatedAt(f.lastObservedAt().toString())
                .severity(Severity.builder().label(f.severityLabel()).original(f.severityOriginal()).build())
                .findingProviderFields(FindingProviderFields.builder().types(f.types())
                        .severity(FindingProviderSeverity.builder().label(f.severityLabel()).original(f.severityOriginal()).build()).build())
                .title(f.title())
                .description(f.description())
                .remediation(Remediation.builder().recommendation(Recommendation.builder().text(f.remediation()).build()).build())
                .resources(resources)
                .compliance(Compliance.builder().status(f.compliance().name()).build())
                .recordState(f.recordState().name())
                .build();
    }
}
