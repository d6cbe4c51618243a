package dev.ecroidcguard.aws;

import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.iam.model.CreateRoleRequest;

import java.security.CodeSource;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Records, for the whole test JVM, every AWS call the production code makes through the moto clients
 * ({@link MotoServer.Moto#clients}), as the IAM action that authorizes it, with the production class that made it.
 * Calls the tests make themselves (seeding an account, reading it back) are not the function's and are left out:
 * the nearest project frame on the calling thread decides, by whether its class was compiled from main or test
 * sources. {@code PermissionsFromUseTest} compares what was recorded with what template.yaml grants.
 */
public final class CallsMade implements ExecutionInterceptor {

    public static final CallsMade RECORDER = new CallsMade();

    private static final StackWalker WALKER = StackWalker.getInstance(StackWalker.Option.RETAIN_CLASS_REFERENCE);
    private static final String PROJECT = "dev.ecroidcguard.";

    private final Map<String, Set<String>> callers = new ConcurrentHashMap<>();
    private final Set<String> testClassesServed = ConcurrentHashMap.newKeySet();

    private CallsMade() {
    }

    @Override
    public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
        Optional<Class<?>> caller = productionCaller();
        if (caller.isEmpty()) {
            return;
        }
        record(ApiCallCounter.operation(attributes), caller.get());
        // IAM authorizes CreateRole with tags as iam:TagRole too.
        if (context.request() instanceof CreateRoleRequest create && create.hasTags() && !create.tags().isEmpty()) {
            record("iam:TagRole", caller.get());
        }
    }

    private void record(String action, Class<?> caller) {
        callers.computeIfAbsent(action, k -> ConcurrentHashMap.newKeySet()).add(caller.getSimpleName());
    }

    /** The production class nearest the call on this thread; empty when the nearest project class is a test's. */
    private static Optional<Class<?>> productionCaller() {
        return WALKER.walk(frames -> frames.<Class<?>>map(StackWalker.StackFrame::getDeclaringClass)
                .filter(c -> c.getName().startsWith(PROJECT) && c != CallsMade.class)
                .findFirst()).filter(CallsMade::compiledFromMain);
    }

    private static boolean compiledFromMain(Class<?> c) {
        CodeSource source = c.getProtectionDomain().getCodeSource();
        return source != null && !source.getLocation().getPath().contains("/test-classes/");
    }

    /** Action (e.g. {@code iam:CreateRole}) to the simple names of the production classes that called it. */
    public Map<String, Set<String>> calls() {
        Map<String, Set<String>> out = new TreeMap<>();
        callers.forEach((action, classes) -> out.put(action, new TreeSet<>(classes)));
        return out;
    }

    /** Notes that a moto test of {@code testClass} ran in this JVM. */
    void served(Class<?> testClass) {
        testClassesServed.add(testClass.getName());
    }

    public Set<String> testClassesServed() {
        return new TreeSet<>(testClassesServed);
    }
}
