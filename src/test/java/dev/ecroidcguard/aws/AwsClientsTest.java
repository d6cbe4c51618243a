package dev.ecroidcguard.aws;

import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.regions.Region;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AwsClientsTest {

    /** Stops a call just before it is sent, having recorded where it would go and under which signing scope. */
    static final class Capture implements ExecutionInterceptor {
        final AtomicReference<String> host = new AtomicReference<>();
        final AtomicReference<String> credentialScope = new AtomicReference<>();

        @Override
        public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
            host.set(context.httpRequest().host());
            credentialScope.set(context.httpRequest().firstMatchingHeader("Authorization").orElse("")
                    .replaceAll(".*Credential=[^/]+/\\d+/([^/]+/[^/]+)/aws4_request.*", "$1"));
            throw new Stop();
        }
    }

    static final class Stop extends RuntimeException {
    }

    /** Where ListRoles goes from the clients of {@code region} (no endpoint override): host and signing region/service. */
    private static List<String> iamEndpoint(Region region) {
        Capture capture = new Capture();
        try (AwsClients clients = new AwsClients(region, Optional.empty(),
                StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDEXAMPLE", "secret")), List.of(capture), SdkLog.INSTANCE)) {
            assertThatThrownBy(() -> clients.iam().listRoles()).isInstanceOf(Stop.class);
        }
        return List.of(capture.host.get(), capture.credentialScope.get());
    }

    @Test
    void iamGivenTheScanRegionGoesToThePartitionsIamEndpoint() {
        assertThat(iamEndpoint(Region.EU_WEST_1)).containsExactly("iam.amazonaws.com", "us-east-1/iam");
        assertThat(iamEndpoint(Region.CN_NORTHWEST_1)).containsExactly("iam.cn-north-1.amazonaws.com.cn", "cn-north-1/iam");
        assertThat(iamEndpoint(Region.US_GOV_EAST_1)).containsExactly("iam.us-gov.amazonaws.com", "us-gov-west-1/iam");
    }

    @Test
    void everyClientIsBuiltForTheScanRegion() {
        try (AwsClients clients = AwsClients.forRegion(Region.CN_NORTH_1)) {
            assertThat(clients.region()).isEqualTo(Region.CN_NORTH_1);
            assertThat(clients.iam().serviceClientConfiguration().region()).isEqualTo(Region.CN_NORTH_1);
            assertThat(clients.ecr().serviceClientConfiguration().region()).isEqualTo(Region.CN_NORTH_1);
            assertThat(clients.sns().serviceClientConfiguration().region()).isEqualTo(Region.CN_NORTH_1);
        }
    }
}
