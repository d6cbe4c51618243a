package dev.ecroidcguard.lambda;

import dev.ecroidcguard.aws.AwsAccountWriter;
import dev.ecroidcguard.aws.AwsInventorySource;
import dev.ecroidcguard.aws.CloudFormationOwnership;
import dev.ecroidcguard.aws.SnsNotifier;
import dev.ecroidcguard.cli.CloudFormationYaml;
import dev.ecroidcguard.cli.CloudFormationYaml.Intrinsic;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/** template.yaml's execution role grants what the code calls, and writes nothing on "*". */
class TemplateTest {

    /** The writes remediation makes: IAM on template roles only, ECR repository policies on the account's repositories. */
    static final Set<String> REMEDIATION = AwsAccountWriter.REQUIRED_PERMISSIONS;
    /** What the platform does with the role on the function's behalf: its log group and the on-failure queue. */
    static final Set<String> PLATFORM = Set.of("logs:CreateLogStream", "logs:PutLogEvents", "sqs:SendMessage");
    static final Set<String> READ_PREFIXES = Set.of("Get", "List", "Describe");

    record Grant(String action, Object resource) {
    }

    static Map<String, Object> template() throws Exception {
        return CloudFormationYaml.parse(Files.readString(Path.of("template.yaml")));
    }

    @SuppressWarnings("unchecked")
    static List<Grant> grants() throws Exception {
        Map<String, Object> role = (Map<String, Object>) ((Map<String, Object>) template().get("Resources")).get("ScanFunctionRole");
        Map<String, Object> properties = (Map<String, Object>) role.get("Properties");
        assertThat(properties).doesNotContainKeys("ManagedPolicyArns", "PermissionsBoundary");
        List<Grant> grants = new ArrayList<>();
        for (Map<String, Object> policy : (List<Map<String, Object>>) properties.get("Policies")) {
            for (Map<String, Object> statement : (List<Map<String, Object>>) ((Map<String, Object>) policy.get("PolicyDocument")).get("Statement")) {
                assertThat(statement.get("Effect")).isEqualTo("Allow");
                assertThat(statement).doesNotContainKeys("NotAction", "NotResource");
                for (String action : TemplateTest.<String>list(statement.get("Action"))) {
                    for (Object resource : list(statement.get("Resource"))) {
                        grants.add(new Grant(action, resource));
                    }
                }
            }
        }
        return grants;
    }

    @SuppressWarnings("unchecked")
    static <T> List<T> list(Object value) {
        return value instanceof List<?> l ? (List<T>) l : List.of((T) value);
    }

    static boolean isRead(String action) {
        String operation = action.substring(action.indexOf(':') + 1);
        return READ_PREFIXES.stream().anyMatch(operation::startsWith);
    }

    @Test
    void onlyReadActionsAreGrantedOnEveryResource() throws Exception {
        assertThat(grants()).filteredOn(g -> "*".equals(g.resource())).isNotEmpty()
                .allSatisfy(g -> assertThat(isRead(g.action())).as(g.action() + " on *").isTrue());
        assertThat(grants()).extracting(Grant::action).allSatisfy(a -> assertThat(a).doesNotContain("*"));
    }

