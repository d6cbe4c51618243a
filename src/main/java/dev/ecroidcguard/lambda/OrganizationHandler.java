package dev.ecroidcguard.lambda;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ecroidcguard.application.NotificationBuilder;
import dev.ecroidcguard.application.ScanConfig;
import dev.ecroidcguard.application.Trigger;
import dev.ecroidcguard.application.organization.AccountResult;
import dev.ecroidcguard.application.organization.AccountScan;
import dev.ecroidcguard.application.organization.AccountWork;
import dev.ecroidcguard.application.organization.Chunking;
import dev.ecroidcguard.application.organization.OrganizationRun;
import dev.ecroidcguard.application.organization.FanOut;
import dev.ecroidcguard.aws.AccountReads;
import dev.ecroidcguard.aws.AssumedRoleMembers;
import dev.ecroidcguard.aws.AwsClients;
import dev.ecroidcguard.aws.DynamoRunLedger;
import dev.ecroidcguard.aws.OrganizationAccounts;
import dev.ecroidcguard.aws.S3ReportArchive;
import dev.ecroidcguard.aws.SdkLog;
import dev.ecroidcguard.aws.SecurityHubImport;
import dev.ecroidcguard.aws.SnsNotifier;
import dev.ecroidcguard.aws.SqsWorkQueue;
import dev.ecroidcguard.core.GuardConfig.ConfigException;
import dev.ecroidcguard.core.ScanScope;
import dev.ecroidcguard.core.TimeBudget;
import dev.ecroidcguard.ports.Adapters;
import dev.ecroidcguard.ports.FindingsHub;
import dev.ecroidcguard.aws.DynamoFindingState;
import dev.ecroidcguard.ports.MemberAccounts;
import dev.ecroidcguard.ports.Notifier;
import dev.ecroidcguard.ports.OrganizationDirectory;
import dev.ecroidcguard.ports.RunLedger;
import dev.ecroidcguard.ports.WorkQueue;
import software.amazon.awssdk.regions.PartitionMetadata;
import software.amazon.awssdk.regions.Region;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiFunction;

/**
 * The organization function (template.yaml's OrganizationFunction, deployed only when targets are set): the same
 * code as {@link ScanHandler}, routed on the event's shape. The schedule ({@code Scheduled Event}) fans out: one SQS
 * message per target account, regions inside; a member account's CloudTrail event becomes one message for the
 * repositories it names. An SQS batch (the event source mapping) is the worker: each message is
 * one account, scanned per region with the member role's credentials by the same {@code ScanService}; the answer
 * lists the messages to hand back ({@code ReportBatchItemFailures}): an unreadable message, an account whose role
 * assumption was throttled or failed on AWS's side, and those not started because the invocation's time ran out. An account whose role cannot be assumed is reported as not
 * evaluated (log line and metrics) and its message is done: retrying would not change it, and it never holds up the
 * batch's other accounts. Every account ends with an embedded-metric-format line ({@link AccountMetrics}). A
 * scheduled run is one whole ({@link OrganizationRun}): its units publish nothing each, an account region too large
 * for one invocation is split into chunks sent as units of the same run, and the last unit in publishes the run's one
 * roll-up; a member account's event is reported on its own, as the single-account function reports it.
 */
public final class OrganizationHandler implements RequestStreamHandler {

    /** The AWS side of the organization run: the members, the directory, the work queue, the run table and the hub's topic. */
    public record Wiring(MemberAccounts members, OrganizationDirectory directory, WorkQueue queue, RunLedger runs, Notifier hubTopic) {
    }

    private sealed interface Setup {
        /**
         * A member event's unit is scanned and reported as the single-account function reports; a scheduled run's
         * unit ({@code runAccounts}) publishes nothing itself, may be split into chunks, and is rolled up by {@code run}.
         */
        record Ready(FunctionConfig config, FanOut fanOut, AccountScan eventAccounts, AccountScan runAccounts, OrganizationRun run,
                     int maxReceives) implements Setup {
        }

        record Misconfigured(String message) implements Setup {
        }
    }

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final Setup setup;
    private final PrintStream out;
    private final InstantSource clock;

    /** Used by the Lambda runtime. */
    public OrganizationHandler() {
        this(System.getenv(), OrganizationHandler::awsWiring, System.out, InstantSource.system());
    }

