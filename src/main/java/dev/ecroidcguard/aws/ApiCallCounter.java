package dev.ecroidcguard.aws;

import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;

import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Counts API calls per operation as {@code service:Operation} (the IAM action spelling, e.g.
 * {@code iam:GetAccountAuthorizationDetails}) for the scan summary. Counted once per call in
 * {@code beforeExecution}, so the SDK's retries of the same call are not counted again.
 * Clients live as long as the Lambda instance, so callers take {@link #snapshot()} before and
 * {@link #since(Map)} after the work they report on.
 */
public final class ApiCallCounter implements ExecutionInterceptor {

    private final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();

    @Override
    public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
        String service = attributes.getAttribute(SdkExecutionAttribute.SERVICE_NAME).toLowerCase(Locale.ROOT);
        String operation = attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
        calls.computeIfAbsent(service + ":" + operation, k -> new AtomicInteger()).incrementAndGet();
    }

    /** All calls so far, sorted by operation. */
    public Map<String, Integer> snapshot() {
        Map<String, Integer> out = new TreeMap<>();
        calls.forEach((operation, n) -> out.put(operation, n.get()));
        return out;
    }

    /** The calls made since {@code before} (a {@link #snapshot()}), without operations that made none. */
    public Map<String, Integer> since(Map<String, Integer> before) {
        Map<String, Integer> out = new TreeMap<>();
        snapshot().forEach((operation, n) -> {
            int delta = n - before.getOrDefault(operation, 0);
            if (delta > 0) {
                out.put(operation, delta);
            }
        });
        return out;
    }
}