    @Test
    void writesAreScopedToTheTopicTheQueueTheLogGroupAndTemplateRoles() throws Exception {
        for (Grant g : grants()) {
            if (isRead(g.action())) {
                continue;
            }
            Intrinsic resource = Intrinsic.of(g.resource()).orElseThrow(() -> new AssertionError(g + " is not scoped"));
            switch (g.action()) {
                case "sns:Publish" -> assertThat(resource).isEqualTo(new Intrinsic("Ref", "ReportTopic"));
                case "sqs:SendMessage" -> assertThat(resource).isEqualTo(new Intrinsic("GetAtt", "FailedInvocationQueue.Arn"));
                case "logs:CreateLogStream", "logs:PutLogEvents" -> assertThat(resource).isEqualTo(new Intrinsic("Sub", "${ScanLogGroup.Arn}"));
                case "ecr:SetRepositoryPolicy", "ecr:DeleteRepositoryPolicy" -> assertThat(resource).isEqualTo(
                        new Intrinsic("Sub", "arn:${AWS::Partition}:ecr:${AWS::Region}:${AWS::AccountId}:repository/*"));
                default -> {
                    assertThat(REMEDIATION).as(g.action()).contains(g.action());
                    assertThat(g.action()).startsWith("iam:");
                    assertThat(resource.function()).isEqualTo("Sub");
                    List<Object> sub = list(resource.argument());
                    assertThat(sub.get(0)).isEqualTo("arn:${AWS::Partition}:iam::${AWS::AccountId}:role/${Prefix}*");
                    assertThat(sub.get(1)).isEqualTo(Map.of("Prefix",
                            new Intrinsic("Select", List.of(0, new Intrinsic("Split", List.of("{repository}", new Intrinsic("Ref", "RoleNameTemplate")))))));
                }
            }
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void roleNameTemplateMustHaveAPrefixSoTheWriteScopeIsNeverEveryRole() throws Exception {
        Map<String, Object> parameter = (Map<String, Object>) ((Map<String, Object>) template().get("Parameters")).get("RoleNameTemplate");
        String pattern = (String) parameter.get("AllowedPattern");

        assertThat("github-actions-{repository}").matches(pattern);
        assertThat("{repository}-ci").doesNotMatch(pattern);
    }

    @Test
    @SuppressWarnings("unchecked")
    void modeAndRemediateParametersReachTheFunctionWithTheIssuesDefaults() throws Exception {
        Map<String, Object> parameters = (Map<String, Object>) template().get("Parameters");
        assertThat(((Map<String, Object>) parameters.get("Mode")).get("Default")).isEqualTo("report");
        assertThat(((Map<String, Object>) parameters.get("Remediate")).get("Default")).isEqualTo("missing-role");
        assertThat(((Map<String, Object>) parameters.get("IacOwnerTags")).get("Default")).isEqualTo(FunctionConfig.DEFAULT_IAC_OWNER_TAGS);
        String pattern = (String) ((Map<String, Object>) parameters.get("Remediate")).get("AllowedPattern");
        for (String ok : List.of("all", "none", "missing-role", "trust,permissions", "missing-role,trust,permissions,repository-policy")) {
            assertThat(ok).matches(pattern);
            assertThat(dev.ecroidcguard.remediation.RemediationClass.parse(ok, "none")).isNotNull();
        }
        assertThat("trust,").doesNotMatch(pattern);
        assertThat("everything").doesNotMatch(pattern);

        Map<String, Object> function = (Map<String, Object>) ((Map<String, Object>) template().get("Resources")).get("ScanFunction");
        Map<String, Object> variables = (Map<String, Object>) ((Map<String, Object>) ((Map<String, Object>) function.get("Properties"))
                .get("Environment")).get("Variables");
        assertThat(variables).containsEntry("MODE", new Intrinsic("Ref", "Mode")).containsEntry("REMEDIATE", new Intrinsic("Ref", "Remediate"))
                .containsEntry("IAC_OWNER_TAGS", new Intrinsic("Ref", "IacOwnerTags"));
    }

    /** Exactly what the code calls: the adapters' declared permissions, plus remediation and platform. */
    @Test
    void grantsExactlyWhatTheAdaptersDeclare() throws Exception {
        Set<String> expected = new TreeSet<>(REMEDIATION);
        expected.addAll(PLATFORM);
        expected.addAll(AwsInventorySource.REQUIRED_PERMISSIONS);
        expected.addAll(SnsNotifier.REQUIRED_PERMISSIONS);
        expected.addAll(CloudFormationOwnership.REQUIRED_PERMISSIONS);
        assertThat(new TreeSet<>(grants().stream().map(Grant::action).toList())).isEqualTo(expected);
    }
}
