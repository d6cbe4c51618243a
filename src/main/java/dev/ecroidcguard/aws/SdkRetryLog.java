package dev.ecroidcguard.aws;

import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttribute;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;

/**
 * Tells {@link SdkLog} which operation the current thread is calling, and logs every retry with what the previous
 * attempt got: the SDK itself reports retries only at DEBUG, yet throttling is what slows an account-wide scan.
 */
final class SdkRetryLog implements ExecutionInterceptor {

    private static final ExecutionAttribute<Integer> ATTEMPT = new ExecutionAttribute<>("ecr-oidc-guard.attempt");
    private static final ExecutionAttribute<Integer> LAST_STATUS = new ExecutionAttribute<>("ecr-oidc-guard.lastStatus");
    /** The attempt got no HTTP response (connection or timeout error). */
    private static final int NO_RESPONSE = 0;

    private final SdkLog log;

    SdkRetryLog(SdkLog log) {
        this.log = log;
    }

    @Override
    public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
        log.operation(ApiCallCounter.operation(attributes));
    }

    @Override
    public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
        int attempt = attributes.getOptionalAttribute(ATTEMPT).orElse(0) + 1;
        attributes.putAttribute(ATTEMPT, attempt);
        if (attempt > 1) {
            int status = attributes.getOptionalAttribute(LAST_STATUS).orElse(NO_RESPONSE);
            String previous = status == NO_RESPONSE ? "no response" : "HTTP " + status;
            log.write("WARN", "retry", "retrying " + ApiCallCounter.operation(attributes) + ": attempt " + attempt
                    + ", the previous one got " + previous);
        }
        attributes.putAttribute(LAST_STATUS, NO_RESPONSE);
    }

    @Override
    public void afterTransmission(Context.AfterTransmission context, ExecutionAttributes attributes) {
        attributes.putAttribute(LAST_STATUS, context.httpResponse().statusCode());
    }

    @Override
    public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
        log.operation(null);
    }

    @Override
    public void onExecutionFailure(Context.FailedExecution context, ExecutionAttributes attributes) {
        log.operation(null);
    }
}
