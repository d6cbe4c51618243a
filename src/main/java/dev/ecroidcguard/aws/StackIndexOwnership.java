package dev.ecroidcguard.aws;

import dev.ecroidcguard.ports.Ownership;
import software.amazon.awssdk.services.cloudformation.CloudFormationClient;
import software.amazon.awssdk.services.cloudformation.model.StackResourceSummary;
import software.amazon.awssdk.services.cloudformation.model.StackStatus;
import software.amazon.awssdk.services.cloudformation.model.StackSummary;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Stack ownership for emulators that cannot look a resource up by physical id alone (moto answers
 * {@code DescribeStackResources(PhysicalResourceId)} as if no stack existed, and does not put the stack-name
 * tag on IAM roles): lists the live stacks and their resources. Selected with
 * {@code OWNERSHIP_LOOKUP=stack-index}; against AWS use {@link CloudFormationOwnership}, which the template
 * grants (this class's permissions are not in template.yaml).
 */
public final class StackIndexOwnership implements Ownership {

    public static final Set<String> REQUIRED_PERMISSIONS = Set.of("cloudformation:ListStacks", "cloudformation:ListStackResources");

    private static final List<StackStatus> LIVE = List.of(StackStatus.CREATE_COMPLETE, StackStatus.UPDATE_COMPLETE,
            StackStatus.UPDATE_ROLLBACK_COMPLETE, StackStatus.ROLLBACK_COMPLETE, StackStatus.CREATE_IN_PROGRESS,
            StackStatus.UPDATE_IN_PROGRESS, StackStatus.IMPORT_COMPLETE);

    private final Supplier<CloudFormationClient> cloudFormation;

    /** {@code cloudFormation} is asked for at the first lookup, so a scan that remediates nothing never builds the client. */
    public StackIndexOwnership(Supplier<CloudFormationClient> cloudFormation) {
        this.cloudFormation = cloudFormation;
    }

    @Override
    public Optional<String> owningStack(String physicalId, Map<String, String> tags) {
        String tagged = tags.get(CloudFormationOwnership.STACK_NAME_TAG);
        if (tagged != null && !tagged.isBlank()) {
            return Optional.of(tagged);
        }
        for (StackSummary stack : cloudFormation.get().listStacksPaginator(r -> r.stackStatusFiltersWithStrings(LIVE.stream().map(StackStatus::toString).toList())).stackSummaries()) {
            for (StackResourceSummary resource : cloudFormation.get().listStackResourcesPaginator(r -> r.stackName(stack.stackName()))
                    .stackResourceSummaries()) {
                if (physicalId.equals(resource.physicalResourceId())) {
                    return Optional.of(stack.stackName());
                }
            }
        }
        return Optional.empty();
    }
}
