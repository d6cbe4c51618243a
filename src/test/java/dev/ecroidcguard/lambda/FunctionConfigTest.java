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

    /** Issue 12, problem 6: the echo check compares the caller's role with the function's, not only the session name. */
    @Test
    void onlyASessionOfTheFunctionsOwnRoleNamedAfterItIsTheFunction() throws Exception {
        FunctionConfig config = FunctionConfig.fromEnvironment(env("AWS_LAMBDA_FUNCTION_NAME", "guard-Scan-1",
                "FUNCTION_ROLE_ARN", "arn:aws:iam::123456789012:role/service/guard-ScanRole-9"));

        assertThat(config.scan().isSelf("arn:aws:sts::123456789012:assumed-role/guard-ScanRole-9/guard-Scan-1")).isTrue();
        assertThat(config.scan().isSelf("arn:aws:sts::123456789012:assumed-role/Admin/guard-Scan-1")).isFalse();
        assertThat(config.scan().isSelf("arn:aws:sts::210987654321:assumed-role/guard-ScanRole-9/guard-Scan-1")).isFalse();
        assertThat(config.scan().isSelf("arn:aws:sts::123456789012:assumed-role/guard-ScanRole-9/mary")).isFalse();
        assertThat(config.scan().isSelf("arn:aws:sts::123456789012:assumed-role/guard-ScanRole-9x/guard-Scan-1")).isFalse();
        assertThat(FunctionConfig.fromEnvironment(env("AWS_LAMBDA_FUNCTION_NAME", "guard-Scan-1"))
                .scan().isSelf("arn:aws:sts::123456789012:assumed-role/guard-ScanRole-9/guard-Scan-1"))
                .as("without FUNCTION_ROLE_ARN nothing is the function's own").isFalse();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> FunctionConfig.fromEnvironment(env("FUNCTION_ROLE_ARN", "guard-ScanRole-9")))
                .hasMessageContaining("FUNCTION_ROLE_ARN");
    }

    /** In an organization run the function writes to member accounts as the member role's session named after it. */
    @Test
    void inAnOrganizationRunTheMemberRolesSessionNamedAfterTheFunctionIsTheFunctionToo() throws Exception {
        var scan = FunctionConfig.fromEnvironment(env("AWS_LAMBDA_FUNCTION_NAME", "guard-Org-1",
                "FUNCTION_ROLE_ARN", "arn:aws:iam::123456789012:role/guard-ScanRole-9")).scan();
        var org = scan.withMemberRole(new dev.ecroidcguard.application.ScanConfig.MemberRole("ecr-oidc-guard-member", java.util.Optional.empty()));

        assertThat(org.isSelf("arn:aws:sts::444455556666:assumed-role/ecr-oidc-guard-member/guard-Org-1")).isTrue();
        assertThat(org.isSelf("arn:aws:sts::123456789012:assumed-role/guard-ScanRole-9/guard-Org-1")).as("its own role still").isTrue();
        assertThat(org.isSelf("arn:aws:sts::444455556666:assumed-role/ecr-oidc-guard-member/mary")).isFalse();
        assertThat(org.isSelf("arn:aws:sts::444455556666:assumed-role/Admin/guard-Org-1")).isFalse();
        assertThat(org.isSelf("arn:aws-cn:sts::444455556666:assumed-role/ecr-oidc-guard-member/guard-Org-1")).as("another partition").isFalse();
        assertThat(scan.isSelf("arn:aws:sts::444455556666:assumed-role/ecr-oidc-guard-member/guard-Org-1"))
                .as("the single-account function has no member role").isFalse();
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
    void notifyOnChangesAndSecurityHubNeedTheFindingStateTable() throws Exception {
        assertThatThrownBy(() -> FunctionConfig.fromEnvironment(env("NOTIFY_ON", "changes")))
                .hasMessageContaining("NOTIFY_ON=changes needs FINDING_STATE_TABLE");
        assertThatThrownBy(() -> FunctionConfig.fromEnvironment(env("SECURITY_HUB", "on")))
                .hasMessageContaining("SECURITY_HUB=on needs FINDING_STATE_TABLE");
        assertThatThrownBy(() -> FunctionConfig.fromEnvironment(env("SECURITY_HUB", "yes", "FINDING_STATE_TABLE", "state")))
                .hasMessageContaining("SECURITY_HUB='yes'");
        assertThatThrownBy(() -> FunctionConfig.fromEnvironment(env("FINDING_STATE_TABLE", "no table")))
                .hasMessageContaining("FINDING_STATE_TABLE='no table'");
        assertThat(FunctionConfig.fromEnvironment(env()).fullReportBucket()).as("no full reports by default").isNull();
        assertThat(FunctionConfig.fromEnvironment(env("FULL_REPORT_BUCKET", "guard-full-reports")).fullReportBucket()).isEqualTo("guard-full-reports");
        assertThatThrownBy(() -> FunctionConfig.fromEnvironment(env("FULL_REPORT_BUCKET", "Not_A_Bucket")))
                .hasMessageContaining("FULL_REPORT_BUCKET='Not_A_Bucket' is not an S3 bucket name");
        FunctionConfig config = FunctionConfig.fromEnvironment(env("NOTIFY_ON", "changes", "FINDING_STATE_TABLE", "ecr-oidc-guard-state",
                "SECURITY_HUB", "on"));
        assertThat(config.scan().notifyOn()).isEqualTo(ScanConfig.NotifyOn.CHANGES);
        assertThat(config.findingStateTable()).isEqualTo("ecr-oidc-guard-state");
        assertThat(config.securityHub()).isTrue();
        // Without a table nothing is tracked, and the code's default stays findings.
        assertThat(FunctionConfig.fromEnvironment(env()).findingStateTable()).isNull();
        assertThat(FunctionConfig.fromEnvironment(env()).securityHub()).isFalse();
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
