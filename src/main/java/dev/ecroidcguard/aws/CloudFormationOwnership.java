package dev.ecroidcguard.aws;

import software.amazon.awssdk.services.cloudformation.CloudFormationClient;
import software.amazon.awssdk.services.cloudformation.model.CloudFormationException;
import software.amazon.awssdk.services.cloudformation.model.StackResource;

import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Which CloudFormation stack, if any, owns a role or repository: remediation must not edit what a stack
 * manages (the stack would drift, and revert the fix on its next update). The stack-name tag that
 * CloudFormation propagates answers for free from tags the inventory already read; otherwise one
 * {@code DescribeStackResources} by physical id (a role's or repository's name).
 */
public final class CloudFormationOwnership implements dev.ecroidcguard.ports.Ownership {

    public static final Set<String> REQUIRED_PERMISSIONS = Set.of("cloudformation:DescribeStackResources");
    public static final String STACK_NAME_TAG = "aws:cloudformation:stack-name";

    private final Supplier<CloudFormationClient> cloudFormation;

    /** {@code cloudFormation} is asked for at the first lookup, so a scan that remediates nothing never builds the client. */
    public CloudFormationOwnership(Supplier<CloudFormationClient> cloudFormation) {
        this.cloudFormation = cloudFormation;
    }

    /** The owning stack's name, or empty when no stack manages {@code physicalId}. */
    @Override
    public Optional<String> owningStack(String physicalId, Map<String, String> tags) {
        String tagged = tags.get(STACK_NAME_TAG);
        if (tagged != null && !tagged.isBlank()) {
            return Optional.of(tagged);
        }
        try {
            return cloudFormation.get().describeStackResources(r -> r.physicalResourceId(physicalId)).stackResources().stream()
                    .map(StackResource::stackName)
                    .findFirst();
        } catch (CloudFormationException e) {
            // CloudFormation answers "Stack for <id> does not exist" (400 ValidationError) for unmanaged resources.
            if (e.awsErrorDetails() != null && "ValidationError".equals(e.awsErrorDetails().errorCode())
                    && String.valueOf(e.awsErrorDetails().errorMessage()).contains("does not exist")) {
                return Optional.empty();
            }
            throw e;
        }
    }
}
