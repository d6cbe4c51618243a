package dev.ecroidcguard.application.organization;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ecroidcguard.application.Trigger;
import dev.ecroidcguard.core.ScanScope;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One unit of the organization fan-out, the body of one SQS message: an account and its regions (ECR is regional;
 * the role is assumed once per account), the repositories a member account's CloudTrail event names (empty: the whole
 * account, as the schedule audits it), the chunk of one region's repositories when the account is too large for one
 * invocation ({@link Chunk}), the scheduled run it belongs to (empty for a member account's event, which is reported
 * on its own) and the trigger (the scheduled event's id is the run's). Parsed strictly, so a foreign or damaged message
 * fails its batch item and ends in the dead-letter queue.
 */
public record AccountWork(String accountId, List<String> regions, List<String> repositories, Optional<Chunk> chunk, Optional<String> runId,
                          Trigger trigger) {

    /** Chunk {@code index} of {@code of} of one region's repositories: those whose names fall in {@code range}. */
    public record Chunk(int index, int of, ScanScope.NameRange range) {
        public Chunk {
            if (index < 1 || index > of) {
                throw new IllegalArgumentException("chunk " + index + " of " + of);
            }
        }
    }

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
        if (chunk.isPresent() && (regions.size() != 1 || !repositories.isEmpty())) {
            throw new IllegalArgumentException("a chunk is of one region's repositories by name range");
        }
        regions = List.copyOf(regions);
        repositories = List.copyOf(repositories);
    }

    /** The whole account, the repositories the event named, or the chunk's range. */
    public ScanScope scope() {
        return chunk.<ScanScope>map(Chunk::range)
                .orElseGet(() -> repositories.isEmpty() ? new ScanScope.WholeAccount() : new ScanScope.Repositories(Set.copyOf(repositories)));
    }

    /** The unit's id within its run: the account, or the account, region and chunk. */
    public String unitId() {
        return chunk.map(c -> accountId + "/" + regions.getFirst() + "/chunk-" + c.index() + "-of-" + c.of()).orElse(accountId);
    }

    /** Chunk {@code index} of {@code of} of this (scheduled, whole-account) unit's {@code region}. */
    public AccountWork chunk(String region, int index, int of, ScanScope.NameRange range) {
        return new AccountWork(accountId, List.of(region), List.of(), Optional.of(new Chunk(index, of, range)), runId, trigger);
    }

    public String toJson() {
        ObjectNode node = MAPPER.createObjectNode();
        node.put("accountId", accountId);
        regions.forEach(node.putArray("regions")::add);
        repositories.forEach(node.putArray("repositories")::add);
        chunk.ifPresent(c -> {
            ObjectNode n = node.putObject("chunk").put("index", c.index()).put("of", c.of());
            c.range().from().ifPresent(f -> n.put("from", f));
            c.range().toExclusive().ifPresent(t -> n.put("toExclusive", t));
        });
        runId.ifPresent(r -> node.put("runId", r));
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
        JsonNode c = node.path("chunk");
        Optional<Chunk> chunk = c.isObject() ? Optional.of(new Chunk(c.path("index").asInt(), c.path("of").asInt(),
                new ScanScope.NameRange(optional(c.path("from")), optional(c.path("toExclusive"))))) : Optional.empty();
        return new AccountWork(node.path("accountId").asText(null), strings(node.path("regions")), strings(node.path("repositories")), chunk,
                optional(node.path("runId")), trigger);
    }

    private static Optional<String> optional(JsonNode text) {
        return text.isTextual() ? Optional.of(text.asText()) : Optional.empty();
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(r -> out.add(r.asText()));
        return out;
    }
}
