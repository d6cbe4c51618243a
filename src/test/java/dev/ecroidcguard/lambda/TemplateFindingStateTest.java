package dev.ecroidcguard.lambda;

import dev.ecroidcguard.application.ScanConfig;
import dev.ecroidcguard.aws.DynamoFindingState;
import dev.ecroidcguard.aws.SecurityHubImport;
import dev.ecroidcguard.cli.CloudFormationYaml.Intrinsic;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The template's side of alerts on change and Security Hub: NOTIFY_ON defaults to changes there (the code's default
 * stays findings, which needs no table), with the table the function is given; the table's key and index are the
 * ones {@link DynamoFindingState} uses; Security Hub is off by default and its grant exists only when it is on.
 */
class TemplateFindingStateTest {

    @Test
    void theTemplateNotifiesOnChangesWithItsOwnTable() throws Exception {
        Map<String, Object> notifyOn = TemplateDeployTest.parameter("NotifyOn");
        assertThat(notifyOn.get("Default")).isEqualTo("changes");
        assertThat(TemplateDeployTest.variables()).containsEntry("NOTIFY_ON", new Intrinsic("Ref", "NotifyOn"))
                .containsEntry("FINDING_STATE_TABLE", new Intrinsic("Ref", "FindingStateTable"))
                .containsEntry("SECURITY_HUB", new Intrinsic("Ref", "SecurityHub"));
        // Every allowed value is one the function accepts with the table set.
        for (Object value : TemplateTest.list(notifyOn.get("AllowedValues"))) {
            assertThat(FunctionConfig.fromEnvironment(FunctionConfigTest.env("NOTIFY_ON", (String) value, "FINDING_STATE_TABLE", "state"))
                    .notifyOn()).isNotEqualTo(ScanConfig.NotifyOn.NEVER);
        }
        assertThat(FunctionConfig.fromEnvironment(FunctionConfigTest.env("NOTIFY_ON", "changes", "FINDING_STATE_TABLE", "state")).notifyOn())
                .isEqualTo(ScanConfig.NotifyOn.CHANGES);
    }

    @Test
    @SuppressWarnings("unchecked")
    void theTableIsKeyedByFindingIdWithTheIndexByTarget() throws Exception {
        Map<String, Object> table = (Map<String, Object>) ((Map<String, Object>) TemplateTest.template().get("Resources")).get("FindingStateTable");
        assertThat(table.get("Type")).isEqualTo("AWS::DynamoDB::Table");
        Map<String, Object> properties = (Map<String, Object>) table.get("Properties");
        assertThat(properties.get("BillingMode")).isEqualTo("PAY_PER_REQUEST");
        assertThat(properties.get("KeySchema")).isEqualTo(List.of(Map.of("AttributeName", "findingId", "KeyType", "HASH")));
        Map<String, Object> index = (Map<String, Object>) TemplateTest.list(properties.get("GlobalSecondaryIndexes")).getFirst();
        assertThat(index.get("IndexName")).isEqualTo(DynamoFindingState.BY_TARGET);
        assertThat(index.get("KeySchema")).isEqualTo(List.of(Map.of("AttributeName", "target", "KeyType", "HASH")));
        assertThat(index.get("Projection")).isEqualTo(Map.of("ProjectionType", "ALL"));
        assertThat(properties.get("TimeToLiveSpecification")).isEqualTo(Map.of("AttributeName", "expiresAt", "Enabled", true));
    }

    @Test
    void securityHubIsOffByDefaultAndGrantedOnlyWhenOn() throws Exception {
        assertThat(TemplateDeployTest.parameter("SecurityHub").get("Default")).isEqualTo("off");
        assertThat(TemplateTest.actions(Map.of())).doesNotContainAnyElementsOf(SecurityHubImport.REQUIRED_PERMISSIONS)
                .containsAll(DynamoFindingState.REQUIRED_PERMISSIONS);
        assertThat(TemplateTest.actions(Map.of("SecurityHub", "on"))).containsAll(SecurityHubImport.REQUIRED_PERMISSIONS);
    }
}
