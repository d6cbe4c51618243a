package dev.ecroidcguard.lambda;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import dev.ecroidcguard.aws.AwsAdapters;
import dev.ecroidcguard.core.GuardConfig.ConfigException;

import java.io.PrintStream;
import java.time.InstantSource;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The Lambda entry point for the schedule and the CloudTrail events (both EventBridge envelopes).
 * Configuration and AWS clients are set up once per execution environment, in the constructor; a bad
 * configuration does not stop the environment from starting but fails every invocation with its message, so
 * it shows up in the invocation's error (and the on-failure destination) without any AWS call being made.
 */
public final class ScanHandler implements RequestHandler<Object, InvocationResult> {

    /** Either a ready function or the configuration error every invocation reports. */
    private sealed interface Setup {
        record Ready(FunctionConfig config, ScanService service) implements Setup {
        }

        record Misconfigured(String message) implements Setup {
        }
    }

    private final Setup setup;
    private final JsonLog log;

    /** Used by the Lambda runtime. */
    public ScanHandler() {
        this(System.getenv(), AwsAdapters::new, System.out, InstantSource.system());
    }

    /**
     * @param adapters looked up only once the configuration is valid, so a misconfigured function builds no
     *                 AWS client
     */
    ScanHandler(Map<String, String> env, Supplier<Adapters.Factory> adapters, PrintStream out, InstantSource clock) {
        this.log = new JsonLog(out);
        Setup s;
        try {
            FunctionConfig config = FunctionConfig.fromEnvironment(env);
            s = new Setup.Ready(config, new ScanService(config, adapters.get().create(config), new NotificationBuilder(), log, clock));
        } catch (ConfigException e) {
            s = new Setup.Misconfigured(e.getMessage());
        }
        this.setup = s;
    }

    /**
     * The event is taken as plain JSON values, not as a {@code ScheduledEvent}: the runtime's deserializer fails on a
     * scalar event or a string or array {@code detail}, and such failures are retried into the dead-letter queue;
     * here they are rejected with a reason ({@link EventRouting#route(Object, dev.ecroidcguard.core.RoleNaming, EventRouting.Home)}).
     */
    @Override
    public InvocationResult handleRequest(Object event, Context context) {
        return switch (setup) {
            case Setup.Misconfigured(String message) -> throw new ConfigurationError(message);
            case Setup.Ready(FunctionConfig config, ScanService service) -> switch (EventRouting.route(event, config.guard().roleNaming(),
                    EventRouting.Home.ofFunctionArn(context == null ? null : context.getInvokedFunctionArn()))) {
                case EventRouting.Route.Scan scan -> service.scan(scan);
                case EventRouting.Route.Ignored(EventRouting.Trigger trigger, String reason) -> logged(InvocationResult.ignored(trigger, reason));
                case EventRouting.Route.Rejected(String reason) -> logged(InvocationResult.rejected(reason));
            };
        };
    }

    private InvocationResult logged(InvocationResult result) {
        log.summary(result, null);
        return result;
    }

    /** The function's configuration is invalid; the message names the variable and the fix. */
    public static final class ConfigurationError extends RuntimeException {
        ConfigurationError(String message) {
            super(message);
        }
    }
}
