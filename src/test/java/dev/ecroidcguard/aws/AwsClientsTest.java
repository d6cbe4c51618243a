package dev.ecroidcguard.aws;

import org.junit.jupiter.api.Test;
import software.amazon.awssdk.regions.Region;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AwsClientsTest {

    @Test
    void withoutARegionTheClientsAreNotBuiltAndTheMessageSaysWhatToSet() {
        assertThatThrownBy(() -> AwsClients.fromEnvironment(Map.of("AWS_REGION", " ")))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("AWS_REGION").hasMessageContaining("AWS_DEFAULT_REGION");
    }

    @Test
    void theRegionComesFromAwsRegionThenAwsDefaultRegionAndIamIsGlobal() {
        try (AwsClients lambda = AwsClients.fromEnvironment(Map.of("AWS_REGION", "eu-west-1", "AWS_DEFAULT_REGION", "us-east-2"));
             AwsClients cli = AwsClients.fromEnvironment(Map.of("AWS_DEFAULT_REGION", "us-east-2"))) {
            assertThat(lambda.region()).isEqualTo(Region.EU_WEST_1);
            assertThat(lambda.ecr().serviceClientConfiguration().region()).isEqualTo(Region.EU_WEST_1);
            assertThat(lambda.iam().serviceClientConfiguration().region()).isEqualTo(Region.AWS_GLOBAL);
            assertThat(cli.region()).isEqualTo(Region.US_EAST_2);
            assertThat(cli.sns().serviceClientConfiguration().region()).isEqualTo(Region.US_EAST_2);
        }
    }
}