    OrganizationHandler(Map<String, String> env, BiFunction<FunctionConfig, OrganizationConfig, Wiring> wiring, PrintStream out,
                        InstantSource clock) {
        this.out = out;
        this.clock = clock;
        Setup s;
        try {
            FunctionConfig config = FunctionConfig.fromEnvironment(env);
            OrganizationConfig organization = OrganizationConfig.fromEnvironment(env, config.region()).orElseThrow(() -> new ConfigException(
                    "neither TARGET_ACCOUNTS nor TARGET_ORGANIZATION is set: the organization function needs targets "
                            + "(template.yaml sets them from TargetAccounts and TargetOrganization)"));
            Wiring w = wiring.apply(config, organization);
            OrganizationRun run = new OrganizationRun(w.runs(), w.queue(), w.hubTopic(), config.notifyOn(), clock);
            ScanConfig scan = config.scan().withMemberRole(new ScanConfig.MemberRole(organization.memberRoleName(), organization.externalId()));
            s = new Setup.Ready(config, new FanOut(organization.targets(), w.directory(), w.queue(), run),
                    new AccountScan(scan, w.members(), new NotificationBuilder(), clock, Chunking.NONE),
                    new AccountScan(scan.withNotifyOn(ScanConfig.NotifyOn.NEVER), w.members(), new NotificationBuilder(), clock,
                            new Chunking(organization.repositoriesPerInvocation())),
                    run, organization.maxReceives());
        } catch (ConfigException e) {
            s = new Setup.Misconfigured(e.getMessage());
        }
        this.setup = s;
    }

    /** The production wiring: the hub's SNS, STS, SQS, DynamoDB and Organizations clients in the function's region (one AwsClients: shared HTTP client, retries, call count). */
    static Wiring awsWiring(FunctionConfig config, OrganizationConfig organization) {
        Region region = Region.of(config.region());
        AwsClients hub = AwsClients.forRegion(region);
        Notifier hubTopic = new SnsNotifier(hub::sns, config.snsTopicArn());
        MemberAccounts members = new AssumedRoleMembers(hub.sts(), memberRole(organization, region), sessionName(config),
                organization.targets().regions(), (memberRegion, credentials) -> AwsClients.of(memberRegion, Optional.empty(), credentials),
                (clients, reads) -> memberAdapters(config, clients, reads, hub, hubTopic));
        return new Wiring(members, new OrganizationAccounts(hub.organizations()), new SqsWorkQueue(hub.sqs(), organization.workQueueUrl()),
                new DynamoRunLedger(hub.dynamoDb(), organization.runTable()), hubTopic);
    }

    static AssumedRoleMembers.MemberRole memberRole(OrganizationConfig organization, Region region) {
        return new AssumedRoleMembers.MemberRole(organization.memberRoleName(), organization.externalId(), PartitionMetadata.of(region).id());
    }

    /** Named after the function, as Lambda names its own session, so events of its member-account writes are its own. */
    static String sessionName(FunctionConfig config) {
        return config.functionName() == null ? "ecr-oidc-guard" : config.functionName();
    }

    /**
     * A member account's adapters: the single-account production wiring on the member's clients (with the account's reads
     * shared by its regions), publishing to the hub's topic, tracking findings in the hub's one finding-state table and
     * keeping full reports in the hub's bucket. With {@code SECURITY_HUB=on} the findings are filed in the member account's
     * Security Hub with the member's credentials: a custom integration's finding (the account's default product ARN) is
     * accepted only from the account named in its {@code AwsAccountId} (member-role.yaml grants the import when its
     * SecurityHub parameter is on).
     */
    static Adapters memberAdapters(FunctionConfig config, AwsClients memberClients, AccountReads reads, AwsClients hubClients, Notifier hubTopic) {
        Adapters member = ScanHandler.awsAdapters(config, memberClients, reads);
        Adapters routed = new Adapters(member.inventory(), hubTopic, member.writer(), member.ownership(), member.apiCalls());
        if (config.fullReportBucket() != null) {
            // The hub's bucket, written with the hub's credentials (the member role has no S3 grant).
            routed = routed.archiving(new S3ReportArchive(hubClients::s3, config.fullReportBucket()));
        }
        return config.findingStateTable() == null ? routed
                : routed.tracking(new DynamoFindingState(hubClients.dynamoDb(), config.findingStateTable()),
                        config.securityHub() ? new SecurityHubImport(memberClients::securityHub, memberClients.region()) : FindingsHub.NONE);
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        String requestId = context == null ? null : context.getAwsRequestId();
        SdkLog.INSTANCE.requestId(requestId);
        JsonLog log = new JsonLog(out, requestId);
        JsonNode event = MAPPER.readTree(input);
        Object result = switch (setup) {
            case Setup.Misconfigured(String message) -> throw new ScanHandler.ConfigurationError(message);
            case Setup.Ready ready when event != null && event.has("Records") -> work(ready, event.get("Records"),
                    ScanHandler.timeBudget(context), log);
            case Setup.Ready ready when event != null && EventRouting.SCHEDULED.equals(event.path("detail-type").asText())
                    && "aws.events".equals(event.path("source").asText()) -> fanOut(ready.fanOut(), event.path("id").asText(null), log);
            case Setup.Ready ready when event != null && EventRouting.CLOUDTRAIL.equals(event.path("detail-type").asText()) ->
                    memberEvent(ready, event, log);
            case Setup.Ready ready -> rejected(event, log);
        };
        MAPPER.writeValue(output, result);
    }

