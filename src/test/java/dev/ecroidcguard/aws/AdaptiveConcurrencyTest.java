package dev.ecroidcguard.aws;

import org.junit.jupiter.api.Test;
import software.amazon.awssdk.http.SdkHttpResponse;

import static org.assertj.core.api.Assertions.assertThat;

class AdaptiveConcurrencyTest {

    @Test
    void aBurstOfThrottlesHalvesTheLimitOnceAndSuccessesRampItBackUp() throws Exception {
        AdaptiveConcurrency concurrency = new AdaptiveConcurrency(8, 1, 16);
        long[] tickets = new long[8];
        for (int i = 0; i < 8; i++) {
            tickets[i] = concurrency.acquire();
        }
        for (long ticket : tickets) {
            concurrency.release(ticket, true); // all eight started under the same limit: one decrease
        }
        assertThat(concurrency.limit()).isEqualTo(4);

        concurrency.release(concurrency.acquire(), true); // started after the decrease: halves again
        assertThat(concurrency.limit()).isEqualTo(2);
        concurrency.release(concurrency.acquire(), true);
        concurrency.release(concurrency.acquire(), true);
        assertThat(concurrency.limit()).as("never under the floor").isEqualTo(1);

        for (int i = 0; i < 200; i++) {
            concurrency.release(concurrency.acquire(), false);
        }
        assertThat(concurrency.limit()).as("additive increase up to the ceiling").isEqualTo(16);
    }

    @Test
    void throttlesAreRecognisedByStatusOrByTheJsonProtocolsErrorType() {
        assertThat(ThrottleSignal.throttled(SdkHttpResponse.builder().statusCode(429).build())).isTrue();
        assertThat(ThrottleSignal.throttled(SdkHttpResponse.builder().statusCode(400)
                .putHeader("x-amzn-ErrorType", "ThrottlingException:http://internal.amazon.com/coral/com.amazon.coral.availability/").build())).isTrue();
        assertThat(ThrottleSignal.throttled(SdkHttpResponse.builder().statusCode(400)
                .putHeader("x-amzn-ErrorType", "RepositoryPolicyNotFoundException").build())).isFalse();
        assertThat(ThrottleSignal.throttled(SdkHttpResponse.builder().statusCode(200).build())).isFalse();
    }
}
