package dev.ecroidcguard.aws;

import dev.ecroidcguard.ports.ApiCalls;
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
 * The {@link ApiCalls} of the AWS adapters: every client of {@link AwsClients} counts through this interceptor, as
 * {@code service:Operation} (the IAM action spelling, e.g. {@code iam:GetAccountAuthorizationDetails}). Counted once
 * per call in {@code beforeExecution}, so the SDK's retries of the same call are not counted again.
 */
public final class ApiCallCounter implements ExecutionInterceptor, ApiCalls {

    private final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();

    @Override
    public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
        calls.computeIfAbsent(operation(attributes), k -> new AtomicInteger()).incrementAndGet();
    }

    /**
     * {@code iam:ListRoles}: the call's service and operation in the IAM action spelling (the SDK's service name,
     * lower case, but for the Tagging API, whose actions are {@code tag:*}).
     */
    static String operation(ExecutionAttributes attributes) {
        String service = attributes.getAttribute(SdkExecutionAttribute.SERVICE_NAME).toLowerCase(Locale.ROOT);
        return (service.equals("resourcegroupstaggingapi") ? "tag" : service) + ":" + attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
    }

    @Override
    public Map<String, Integer> counts() {
        Map<String, Integer> out = new TreeMap<>();
        calls.forEach((operation, n) -> out.put(operation, n.get()));
        return out;
    }
}