    private ObjectNode fanOut(FanOut fanOut, String eventId, JsonLog log) {
        Trigger trigger = new Trigger("schedule", EventRouting.SCHEDULED, eventId);
        List<AccountWork> work = fanOut.enqueue(trigger);
        log.note(trigger, "INFO", "organization run: enqueued " + work.size() + " accounts");
        ObjectNode result = MAPPER.createObjectNode().put("status", "enqueued").put("eventId", eventId);
        work.forEach(w -> result.withArray("accounts").add(w.accountId()));
        if (!work.isEmpty()) {
            work.getFirst().regions().forEach(result.putArray("regions")::add);
        }
        return result;
    }

    /**
     * A member account's CloudTrail event, forwarded to the hub's bus: routed as the single-account function routes
     * its own, then enqueued for that account (ECR events in their region; IAM, global, in every target region), so
     * a CreateRepository there provisions its role there, through the same worker.
     */
    private ObjectNode memberEvent(Setup.Ready ready, JsonNode json, JsonLog log) {
        ScheduledEvent event = new ScheduledEvent();
        event.setId(json.path("id").asText(null));
        event.setDetailType(json.path("detail-type").asText(null));
        event.setSource(json.path("source").asText(null));
        event.setAccount(json.path("account").asText(null));
        event.setRegion(json.path("region").asText(null));
        event.setDetail(MAPPER.convertValue(json.path("detail"), new TypeReference<Map<String, Object>>() { }));
        ObjectNode result = MAPPER.createObjectNode();
        // Member events come from other accounts and regions by design: the hub's bus admits only the organization,
        // and the fan-out below acts only for target accounts.
        switch (EventRouting.route(event, ready.config().guard().roleNaming(), EventRouting.Home.UNKNOWN)) {
            case EventRouting.Route.Scan(Trigger trigger, ScanScope scope) when scope instanceof ScanScope.Repositories repositories -> {
                Optional<String> region = "aws.ecr".equals(event.getSource()) ? Optional.ofNullable(event.getRegion()) : Optional.empty();
                Optional<AccountWork> work = ready.fanOut().enqueue(trigger, event.getAccount(), region, repositories);
                String message = work.map(w -> "enqueued account " + w.accountId() + " " + w.regions() + " for " + w.repositories())
                        .orElse("account " + event.getAccount() + " is not a target: event ignored");
                log.note(trigger, "INFO", message);
                result.put("status", work.isPresent() ? "enqueued" : "ignored").put("eventId", trigger.eventId()).put("reason", message);
            }
            case EventRouting.Route.Scan(Trigger trigger, ScanScope scope) ->
                    result.put("status", "rejected").put("reason", "a CloudTrail event scoped to " + scope + " (expected repositories)");
            case EventRouting.Route.Ignored(Trigger trigger, String reason) -> {
                log.note(trigger, "INFO", reason);
                result.put("status", "ignored").put("eventId", trigger.eventId()).put("reason", reason);
            }
            case EventRouting.Route.Rejected(String reason) -> result.put("status", "rejected").put("reason", reason);
        }
        return result;
    }

