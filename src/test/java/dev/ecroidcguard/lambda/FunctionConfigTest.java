package dev.ecroidcguard.lambda;

import dev.ecroidcguard.application.ScanConfig;
import dev.ecroidcguard.core.GuardConfig.ConfigException;
import dev.ecroidcguard.core.finding.RemediationClass;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

import dev.ecroidcguard.core.finding.RemediationClass;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FunctionConfigTest {

    static final String TOPIC = "arn:aws:sns:us-east-1:123456789012:ecr-oidc-guard-ReportTopic-AbC123";

    static Map<String, String> env(String... keyValues) {
        Map<String, String> env = new HashMap<>(Map.of("GITHUB_ORG", "AcmeCorp", "MODE", "report", "SNS_TOPIC_ARN", TOPIC, "AWS_REGION", "us-east-1"));
        for (int i = 0; i < keyValues.length; i += 2) {
            if (keyValues[i + 1] == null) {
                env.remove(keyValues[i]);
            } else {
                env.put(keyValues[i], keyValues[i + 1]);
            }
        }
        return env;
    }

    @Test
    void readsTheTemplatesVariables() throws Exception {
        FunctionConfig config = FunctionConfig.fromEnvironment(env("ROLE_NAME_TEMPLATE", "ci-{repository}", "NOTIFY_ON", "always"));

        assertThat(config.guard().githubOrg()).isEqualTo("AcmeCorp");
        assertThat(config.guard().roleNaming().prefix()).isEqualTo("ci-");
        assertThat(config.mode()).isEqualTo(FunctionConfig.Mode.REPORT);
        assertThat(config.modeName()).isEqualTo("report");
        assertThat(config.snsTopicArn()).isEqualTo(TOPIC);
        assertThat(config.notifyOn()).isEqualTo(ScanConfig.NotifyOn.ALWAYS);
        assertThat(FunctionConfig.fromEnvironment(env()).notifyOn()).isEqualTo(ScanConfig.NotifyOn.FINDINGS);
    }

    @Test
    void modeDefaultsToReportAndRemediateToMissingRole() throws Exception {
        FunctionConfig unset = FunctionConfig.fromEnvironment(env("MODE", null));
        assertThat(unset.mode()).isEqualTo(FunctionConfig.Mode.REPORT);
        assertThat(unset.remediate()).containsExactly(RemediationClass.MISSING_ROLE);
        assertThat(unset.activeRemediation()).isEmpty();
        assertThat(unset.iacOwnerTags()).isEqualTo(Map.of("managed-by", Set.of("terraform")));

        FunctionConfig remediate = FunctionConfig.fromEnvironment(env("MODE", "remediate"));
        assertThat(remediate.modeName()).isEqualTo("remediate");
        assertThat(remediate.activeRemediation()).containsExactly(RemediationClass.MISSING_ROLE);
        assertThat(FunctionConfig.fromEnvironment(env("MODE", "remediate", "REMEDIATE", "all")).activeRemediation())
                .containsExactlyInAnyOrder(RemediationClass.values());
        assertThat(FunctionConfig.fromEnvironment(env("MODE", "remediate", "REMEDIATE", "none")).activeRemediation()).isEmpty();
        assertThat(FunctionConfig.fromEnvironment(env("MODE", "remediate", "REMEDIATE", " trust , repository-policy")).activeRemediation())
                .containsExactlyInAnyOrder(RemediationClass.TRUST, RemediationClass.REPOSITORY_POLICY);
        assertThat(FunctionConfig.fromEnvironment(env("IAC_OWNER_TAGS", "managed-by=terraform, managed-by=pulumi,owner=platform")).iacOwnerTags())
                .isEqualTo(Map.of("managed-by", Set.of("terraform", "pulumi"), "owner", Set.of("platform")));
        assertThat(FunctionConfig.fromEnvironment(env("IAC_OWNER_TAGS", "")).iacOwnerTags()).isEmpty();
    }

    @Test
    void rejectsBadValuesNamingTheVariable() {
        assertThatThrownBy(() -> FunctionConfig.fromEnvironment(env("MODE", "fix")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("MODE='fix'").hasMessageContaining("MODE=remediate");
        assertThatThrownBy(() -> FunctionConfig.fromEnvironment(env("MODE", "remediate", "REMEDIATE", "trust,everything")))
                .hasMessageContaining("REMEDIATE='trust,everything'").hasMessageContaining("'everything'");
        assertThatThrownBy(() -> FunctionConfig.fromEnvironment(env("IAC_OWNER_TAGS", "terraform"))).hasMessageContaining("IAC_OWNER_TAGS=");
        assertThatThrownBy(() -> FunctionConfig.fromEnvironment(env("SNS_TOPIC_ARN", null))).hasMessageContaining("SNS_TOPIC_ARN is not set");
        assertThatThrownBy(() -> FunctionConfig.fromEnvironment(env("SNS_TOPIC_ARN", "my-topic"))).hasMessageContaining("not a standard SNS topic ARN");
        assertThatThrownBy(() -> FunctionConfig.fromEnvironment(env("SNS_TOPIC_ARN", TOPIC + ".fifo"))).hasMessageContaining("SNS_TOPIC_ARN=");
        assertThatThrownBy(() -> FunctionConfig.fromEnvironment(env("NOTIFY_ON", "never"))).hasMessageContaining("NOTIFY_ON='never'");
        assertThatThrownBy(() -> FunctionConfig.fromEnvironment(env("GITHUB_ORG", null))).hasMessageContaining("GITHUB_ORG is not set");
        assertThatThrownBy(() -> FunctionConfig.fromEnvironment(env("ROLE_NAME_TEMPLATE", "ci-role"))).hasMessageContaining("ROLE_NAME_TEMPLATE");
        assertThatThrownBy(() -> FunctionConfig.fromEnvironment(env("OWNERSHIP_LOOKUP", "stackindex")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("OWNERSHIP_LOOKUP='stackindex'").hasMessageContaining("stack-index");
        assertThatThrownBy(() -> FunctionConfig.fromEnvironment(env("AWS_REGION", " ")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("AWS_REGION").hasMessageContaining("AWS_DEFAULT_REGION");
    }

    @Test
    void theRegionComesFromAwsRegionThenAwsDefaultRegionAndTheOwnershipLookupDefaultsToCloudFormation() throws Exception {
        assertThat(FunctionConfig.fromEnvironment(env("AWS_REGION", "eu-west-1", "AWS_DEFAULT_REGION", "us-east-2")).region()).isEqualTo("eu-west-1");
        assertThat(FunctionConfig.fromEnvironment(env("AWS_REGION", null, "AWS_DEFAULT_REGION", "us-east-2")).region()).isEqualTo("us-east-2");
        assertThat(FunctionConfig.fromEnvironment(env()).ownershipLookup()).isEqualTo(FunctionConfig.OwnershipLookup.CLOUDFORMATION);
        assertThat(FunctionConfig.fromEnvironment(env("OWNERSHIP_LOOKUP", "stack-index")).ownershipLookup())
                .isEqualTo(FunctionConfig.OwnershipLookup.STACK_INDEX);
    }

    @Test
    void theScanConfigurationAppliesRemediationOnlyInRemediateMode() throws Exception {
        assertThat(FunctionConfig.fromEnvironment(env("REMEDIATE", "all")).scan().remediate()).isEmpty();
        assertThat(FunctionConfig.fromEnvironment(env("MODE", "remediate", "REMEDIATE", "trust")).scan().remediate())
                .containsExactly(RemediationClass.TRUST);
        assertThat(FunctionConfig.fromEnvironment(env("NOTIFY_ON", "always")).scan().notifyOn()).isEqualTo(ScanConfig.NotifyOn.ALWAYS);
    }

    @Test
    void tagReadsAreInBulkUnlessPerRepositoryIsAskedFor() throws Exception {
        assertThat(FunctionConfig.fromEnvironment(env()).tagReads()).isEqualTo(dev.ecroidcguard.aws.AwsInventorySource.TagReads.BULK);
        assertThat(FunctionConfig.fromEnvironment(env("TAG_READS", "per-repository")).tagReads())
                .isEqualTo(dev.ecroidcguard.aws.AwsInventorySource.TagReads.PER_REPOSITORY);
        assertThatThrownBy(() -> FunctionConfig.fromEnvironment(env("TAG_READS", "sometimes")))
                .hasMessageStartingWith("TAG_READS='sometimes' is not supported; set TAG_READS=bulk");
    }
}
