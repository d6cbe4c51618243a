package dev.ecroidcguard.aws;

import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.SdkHttpResponse;

/**
 * Tells the paced reads about throttles the SDK's retries absorbed: with STANDARD retries a throttled attempt that a
 * retry then answers never surfaces as an exception, yet it is the service asking for fewer requests. Every attempt's
 * HTTP answer passes here (a sync client runs its interceptors on the calling thread); a thread that {@link #watch}es
 * learns from {@link #throttledSinceWatch} whether one of its attempts was throttled. Only the JSON protocols'
 * throttles are recognised (HTTP 429, or the {@code x-amzn-ErrorType} header ECR sends), which is what the paced
 * ECR reads meet.
 */
final class ThrottleSignal implements ExecutionInterceptor {

    private static final ThreadLocal<boolean[]> WATCHING = new ThreadLocal<>();

    /** From now on, this thread's throttled attempts are noted. */
    static void watch() {
        WATCHING.set(new boolean[1]);
    }

    /** Whether an attempt on this thread was throttled since {@link #watch}; stops watching. */
    static boolean throttledSinceWatch() {
        boolean[] seen = WATCHING.get();
        WATCHING.remove();
        return seen != null && seen[0];
    }

    @Override
    public void afterTransmission(Context.AfterTransmission context, ExecutionAttributes attributes) {
        boolean[] seen = WATCHING.get();
        if (seen != null && throttled(context.httpResponse())) {
            seen[0] = true;
        }
    }

    static boolean throttled(SdkHttpResponse response) {
        return response.statusCode() == 429 || response.firstMatchingHeader("x-amzn-ErrorType")
                .filter(type -> type.startsWith("ThrottlingException") || type.startsWith("ThrottledException")
                        || type.startsWith("TooManyRequestsException"))
                .isPresent();
    }
}