    /**
     * The worker: each message one unit, scanned, its metrics written and, for a scheduled run's unit, recorded in the
     * run (the last unit in publishes the roll-up). On a message's last delivery (the queue's maxReceiveCount) a run's
     * unit that would be handed back again is recorded as not evaluated, with why, instead: the run then still
     * finishes and says so, rather than waiting for a unit that rests in the dead-letter queue.
     */
    private SQSBatchResponse work(Setup.Ready ready, JsonNode records, TimeBudget budget, JsonLog log) {
        List<SQSBatchResponse.BatchItemFailure> failures = new ArrayList<>();
        for (JsonNode record : records) {
            String messageId = record.path("messageId").asText();
            Trigger message = new Trigger("sqs", "message", messageId);
            boolean lastDelivery = record.path("attributes").path("ApproximateReceiveCount").asInt(1) >= ready.maxReceives();
            AccountWork work;
            try {
                work = AccountWork.fromJson(record.path("body").asText());
            } catch (RuntimeException e) {
                // A message this code cannot read: handed back, and after the queue's maxReceiveCount it rests in the
                // dead-letter queue for a person to read.
                log.note(message, "ERROR", "message " + messageId + " failed: " + e);
                failures.add(new SQSBatchResponse.BatchItemFailure(messageId));
                continue;
            }
            Optional<String> noTime = budget.exhausted();
            if (noTime.isPresent()) {
                if (lastDelivery && work.runId().isPresent()) {
                    giveUp(ready.run(), work, messageId, "not started on its last delivery: " + noTime.get(), failures, log);
                } else {
                    // Not started rather than audited in part: the queue delivers it again, to an invocation with time.
                    log.note(message, "WARN", "message " + messageId + " handed back unscanned: " + noTime.get());
                    failures.add(new SQSBatchResponse.BatchItemFailure(messageId));
                }
                continue;
            }
            try {
                AccountResult result = (work.runId().isPresent() ? ready.runAccounts() : ready.eventAccounts()).scan(work, budget, log);
                AccountMetrics.write(out, result, clock.instant());
                if (result instanceof AccountResult.NotEvaluated n && n.retryable()) {
                    if (!lastDelivery) {
                        failures.add(new SQSBatchResponse.BatchItemFailure(messageId));
                    } else if (work.runId().isPresent()) {
                        ready.run().finish(work, new AccountResult.NotEvaluated(n.accountId(), n.reason() + "; still so on the message's last "
                                + "delivery (" + ready.maxReceives() + " of " + ready.maxReceives() + ")", false, n.durationMs()), log);
                    }
                } else if (work.runId().isPresent()) {
                    ready.run().finish(work, result, log);
                }
            } catch (RuntimeException e) {
                log.note(message, "ERROR", "message " + messageId + " failed: " + e);
                if (lastDelivery && work.runId().isPresent()) {
                    giveUp(ready.run(), work, messageId, "failed on its last delivery: " + e, failures, log);
                } else {
                    failures.add(new SQSBatchResponse.BatchItemFailure(messageId));
                }
            }
        }
        return new SQSBatchResponse(failures);
    }

    /** Records a run's unit as not evaluated for {@code reason}; if even that fails, the message is handed back. */
    private static void giveUp(OrganizationRun run, AccountWork work, String messageId, String reason,
                               List<SQSBatchResponse.BatchItemFailure> failures, JsonLog log) {
        try {
            run.finish(work, new AccountResult.NotEvaluated(work.accountId(), "unit " + work.unitId() + " " + reason, false, 0), log);
        } catch (RuntimeException e) {
            log.note(new Trigger("sqs", "message", messageId), "ERROR", "message " + messageId + " could not be recorded in its run: " + e);
            failures.add(new SQSBatchResponse.BatchItemFailure(messageId));
        }
    }

    private ObjectNode rejected(JsonNode event, JsonLog log) {
        String reason = "unsupported event: the organization function takes the schedule (Scheduled Event from aws.events), member "
                + "accounts' CloudTrail events and SQS batches of its work queue; got " + (event == null ? "nothing" : "detail-type '" + event.path("detail-type").asText() + "'");
        log.note(new Trigger("unknown", "event", null), "ERROR", reason);
        return MAPPER.createObjectNode().put("status", "rejected").put("reason", reason);
    }
}
