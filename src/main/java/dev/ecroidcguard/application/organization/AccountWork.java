package dev.ecroidcguard.application.organization;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ecroidcguard.application.Trigger;
import dev.ecroidcguard.core.ScanScope;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One unit of the organization fan-out, the body of one SQS message: an account and its regions (ECR is regional;
 * the role is assumed once per account), the repositories a member account's CloudTrail event names (empty: the whole
 * account, as the schedule audits it) and the trigger (the scheduled event's id is the run's). Parsed strictly, so a
 * foreign or damaged message fails its batch item and ends in the dead-letter queue.
 */
public record AccountWork(String accountId, List<String> regions, List<String> repositories, Trigger trigger) {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Pattern ACCOUNT = Pattern.compile("\\d{12}");
    private static final Pattern REGION = Pattern.compile("[a-z]{2}(-[a-z]+)+-\\d");

    public AccountWork {
        if (accountId == null || !ACCOUNT.matcher(accountId).matches()) {
            throw new IllegalArgumentException("accountId '" + accountId + "' is not a 12-digit account id");
        }
        if (regions == null || regions.isEmpty() || !regions.stream().allMatch(r -> r != null && REGION.matcher(r).matches())) {
            throw new IllegalArgumentException("regions " + regions + " is not a non-empty list of region names");
        }
        if (trigger == null || trigger.type() == null) {
            throw new IllegalArgumentException("no trigger");
        }
        regions = List.copyOf(regions);
        repositories = List.copyOf(repositories);
    }

    /** The whole account, or the repositories the event named. */
    public ScanScope scope() {
        return repositories.isEmpty() ? new ScanScope.WholeAccount() : new ScanScope.Repositories(Set.copyOf(repositories));
    }

    public String toJson() {
        ObjectNode node = MAPPER.createObjectNode();
        node.put("accountId", accountId);
        regions.forEach(node.putArray("regions")::add);
        repositories.forEach(node.putArray("repositories")::add);
        ObjectNode t = node.putObject("trigger");
        t.put("type", trigger.type());
        t.put("event", trigger.event());
        t.put("eventId", trigger.eventId());
        t.put("actor", trigger.actor());
        return node.toString();
    }

    public static AccountWork fromJson(String body) {
        JsonNode node;
        try {
            node = MAPPER.readTree(body);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("message body is not JSON: " + e.getOriginalMessage());
        }
        if (node == null || !node.isObject()) {
            throw new IllegalArgumentException("message body is not a JSON object");
        }
        JsonNode t = node.path("trigger");
        Trigger trigger = t.isObject() ? new Trigger(t.path("type").asText(null), t.path("event").asText(null), t.path("eventId").asText(null),
                t.path("actor").asText(null)) : null;
        return new AccountWork(node.path("accountId").asText(null), strings(node.path("regions")), strings(node.path("repositories")), trigger);
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(r -> out.add(r.asText()));
        return out;
    }
}
