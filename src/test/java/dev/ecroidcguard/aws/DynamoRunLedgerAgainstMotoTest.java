package dev.ecroidcguard.aws;

import dev.ecroidcguard.ports.RunLedger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The run ledger's conditional writes on moto's DynamoDB: a unit counts once however often it is recorded, keeps its
 * first result and follow-ups (a split unit delivered again sends the same chunks, and they are not pending twice),
 * and the roll-up is claimed once, only when nothing is pending, and can be given back after a failed publish.
 */
@ExtendWith(MotoServer.class)
class DynamoRunLedgerAgainstMotoTest {

    static final String TABLE = "runs";
    static final Instant AT = Instant.parse("2026-11-30T12:00:00Z");

    @Test
    void aUnitCountsOnceKeepsItsFirstFollowUpsAndTheRollUpIsClaimedOnce(MotoServer.Moto moto) {
        try (AwsClients clients = moto.clients()) {
            // As template.yaml's OrganizationRunTable (OrganizationTemplateTest checks the template's side).
            HubTables.runLedger(clients.dynamoDb(), TABLE);
            DynamoRunLedger ledger = new DynamoRunLedger(clients.dynamoDb(), TABLE);

            assertThat(ledger.open("run-1", 2, AT)).isTrue();
            assertThat(ledger.open("run-1", 2, AT)).as("the schedule delivered twice").isFalse();

            RunLedger.Recorded split = ledger.record("run-1", "111111111111", "{\"r\":\"parent\"}", List.of("chunk-a", "chunk-b"), AT);
            assertThat(split).isEqualTo(new RunLedger.Recorded(List.of("chunk-a", "chunk-b"), 3, false));
            RunLedger.Recorded again = ledger.record("run-1", "111111111111", "{\"r\":\"second scan\"}", List.of("chunk-c"), AT);
            assertThat(again).as("the first recording stands, nothing counted twice").isEqualTo(split);
            assertThat(ledger.claimPublication("run-1", AT)).as("units pending").isFalse();

            assertThat(ledger.record("run-1", "111111111111/us-east-1/chunk-1-of-2", "{\"r\":\"a\"}", List.of(), AT).pending()).isEqualTo(2);
            assertThat(ledger.record("run-1", "111111111111/us-east-1/chunk-2-of-2", "{\"r\":\"b\"}", List.of(), AT).pending()).isEqualTo(1);
            RunLedger.Recorded last = ledger.record("run-1", "222222222222", "{\"r\":\"other\"}", List.of(), AT);
            assertThat(last.finished()).isTrue();
            assertThat(ledger.record("run-1", "222222222222", "{\"r\":\"other\"}", List.of(), AT).pending()).as("still 0, not -1").isZero();

            assertThat(ledger.claimPublication("run-1", AT)).isTrue();
            assertThat(ledger.claimPublication("run-1", AT)).as("claimed once").isFalse();
            assertThat(ledger.record("run-1", "222222222222", "{\"r\":\"other\"}", List.of(), AT).published()).isTrue();
            ledger.releasePublication("run-1");
            assertThat(ledger.record("run-1", "222222222222", "{\"r\":\"other\"}", List.of(), AT).finished()).as("given back").isTrue();
            assertThat(ledger.claimPublication("run-1", AT)).isTrue();

            assertThat(ledger.results("run-1")).containsExactlyInAnyOrder("{\"r\":\"parent\"}", "{\"r\":\"a\"}", "{\"r\":\"b\"}", "{\"r\":\"other\"}");
            assertThatThrownBy(() -> ledger.record("run-unknown", "111111111111", "{}", List.of(), AT)).hasMessageContaining("not open");
        }
    }

}
