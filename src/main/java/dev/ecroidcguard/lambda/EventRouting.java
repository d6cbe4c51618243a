package dev.ecroidcguard.lambda;

import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import dev.ecroidcguard.application.Trigger;
import dev.ecroidcguard.core.RoleNaming;
import dev.ecroidcguard.core.ScanScope;
import dev.ecroidcguard.core.inventory.EcrRepository;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Decides what an EventBridge event asks the function to audit. Pure: the event as the runtime deserialized
 * it in, a {@link Route} out. The schedule audits the account; a CloudTrail record audits the repository it
 * touched (for IAM, the repository the role's name points at through the naming template).
 */
public final class EventRouting {

    static final String SCHEDULED = "Scheduled Event";
    static final String CLOUDTRAIL = "AWS API Call via CloudTrail";

    /** ECR calls that change a repository's existence or its policy; the repository is in requestParameters. */
    static final Set<String> ECR_EVENTS = Set.of("CreateRepository", "DeleteRepository", "SetRepositoryPolicy", "DeleteRepositoryPolicy");

    /** IAM calls that change a role's existence, trust or permissions; the role is in requestParameters. */
    static final Set<String> IAM_EVENTS = Set.of("CreateRole", "DeleteRole", "UpdateAssumeRolePolicy", "PutRolePolicy",
            "DeleteRolePolicy", "AttachRolePolicy", "DetachRolePolicy", "PutRolePermissionsBoundary", "DeleteRolePermissionsBoundary");

    private EventRouting() {
    }

    /**
     * Where the function runs, from its invoked ARN ({@code arn:aws:lambda:REGION:ACCOUNT:function:NAME}); either
     * part is empty when unknown (a test or local run without a Lambda context), and is then not checked.
     */
    public record Home(Optional<String> account, Optional<String> region) {
        public static final Home UNKNOWN = new Home(Optional.empty(), Optional.empty());

        public static Home ofFunctionArn(String invokedFunctionArn) {
            String[] parts = invokedFunctionArn == null ? new String[0] : invokedFunctionArn.split(":");
            if (parts.length < 6 || !parts[2].equals("lambda")) {
                return UNKNOWN;
            }
            return new Home(Optional.of(parts[4]).filter(a -> !a.isEmpty()), Optional.of(parts[3]).filter(r -> !r.isEmpty()));
        }
    }

    public sealed interface Route {
        /** Audit {@code scope}. */
        record Scan(Trigger trigger, ScanScope scope) implements Route {
        }

        /** A well-formed event about something this function does not guard: nothing to do, not an error. */
        record Ignored(Trigger trigger, String reason) implements Route {
        }

        /** An event the function cannot interpret; the reason says what was wrong. */
        record Rejected(String reason) implements Route {
        }
    }

    /**
     * Routes an event as the Lambda runtime hands it to a handler of {@code Object}: plain JSON values (a Map for
     * an object; a String, Number, Boolean, List or null otherwise), or a {@link ScheduledEvent} from an in-process
     * caller. Anything that is not an EventBridge envelope (a scalar, an array, a string or array {@code detail},
     * an envelope field that is not a string) is rejected with a reason, rather than failing in the runtime's
     * deserializer and being retried into the dead-letter queue.
     */
    public static Route route(Object event, RoleNaming naming, Home home) {
        if (event instanceof ScheduledEvent scheduled) {
            return route(scheduled, naming, home);
        }
        if (!(event instanceof Map<?, ?> envelope)) {
            return new Route.Rejected("the event is " + jsonKind(event) + ", not an EventBridge event (a JSON object)");
        }
        ScheduledEvent parsed = new ScheduledEvent();
        for (String field : List.of("version", "id", "detail-type", "source", "account", "region")) {
            Object value = envelope.get(field);
            if (value != null && !(value instanceof String)) {
                return new Route.Rejected("the event's " + field + " is " + jsonKind(value) + ", not a string");
            }
        }
        Object detail = envelope.get("detail");
        if (detail != null && !(detail instanceof Map)) {
            return new Route.Rejected("the event's detail is " + jsonKind(detail) + ", not a JSON object");
        }
        parsed.setVersion((String) envelope.get("version"));
        parsed.setId((String) envelope.get("id"));
        parsed.setDetailType((String) envelope.get("detail-type"));
        parsed.setSource((String) envelope.get("source"));
        parsed.setAccount((String) envelope.get("account"));
        parsed.setRegion((String) envelope.get("region"));
        if (detail != null) {
            Map<String, Object> fields = new java.util.LinkedHashMap<>();
            ((Map<?, ?>) detail).forEach((k, v) -> fields.put(String.valueOf(k), v));
            parsed.setDetail(fields);
        }
        return route(parsed, naming, home);
    }

    private static String jsonKind(Object value) {
        return switch (value) {
            case null -> "null";
            case String s -> "a string";
            case Number n -> "a number";
            case Boolean b -> "a boolean";
            case List<?> l -> "an array";
            case Map<?, ?> m -> "an object";
            default -> "a " + value.getClass().getSimpleName();
        };
    }

    public static Route route(ScheduledEvent event, RoleNaming naming, Home home) {
        if (event == null || event.getDetailType() == null) {
            // EventBridge Scheduler (SAM ScheduleV2) delivers only its Input, so every envelope field is null.
            return new Route.Rejected("not an EventBridge event (no detail-type); schedules must use the classic "
                    + "EventBridge rule (SAM event type Schedule), not EventBridge Scheduler");
        }
        String detailType = event.getDetailType();
        String source = event.getSource();
        Optional<String> elsewhere = elsewhere(event, home);
        if (elsewhere.isPresent()) {
            return new Route.Rejected(elsewhere.get());
        }
        if (detailType.equals(SCHEDULED)) {
            return "aws.events".equals(source)
                    ? new Route.Scan(new Trigger("schedule", SCHEDULED, event.getId()), new ScanScope.WholeAccount())
                    : new Route.Rejected("Scheduled Event from source '" + source + "', expected aws.events");
        }
        if (!detailType.equals(CLOUDTRAIL)) {
            return new Route.Rejected("unsupported detail-type '" + detailType + "' (source '" + source + "')");
        }
        Map<String, Object> detail = event.getDetail();
        if (detail == null || !(detail.get("eventName") instanceof String eventName)) {
            return new Route.Rejected("CloudTrail event " + event.getId() + " has no detail.eventName");
        }
        Trigger trigger = new Trigger("cloudtrail", service(source) + ":" + eventName, event.getId(), actor(detail));
        if (detail.get("errorCode") != null) {
            // A failed call changed nothing; the rule filters these out, this covers a rule without the filter.
            return new Route.Ignored(trigger, eventName + " failed with " + detail.get("errorCode") + ": nothing changed");
        }
        if (detail.containsKey("errorCode") || detail.containsKey("errorMessage")) {
            // CloudTrail omits both for a successful call; anything else is not a record of one, so nothing is provisioned.
            return new Route.Rejected("CloudTrail event " + event.getId() + " (" + eventName + ") has "
                    + (detail.containsKey("errorCode") ? "\"errorCode\": null" : "an errorMessage without an errorCode")
                    + ": not a record of a successful call, so not acted on; the scheduled scan audits the account");
        }
        if ("aws.ecr".equals(source) && ECR_EVENTS.contains(eventName)) {
            return requestParameter(detail, "repositoryName")
                    .map(repository -> scanRepository(trigger, repository, "repository"))
                    .orElseGet(() -> missing(trigger, "repositoryName"));
        }
        if ("aws.iam".equals(source) && IAM_EVENTS.contains(eventName)) {
            return requestParameter(detail, "roleName")
                    .map(role -> naming.repositoryFor(role)
                            .map(repository -> scanRepository(trigger, repository, "role " + role + " names repository"))
                            .orElseGet(() -> new Route.Ignored(trigger, "role " + role + " does not follow ROLE_NAME_TEMPLATE "
                                    + naming.template())))
                    .orElseGet(() -> missing(trigger, "roleName"));
        }
        return new Route.Rejected("unsupported CloudTrail event " + eventName + " from source '" + source + "'");
    }

    /**
     * Why an event is about another account or region than the function's, if it is: acting on it would scan or
     * provision in the function's own account what happened elsewhere. IAM is global and its events are delivered
     * in us-east-1 only, so their region is not compared.
     */
    private static Optional<String> elsewhere(ScheduledEvent event, Home home) {
        String account = event.getAccount();
        if (home.account().isPresent() && !home.account().get().equals(account)) {
            return Optional.of("event " + event.getId() + " is from account " + account + ", but this function runs in account "
                    + home.account().get() + ": not acted on");
        }
        String region = event.getRegion();
        if (home.region().isPresent() && !"aws.iam".equals(event.getSource()) && !home.region().get().equals(region)) {
            return Optional.of("event " + event.getId() + " is from region " + region + ", but this function runs in region "
                    + home.region().get() + ": not acted on");
        }
        return Optional.empty();
    }

    /** Scans one repository, unless its name is one ECR cannot have (asking ECR about it would fail the invocation). */
    private static Route scanRepository(Trigger trigger, String repository, String what) {
        return EcrRepository.nameInvalidBecause(repository)
                .map(why -> (Route) new Route.Ignored(trigger, what + " " + why + ": no such repository can exist"))
                .orElseGet(() -> new Route.Scan(trigger, new ScanScope.Repositories(Set.of(repository))));
    }

    private static String actor(Map<String, Object> detail) {
        return detail.get("userIdentity") instanceof Map<?, ?> identity && identity.get("arn") instanceof String arn ? arn : null;
    }

    private static Optional<String> requestParameter(Map<String, Object> detail, String name) {
        if (detail.get("requestParameters") instanceof Map<?, ?> parameters
                && parameters.get(name) instanceof String value && !value.isBlank()) {
            return Optional.of(value);
        }
        return Optional.empty();
    }

    private static Route missing(Trigger trigger, String parameter) {
        return new Route.Rejected(trigger.event() + " event " + trigger.eventId() + " has no requestParameters." + parameter);
    }

    private static String service(String source) {
        return source != null && source.startsWith("aws.") ? source.substring(4) : String.valueOf(source);
    }
}
