package dev.ecroidcguard.application.organization;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * One unit of the organization fan-out, the body of one SQS message: an account and its regions (ECR is regional;
 * the role is assumed once per account), the run it belongs to ({@code runId}: the scheduled event's id) and what
 * started it. Parsed strictly, so a foreign or damaged message fails its batch item and ends in the dead-letter queue.
 */
public record AccountWork(String accountId, List<String> regions, String runId, String trigger) {

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
        regions = List.copyOf(regions);
    }

    public String toJson() {
        ObjectNode node = MAPPER.createObjectNode();
        node.put("accountId", accountId);
        regions.forEach(node.putArray("regions")::add);
        node.put("runId", runId);
        node.put("trigger", trigger);
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
        List<String> regions = new ArrayList<>();
        node.path("regions").forEach(r -> regions.add(r.asText()));
        return new AccountWork(node.path("accountId").asText(null), regions, node.path("runId").asText(null),
                node.path("trigger").asText(null));
    }
}
