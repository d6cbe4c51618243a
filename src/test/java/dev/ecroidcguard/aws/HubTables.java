package dev.ecroidcguard.aws;

import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/**
 * The hub's DynamoDB tables as template.yaml declares them (TemplateFindingStateTest and OrganizationTemplateTest
 * check the template's side), for the tests and benchmarks that run against moto.
 */
public final class HubTables {

    private HubTables() {
    }

    /** template.yaml's FindingStateTable: key {@code findingId}, index {@link DynamoFindingState#BY_TARGET} on {@code target}. */
    public static void findingState(DynamoDbClient dynamoDb, String table) {
        dynamoDb.createTable(r -> r.tableName(table).billingMode(BillingMode.PAY_PER_REQUEST)
                .attributeDefinitions(attribute("findingId"), attribute("target"))
                .keySchema(key("findingId", KeyType.HASH))
                .globalSecondaryIndexes(GlobalSecondaryIndex.builder().indexName(DynamoFindingState.BY_TARGET)
                        .keySchema(key("target", KeyType.HASH))
                        .projection(p -> p.projectionType(ProjectionType.ALL)).build()));
    }

    /** template.yaml's OrganizationRunTable: key {@code runId}, sort key {@code unitId}. */
    public static void runLedger(DynamoDbClient dynamoDb, String table) {
        dynamoDb.createTable(r -> r.tableName(table).billingMode(BillingMode.PAY_PER_REQUEST)
                .attributeDefinitions(attribute("runId"), attribute("unitId"))
                .keySchema(key("runId", KeyType.HASH), key("unitId", KeyType.RANGE)));
    }

    private static AttributeDefinition attribute(String name) {
        return AttributeDefinition.builder().attributeName(name).attributeType(ScalarAttributeType.S).build();
    }

    private static KeySchemaElement key(String name, KeyType type) {
        return KeySchemaElement.builder().attributeName(name).keyType(type).build();
    }
}
