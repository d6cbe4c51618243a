package dev.ecroidcguard.aws;

import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.services.cloudformation.CloudFormationClient;
import software.amazon.awssdk.services.cloudformation.model.CloudFormationException;
import software.amazon.awssdk.services.cloudformation.model.DescribeStackResourcesRequest;
import software.amazon.awssdk.services.cloudformation.model.DescribeStackResourcesResponse;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Ownership by tag costs nothing; the lookup by physical id is played by a fake because moto does not support
 * DescribeStackResources by PhysicalResourceId alone.
 */
class CloudFormationOwnershipTest {

    @Test
    void theStackNameTagAnswersWithoutACall() {
        FakeCloudFormation cfn = new FakeCloudFormation();

        assertThat(new CloudFormationOwnership(() -> cfn).owningStack("github-actions-api", Map.of("aws:cloudformation:stack-name", "ci-roles")))
                .contains("ci-roles");
        assertThat(cfn.lookedUp).isEmpty();
    }

    @Test
    void withoutTheTagTheStackIsLookedUpByPhysicalId() {
        FakeCloudFormation cfn = new FakeCloudFormation();
        cfn.stacks.put("github-actions-api", "ci-roles");

        CloudFormationOwnership ownership = new CloudFormationOwnership(() -> cfn);

        assertThat(ownership.owningStack("github-actions-api", Map.of("team", "a"))).contains("ci-roles");
        assertThat(ownership.owningStack("github-actions-web", Map.of())).isEmpty();
        assertThat(cfn.lookedUp).containsExactly("github-actions-api", "github-actions-web");
    }

    @Test
    void otherFailuresAreNotMistakenForNoOwner() {
        FakeCloudFormation cfn = new FakeCloudFormation();
        cfn.failure = (CloudFormationException) CloudFormationException.builder().statusCode(403).message("not authorized")
                .awsErrorDetails(AwsErrorDetails.builder().errorCode("AccessDenied").errorMessage("not authorized").build()).build();

        assertThatThrownBy(() -> new CloudFormationOwnership(() -> cfn).owningStack("github-actions-api", Map.of()))
                .isInstanceOf(CloudFormationException.class).hasMessageContaining("not authorized");
    }

    private static final class FakeCloudFormation implements CloudFormationClient {
        final Map<String, String> stacks = new java.util.HashMap<>();
        final List<String> lookedUp = new ArrayList<>();
        CloudFormationException failure;

        @Override
        public DescribeStackResourcesResponse describeStackResources(DescribeStackResourcesRequest request) {
            lookedUp.add(request.physicalResourceId());
            if (failure != null) {
                throw failure;
            }
            String stack = stacks.get(request.physicalResourceId());
            if (stack == null) {
                String message = "Stack for " + request.physicalResourceId() + " does not exist";
                throw CloudFormationException.builder().statusCode(400).message(message)
                        .awsErrorDetails(AwsErrorDetails.builder().errorCode("ValidationError").errorMessage(message).build()).build();
            }
            return DescribeStackResourcesResponse.builder().stackResources(r -> r.stackName(stack)
                    .physicalResourceId(request.physicalResourceId()).logicalResourceId("Role")).build();
        }

        @Override
        public String serviceName() {
            return "cloudformation";
        }

        @Override
        public void close() {
        }
    }
}
