package dev.ecroidcguard.application;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * What the notification and the summary log say about the invocation itself, beside the report; {@code notFound}:
 * the repositories the event names that do not exist (one sentence each); {@code warnings}: what the scan could not
 * do beside the evaluation (a Security Hub import refused), each a sentence with what to do.
 */
public record InvocationMetadata(Trigger trigger, String account, String region, String mode,
                                 Map<String, Integer> apiCalls, int repositories, long durationMs, List<String> notFound,
                                 List<String> warnings) {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    public InvocationMetadata {
        apiCalls = Map.copyOf(apiCalls);
        notFound = List.copyOf(notFound);
        warnings = List.copyOf(warnings);
    }

    public InvocationMetadata withWarnings(List<String> more) {
        return new InvocationMetadata(trigger, account, region, mode, apiCalls, repositories, durationMs, notFound,
                Stream.concat(warnings.stream(), more.stream()).toList());
    }

    public int totalApiCalls() {
        return apiCalls.values().stream().mapToInt(Integer::intValue).sum();
    }

    /** The {@code invocation} object of the JSON notification. */
    public ObjectNode json() {
        ObjectNode node = MAPPER.createObjectNode();
        ObjectNode t = node.putObject("trigger");
        t.put("type", trigger.type());
        t.put("event", trigger.event());
        t.put("eventId", trigger.eventId());
        node.put("account", account);
        node.put("region", region);
        node.put("mode", mode);
        ObjectNode calls = node.putObject("apiCalls");
        calls.put("total", totalApiCalls());
        // Inventory cost per repository audited: the figure that shows the per-role loops are gone.
        calls.put("perRepository", repositories == 0 ? 0.0 : Math.round(100.0 * totalApiCalls() / repositories) / 100.0);
        ObjectNode byOperation = calls.putObject("byOperation");
        new TreeMap<>(apiCalls).forEach(byOperation::put);
        node.put("durationMs", durationMs);
        notFound.forEach(node.putArray("notFound")::add);
        if (!warnings.isEmpty()) {
            warnings.forEach(node.putArray("warnings")::add);
        }
        return node;
    }
}
