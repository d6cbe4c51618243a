package dev.ecroidcguard.lambda;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import dev.ecroidcguard.application.NotificationBuilder;
import dev.ecroidcguard.application.ScanService;
import dev.ecroidcguard.application.Trigger;
import dev.ecroidcguard.aws.AccountReads;
import dev.ecroidcguard.aws.AwsAdapters;
import dev.ecroidcguard.aws.DynamoFindingState;
import dev.ecroidcguard.aws.S3ReportArchive;
import dev.ecroidcguard.aws.SecurityHubImport;
import dev.ecroidcguard.aws.AwsClients;
import dev.ecroidcguard.aws.CloudFormationOwnership;
import dev.ecroidcguard.aws.SdkLog;
import dev.ecroidcguard.aws.StackIndexOwnership;
import dev.ecroidcguard.core.GuardConfig.ConfigException;
import dev.ecroidcguard.core.TimeBudget;
import dev.ecroidcguard.ports.Adapters;
import dev.ecroidcguard.ports.FindingsHub;
import dev.ecroidcguard.ports.Ownership;
import software.amazon.awssdk.regions.Region;

import java.io.PrintStream;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The Lambda entry point for the schedule and the CloudTrail events (both EventBridge envelopes): routes the
 * event, runs the {@link ScanService} and turns its outcome into log lines and the function's result. Configuration
 * and AWS clients are set up once per execution environment, in the constructor; a bad configuration does not stop
 * the environment from starting but fails every invocation with its message, so it shows up in the invocation's
 * error (and the on-failure destination) without any AWS call being made.
 */
public final class ScanHandler implements RequestHandler<Object, InvocationResult> {

    /**
     * Time kept back at the end of an invocation: once less remains, no further repository is started (they are
     * reported as not evaluated) and no remediation begins, so the report is still logged and published. A tenth of
     * the invocation's time when that is less (a short local or test timeout).
     */
    static final Duration SAFETY_MARGIN = Duration.ofSeconds(30);

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
        this(System.getenv(), () -> config -> {
            AwsClients clients = AwsClients.forRegion(Region.of(config.region()));
            SnapStartPriming.register(config, clients);
            return awsAdapters(config, clients);
        }, System.out, InstantSource.system());
    }

    /**
     * @param adapters looked up only once the configuration is valid, so a misconfigured function builds no
     *                 AWS client
     */
    ScanHandler(Map<String, String> env, Supplier<Function<FunctionConfig, Adapters>> adapters, PrintStream out, InstantSource clock) {
        this.log = new JsonLog(out, null);
        Setup s;
        try {
            FunctionConfig config = FunctionConfig.fromEnvironment(env);
            s = new Setup.Ready(config, new ScanService(config.scan(), adapters.get().apply(config), new NotificationBuilder(), clock));
        } catch (ConfigException e) {
            s = new Setup.Misconfigured(e.getMessage());
        }
        this.setup = s;
    }

    /**
     * The production wiring, in one place: report mode (or no class enabled) reads and publishes only; remediation
     * adds the writer and the ownership lookup {@code OWNERSHIP_LOOKUP} selects; a {@code FINDING_STATE_TABLE} adds the
     * finding state, and {@code SECURITY_HUB=on} Security Hub; a {@code FULL_REPORT_BUCKET} the full report in S3.
     */
    public static Adapters awsAdapters(FunctionConfig config, AwsClients clients) {
        return awsAdapters(config, clients, AccountReads.perScan());
    }

    /** The same, with the account's reads shared with the scans of its other regions (an organization run's member account). */
    public static Adapters awsAdapters(FunctionConfig config, AwsClients clients, AccountReads reads) {
        Adapters adapters;
        if (config.activeRemediation().isEmpty()) {
            adapters = AwsAdapters.reporting(clients, config.snsTopicArn(), config.tagReads(), reads);
        } else {
            Ownership ownership = switch (config.ownershipLookup()) {
                case CLOUDFORMATION -> new CloudFormationOwnership(clients::cloudFormation);
                case STACK_INDEX -> new StackIndexOwnership(clients::cloudFormation);
            };
            adapters = AwsAdapters.remediating(clients, config.snsTopicArn(), config.tagReads(), ownership, reads);
        }
        if (config.fullReportBucket() != null) {
            adapters = adapters.archiving(new S3ReportArchive(clients::s3, config.fullReportBucket()));
        }
        if (config.findingStateTable() == null) {
            return adapters;
        }
        return adapters.tracking(new DynamoFindingState(clients.dynamoDb(), config.findingStateTable()),
                config.securityHub() ? new SecurityHubImport(clients::securityHub, clients.region()) : FindingsHub.NONE);
    }

    /**
     * The event is taken as plain JSON values, not as a {@code ScheduledEvent}: the runtime's deserializer fails on a
     * scalar event or a string or array {@code detail}, and such failures are retried into the dead-letter queue;
     * here they are rejected with a reason ({@link EventRouting#route(Object, dev.ecroidcguard.core.RoleNaming, EventRouting.Home)}).
     */
    @Override
    public InvocationResult handleRequest(Object event, Context context) {
        String requestId = context == null ? null : context.getAwsRequestId();
        SdkLog.INSTANCE.requestId(requestId);
        JsonLog invocationLog = log.forRequest(requestId);
        return switch (setup) {
            case Setup.Misconfigured(String message) -> throw new ConfigurationError(message);
            case Setup.Ready(FunctionConfig config, ScanService service) -> switch (EventRouting.route(event, config.guard().roleNaming(),
                    EventRouting.Home.ofFunctionArn(context == null ? null : context.getInvokedFunctionArn()))) {
                case EventRouting.Route.Scan(Trigger trigger, var scope) -> {
                    var outcome = service.scan(trigger, scope, timeBudget(context), invocationLog);
                    InvocationResult result = InvocationResult.scanned(outcome);
                    invocationLog.summary(result, outcome.invocation());
                    yield result;
                }
                case EventRouting.Route.Ignored(Trigger trigger, String reason) -> logged(invocationLog, InvocationResult.ignored(trigger, reason));
                case EventRouting.Route.Rejected(String reason) -> logged(invocationLog, InvocationResult.rejected(reason));
            };
        };
    }

    /** The invocation's remaining time, less the safety margin; no limit without a Lambda context (tests, local runs). */
    static TimeBudget timeBudget(Context context) {
        if (context == null) {
            return TimeBudget.UNLIMITED;
        }
        long marginMillis = Math.min(SAFETY_MARGIN.toMillis(), context.getRemainingTimeInMillis() / 10);
        return () -> context.getRemainingTimeInMillis() < marginMillis
                ? Optional.of("less than " + Duration.ofMillis(marginMillis).toSeconds() + " s of the invocation's time was left "
                        + "(raise the function's Timeout; the next scan audits it)")
                : Optional.empty();
    }

    private static InvocationResult logged(JsonLog log, InvocationResult result) {
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
