package dev.ecroidcguard.aws;

import dev.ecroidcguard.ports.RunLedger;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The run ledger in template.yaml's OrganizationRunTable (key {@code runId}, sort key {@code unitId}): the run's item
 * ({@code unitId} {@value #RUN}) holds {@code pending} (a number) and {@code done} (the string set of units counted);
 * each unit's item holds its result and follow-ups. Recording a unit is a conditional PutItem of its item (the first
 * result stands), then one UpdateItem of the run's item that adds the unit to {@code done} and its follow-ups less
 * itself to {@code pending}, on condition that the unit is not in {@code done} yet: a redelivery finds it there and
 * counts nothing. The follow-ups are sent after that update (so a follow-up never finishes before it is pending)
 * and, from the unit's item, again by a redelivery. Publication is claimed with a conditional {@code publishedAt}.
 * Items expire ({@code expiresAt}, the table's TTL) {@link #KEPT} after they are written. The {@code done} set bounds a
 * run at about 8,000 units (DynamoDB's 400 KB item, unit ids of up to 50 bytes).
 */
public final class DynamoRunLedger implements RunLedger {

    static final String RUN = "#run";
    static final Duration KEPT = Duration.ofDays(30);

    /** The IAM actions this adapter needs, on the table (template.yaml grants exactly these). */
    public static final List<String> REQUIRED_PERMISSIONS = List.of("dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:GetItem", "dynamodb:Query");

    private final DynamoDbClient dynamoDb;
    private final String table;

    public DynamoRunLedger(DynamoDbClient dynamoDb, String table) {
        this.dynamoDb = dynamoDb;
        this.table = table;
    }

    @Override
    public boolean open(String runId, int units, Instant at) {
        try {
            dynamoDb.putItem(r -> r.tableName(table).item(Map.of("runId", s(runId), "unitId", s(RUN), "pending", n(units),
                            "openedAt", s(at.toString()), "expiresAt", n(at.plus(KEPT).getEpochSecond())))
                    .conditionExpression("attribute_not_exists(runId)"));
            return true;
        } catch (ConditionalCheckFailedException alreadyOpen) {
            return false;
        }
    }

    @Override
    public Recorded record(String runId, String unitId, String result, List<String> followUps, Instant at) {
        if (unitId.equals(RUN)) {
            throw new IllegalArgumentException("unit id " + RUN + " is the run's own item");
        }
        Map<String, AttributeValue> unit = new HashMap<>(key(runId, unitId));
        unit.put("result", s(result));
        unit.put("followUps", AttributeValue.fromL(followUps.stream().map(DynamoRunLedger::s).toList()));
        unit.put("expiresAt", n(at.plus(KEPT).getEpochSecond()));
        List<String> toSend = followUps;
        try {
            dynamoDb.putItem(r -> r.tableName(table).item(unit).conditionExpression("attribute_not_exists(unitId)"));
        } catch (ConditionalCheckFailedException recordedBefore) {
            // A redelivery: the first result and its follow-ups stand (the state it reported is already claimed).
            toSend = dynamoDb.getItem(r -> r.tableName(table).key(key(runId, unitId)).consistentRead(true)).item()
                    .get("followUps").l().stream().map(AttributeValue::s).toList();
        }
        long delta = toSend.size() - 1L;
        Map<String, AttributeValue> run;
        try {
            run = dynamoDb.updateItem(r -> r.tableName(table).key(key(runId, RUN))
                    .updateExpression("ADD #done :unit, #pending :delta")
                    .conditionExpression("attribute_exists(runId) AND NOT contains(#done, :unitId)")
                    .expressionAttributeNames(Map.of("#done", "done", "#pending", "pending"))
                    .expressionAttributeValues(Map.of(":unit", AttributeValue.fromSs(List.of(unitId)), ":unitId", s(unitId),
                            ":delta", n(delta)))
                    .returnValues(ReturnValue.ALL_NEW)).attributes();
        } catch (ConditionalCheckFailedException countedBefore) {
            run = dynamoDb.getItem(r -> r.tableName(table).key(key(runId, RUN)).consistentRead(true)).item();
            if (run == null || run.isEmpty()) {
                throw new IllegalStateException("run " + runId + " is not open (expired, or a unit of a run this table never had)");
            }
        }
        return new Recorded(toSend, Long.parseLong(run.get("pending").n()), run.containsKey("publishedAt"));
    }

    @Override
    public List<String> results(String runId) {
        List<String> out = new ArrayList<>();
        Map<String, AttributeValue> start = null;
        do {
            QueryRequest.Builder query = QueryRequest.builder().tableName(table).consistentRead(true)
                    .keyConditionExpression("runId = :run").expressionAttributeValues(Map.of(":run", s(runId)));
            if (start != null) {
                query.exclusiveStartKey(start);
            }
            QueryResponse page = dynamoDb.query(query.build());
            page.items().stream().filter(item -> item.containsKey("result")).forEach(item -> out.add(item.get("result").s()));
            start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
        } while (start != null);
        return out;
    }

    @Override
    public boolean claimPublication(String runId, Instant at) {
        try {
            dynamoDb.updateItem(r -> r.tableName(table).key(key(runId, RUN)).updateExpression("SET publishedAt = :at")
                    .conditionExpression("attribute_exists(runId) AND pending = :zero AND attribute_not_exists(publishedAt)")
                    .expressionAttributeValues(Map.of(":at", s(at.toString()), ":zero", n(0))));
            return true;
        } catch (ConditionalCheckFailedException notNow) {
            return false;
        }
    }

    @Override
    public void releasePublication(String runId) {
        dynamoDb.updateItem(r -> r.tableName(table).key(key(runId, RUN)).updateExpression("REMOVE publishedAt"));
    }

    private static Map<String, AttributeValue> key(String runId, String unitId) {
        return Map.of("runId", s(runId), "unitId", s(unitId));
    }

    private static AttributeValue s(String value) {
        return AttributeValue.fromS(value);
    }

    private static AttributeValue n(long value) {
        return AttributeValue.fromN(Long.toString(value));
    }
}
