package dev.ecroidcguard.lambda;

import dev.ecroidcguard.application.ScanOutcome;
import dev.ecroidcguard.core.finding.Finding;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SnapStartPrimingTest {

    @Test
    void primingRunsAWholeScanOfTheBuiltInSampleInMemoryAndFindsItsDrift() throws Exception {
        FunctionConfig config = FunctionConfig.fromEnvironment(FunctionConfigTest.env());

        ScanOutcome outcome = SnapStartPriming.prime(config);

        assertThat(outcome.report().repositories()).hasSize(2);
        assertThat(outcome.invocation().totalApiCalls()).as("no AWS call before the snapshot").isZero();
        assertThat(outcome.notificationParts()).isEqualTo(1);
        assertThat(outcome.report().repositories()).filteredOn(r -> r.repository().equals("snapstart-sample"))
                .singleElement().satisfies(r -> assertThat(r.findings()).isEmpty());
        assertThat(outcome.report().repositories()).filteredOn(r -> r.repository().equals("snapstart-drifted"))
                .singleElement().satisfies(r -> assertThat(r.findings()).extracting(Finding::code).isNotEmpty());
    }
}
