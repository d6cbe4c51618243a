package dev.ecroidcguard.aws;

import dev.ecroidcguard.ports.FindingState;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The finding state in the DynamoDB table template.yaml creates: one item per finding id (the table's key
 * {@code findingId}), found per account and region through the {@value #BY_TARGET} index ({@code target} =
 * {@code ACCOUNT/REGION}). Every write is one PutItem conditioned on the revision the scan read
 * ({@code attribute_not_exists(findingId)} for a first record), so of two concurrent writers exactly one succeeds. A
 * resolved record expires ({@code expiresAt}, the table's TTL attribute) {@link #RESOLVED_KEPT} after it was resolved;
 * a finding that returns later counts as new. So does one whose archiving Security Hub never took: by then Security Hub
 * has deleted the finding itself (it keeps a finding 90 days after its last update).
 */
public final class DynamoFindingState implements FindingState {

    public static final String BY_TARGET = "byTarget";
    static final Duration RESOLVED_KEPT = Duration.ofDays(180);

    /** The IAM actions this adapter needs, on the table and its index (template.yaml grants exactly these). */
    public static final List<String> REQUIRED_PERMISSIONS = List.of("dynamodb:PutItem", "dynamodb:Query");

    private final DynamoDbClient dynamoDb;
    private final String table;

    public DynamoFindingState(DynamoDbClient dynamoDb, String table) {
        this.dynamoDb = dynamoDb;
        this.table = table;
    }

    @Override
    public List<Recorded> recorded(String accountId, String region) {
        List<Recorded> out = new ArrayList<>();
        Map<String, AttributeValue> start = null;
        do {
            QueryRequest.Builder query = QueryRequest.builder().tableName(table).indexName(BY_TARGET)
                    .keyConditionExpression("#target = :target")
                    .expressionAttributeNames(Map.of("#target", "target"))
                    .expressionAttributeValues(Map.of(":target", s(accountId + "/" + region)));
            if (start != null) {
                query.exclusiveStartKey(start);
            }
            QueryResponse page = dynamoDb.query(query.build());
            page.items().forEach(item -> out.add(recorded(item)));
            start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
        } while (start != null);
        return out;
    }

    @Override
    public boolean replace(Optional<Recorded> expected, Recorded next) {
        PutItemRequest.Builder put = PutItemRequest.builder().tableName(table).item(item(next));
        if (expected.isEmpty()) {
            put.conditionExpression("attribute_not_exists(findingId)");
        } else {
            put.conditionExpression("#revision = :revision")
                    .expressionAttributeNames(Map.of("#revision", "revision"))
                    .expressionAttributeValues(Map.of(":revision", n(expected.get().revision())));
        }
        try {
            dynamoDb.putItem(put.build());
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }

    private static Map<String, AttributeValue> item(Recorded r) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put("findingId", s(r.findingId()));
        item.put("target", s(r.target()));
        item.put("accountId", s(r.accountId()));
        item.put("region", s(r.region()));
        item.put("repository", s(r.repository()));
        if (r.repositoryArn() != null) {
            item.put("repositoryArn", s(r.repositoryArn()));
        }
        item.put("code", s(r.code()));
        item.put("severity", s(r.severity()));
        if (r.resource() != null) {
            item.put("resource", s(r.resource()));
        }
        item.put("status", s(r.status().name()));
        item.put("fingerprint", s(r.fingerprint()));
        item.put("summary", s(r.summary()));
        item.put("firstSeen", s(r.firstSeen().toString()));
        item.put("lastSeen", s(r.lastSeen().toString()));
        item.put("lastNotified", s(r.lastNotified().toString()));
        item.put("revision", n(r.revision()));
        if (r.status() != Status.OPEN) {
            item.put("expiresAt", n(r.lastNotified().plus(RESOLVED_KEPT).getEpochSecond()));
        }
        return item;
    }

    private static Recorded recorded(Map<String, AttributeValue> item) {
        return new Recorded(text(item, "findingId"), text(item, "accountId"), text(item, "region"), text(item, "repository"),
                text(item, "repositoryArn"), text(item, "code"), text(item, "severity"), text(item, "resource"),
                Status.valueOf(text(item, "status")), text(item, "fingerprint"), text(item, "summary"),
                Instant.parse(text(item, "firstSeen")), Instant.parse(text(item, "lastSeen")), Instant.parse(text(item, "lastNotified")),
                Long.parseLong(item.get("revision").n()));
    }

    private static String text(Map<String, AttributeValue> item, String name) {
        AttributeValue v = item.get(name);
        return v == null ? null : v.s();
    }

    private static AttributeValue s(String value) {
        return AttributeValue.fromS(value);
    }

    private static AttributeValue n(long value) {
        return AttributeValue.fromN(Long.toString(value));
    }
}
