package dev.ecroidcguard.lambda;

import dev.ecroidcguard.aws.AwsInventorySource;
import dev.ecroidcguard.aws.CloudFormationOwnership;
import dev.ecroidcguard.aws.DynamoFindingState;
import dev.ecroidcguard.aws.S3ReportArchive;
import dev.ecroidcguard.aws.SecurityHubImport;
import dev.ecroidcguard.aws.SnsNotifier;
import dev.ecroidcguard.cli.CloudFormationYaml;
import dev.ecroidcguard.cli.CloudFormationYaml.Intrinsic;
import dev.ecroidcguard.core.finding.RemediationClass;
import dev.ecroidcguard.remediation.Action;
import dev.ecroidcguard.remediation.Remediator;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * template.yaml's execution role grants what the code calls, and writes nothing on "*": read-only in report mode,
 * and in remediate mode the writes of exactly the enabled fix classes. The role's policies are evaluated with the
 * template's own Conditions for each Mode and each set of classes.
 */
class TemplateTest {

    /** What the platform does with the role on the function's behalf: its log group and the on-failure queue. */
    static final Set<String> PLATFORM = Set.of("logs:CreateLogStream", "logs:PutLogEvents", "sqs:SendMessage");
    static final Set<String> READ_PREFIXES = Set.of("Get", "List", "Describe");
    /** Every deployment: the inventory's reads, the report, the ownership lookup, the finding state and the platform. */
    static final Set<String> ALWAYS = always();
    /** Remediate mode with every class and Security Hub on, in one account. */
    static final Map<String, String> REMEDIATE_ALL = Map.of("Mode", "remediate", "Remediate", "all", "SecurityHub", "on");
    /** Remediate mode with every class, Security Hub on, full reports kept, auditing the whole organization: the widest the role can be. */
    static final Map<String, String> WIDEST = Map.of("Mode", "remediate", "Remediate", "all", "SecurityHub", "on", "TargetOrganization", "all",
            "FullReports", "on");
    /** What the SQS event source mapping of the organization run does with the role (no code of ours makes these calls). */
    static final Set<String> EVENT_SOURCE_MAPPING = Set.of("sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes");

    record Grant(String action, Object resource) {
    }

    private static Set<String> always() {
        Set<String> always = new TreeSet<>(PLATFORM);
        always.addAll(AwsInventorySource.REQUIRED_PERMISSIONS);
        always.addAll(SnsNotifier.REQUIRED_PERMISSIONS);
        always.addAll(CloudFormationOwnership.REQUIRED_PERMISSIONS);
        always.addAll(DynamoFindingState.REQUIRED_PERMISSIONS);
        return always;
    }

    /** What the classes declare they call (restores included). */
    static Set<String> declared(Set<RemediationClass> classes) {
        return classes.stream().flatMap(c -> Remediator.actions(c).stream()).map(Action::iamName).collect(Collectors.toCollection(TreeSet::new));
    }

    static Map<String, Object> template() throws Exception {
        return CloudFormationYaml.parse(Files.readString(Path.of("template.yaml")));
    }

    /** The role's grants when deployed with {@code parameters} (the others at their defaults). */
    @SuppressWarnings("unchecked")
    static List<Grant> grants(Map<String, String> parameters) throws Exception {
        Map<String, Object> template = template();
        Evaluation evaluation = new Evaluation(template, parameters);
        Map<String, Object> role = (Map<String, Object>) ((Map<String, Object>) template.get("Resources")).get("ScanFunctionRole");
        Map<String, Object> properties = (Map<String, Object>) role.get("Properties");
        assertThat(properties).doesNotContainKeys("ManagedPolicyArns", "PermissionsBoundary");
        List<Grant> grants = new ArrayList<>();
        for (Object item : (List<Object>) properties.get("Policies")) {
            Object resolved = evaluation.resolveIf(item);
            if (resolved == null) {
                continue;
            }
            Map<String, Object> policy = (Map<String, Object>) resolved;
            for (Map<String, Object> statement : (List<Map<String, Object>>) ((Map<String, Object>) policy.get("PolicyDocument")).get("Statement")) {
                assertThat(statement.get("Effect")).isEqualTo("Allow");
                assertThat(statement).doesNotContainKeys("NotAction", "NotResource"); // Conditions only narrow (TemplateIamBoundsTest)
                for (String action : TemplateTest.<String>list(statement.get("Action"))) {
                    for (Object resource : list(statement.get("Resource"))) {
                        grants.add(new Grant(action, resource));
                    }
                }
            }
        }
        return grants;
    }

    static Set<String> actions(Map<String, String> parameters) throws Exception {
        return grants(parameters).stream().map(Grant::action).collect(Collectors.toCollection(TreeSet::new));
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
        assertThat(grants(WIDEST)).filteredOn(g -> "*".equals(g.resource())).isNotEmpty()
                .allSatisfy(g -> assertThat(isRead(g.action())).as(g.action() + " on *").isTrue());
        assertThat(grants(WIDEST)).extracting(Grant::action).allSatisfy(a -> assertThat(a).doesNotContain("*"));
    }

    @Test
    void writesAreScopedToTheTopicTheQueueTheLogGroupAndTemplateRoles() throws Exception {
        Set<String> remediation = declared(EnumSet.allOf(RemediationClass.class));
        List<Grant> grants = grants(REMEDIATE_ALL); // the organization's grants: OrganizationTemplateTest
        // The IAM writes granted are exactly those the remediation classes declare (each scoped below): none missing, none extra.
        Set<String> iamWritesDeclared = remediation.stream().filter(a -> a.startsWith("iam:") && !isRead(a)).collect(Collectors.toCollection(TreeSet::new));
        assertThat(iamWritesDeclared).contains("iam:CreateRole", "iam:PutRolePolicy", "iam:UpdateAssumeRolePolicy");
        Set<String> iamWritesGranted = grants.stream().map(Grant::action).filter(a -> a.startsWith("iam:") && !isRead(a))
                .collect(Collectors.toCollection(TreeSet::new));
        assertThat(iamWritesGranted).isEqualTo(iamWritesDeclared);
        for (Grant g : grants) {
            if (isRead(g.action())) {
                continue;
            }
            Intrinsic resource = Intrinsic.of(g.resource()).orElseThrow(() -> new AssertionError(g + " is not scoped"));
            switch (g.action()) {
                case "sns:Publish" -> assertThat(resource).isEqualTo(new Intrinsic("Ref", "ReportTopic"));
                case "sqs:SendMessage" -> assertThat(resource).isEqualTo(new Intrinsic("GetAtt", "FailedInvocationQueue.Arn"));
                case "logs:CreateLogStream", "logs:PutLogEvents" -> assertThat(resource).isEqualTo(new Intrinsic("Sub", "${ScanLogGroup.Arn}"));
                case "dynamodb:PutItem" -> assertThat(resource).isEqualTo(new Intrinsic("GetAtt", "FindingStateTable.Arn"));
                case "dynamodb:Query" -> assertThat(resource).isEqualTo(new Intrinsic("Sub", "${FindingStateTable.Arn}/index/" + DynamoFindingState.BY_TARGET));
                case "securityhub:BatchImportFindings" -> assertThat(resource).isEqualTo(new Intrinsic("Sub",
                        "arn:${AWS::Partition}:securityhub:${AWS::Region}:${AWS::AccountId}:product/${AWS::AccountId}/default"));
                case "securityhub:BatchUpdateFindings" -> assertThat(resource).isEqualTo(new Intrinsic("Sub",
                        "arn:${AWS::Partition}:securityhub:${AWS::Region}:${AWS::AccountId}:hub/default"));
                case "ecr:SetRepositoryPolicy", "ecr:DeleteRepositoryPolicy" -> assertThat(resource).isEqualTo(
                        new Intrinsic("Sub", "arn:${AWS::Partition}:ecr:${AWS::Region}:${AWS::AccountId}:repository/*"));
                default -> {
                    assertThat(remediation).as(g.action()).contains(g.action());
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
        Map<String, Set<RemediationClass>> accepted = Map.of("all", EnumSet.allOf(RemediationClass.class), "none", Set.of(),
                "missing-role", Set.of(RemediationClass.MISSING_ROLE), "trust,permissions", Set.of(RemediationClass.TRUST, RemediationClass.PERMISSIONS),
                "missing-role,trust,permissions,repository-policy", EnumSet.allOf(RemediationClass.class));
        for (Map.Entry<String, Set<RemediationClass>> ok : accepted.entrySet()) {
            assertThat(ok.getKey()).matches(pattern);
            assertThat(FunctionConfig.remediationClasses(ok.getKey())).isEqualTo(ok.getValue());
        }
        assertThat("trust,").doesNotMatch(pattern);
        assertThat("everything").doesNotMatch(pattern);

        Map<String, Object> function = (Map<String, Object>) ((Map<String, Object>) template().get("Resources")).get("ScanFunction");
        Map<String, Object> variables = (Map<String, Object>) ((Map<String, Object>) ((Map<String, Object>) function.get("Properties"))
                .get("Environment")).get("Variables");
        assertThat(variables).containsEntry("MODE", new Intrinsic("Ref", "Mode")).containsEntry("REMEDIATE", new Intrinsic("Ref", "Remediate"))
                .containsEntry("IAC_OWNER_TAGS", new Intrinsic("Ref", "IacOwnerTags"));
    }

    /**
     * Report mode deploys read-only, whatever Remediate says: the function could not write to the account's roles or
     * repositories if it tried (its only writes are its report, its log and its own finding-state table).
     */
    @Test
    void reportModeGrantsNoWrite() throws Exception {
        for (String remediate : List.of("all", "none", "missing-role", "trust,permissions,repository-policy")) {
            assertThat(actions(Map.of("Mode", "report", "Remediate", remediate))).as("Mode=report, Remediate=" + remediate).isEqualTo(ALWAYS);
        }
    }

    /**
     * Remediate mode grants exactly the actions the enabled classes declare: checked for each of the 16 sets of
     * classes (as the comma list, in both orders), and for all and none.
     */
    @Test
    void remediateModeGrantsExactlyTheEnabledClassesDeclaredActions() throws Exception {
        List<RemediationClass> classes = List.of(RemediationClass.values());
        for (int mask = 0; mask < 1 << classes.size(); mask++) {
            Set<RemediationClass> enabled = EnumSet.noneOf(RemediationClass.class);
            for (int i = 0; i < classes.size(); i++) {
                if ((mask & 1 << i) != 0) {
                    enabled.add(classes.get(i));
                }
            }
            Set<String> expected = new TreeSet<>(ALWAYS);
            expected.addAll(declared(enabled));
            List<String> names = enabled.stream().map(RemediationClass::configName).toList();
            List<String> values = enabled.isEmpty() ? List.of("none")
                    : List.of(String.join(",", names), String.join(",", names.reversed()));
            for (String remediate : values) {
                assertThat(actions(Map.of("Mode", "remediate", "Remediate", remediate))).as("Remediate=" + remediate).isEqualTo(expected);
            }
        }
        Set<String> all = new TreeSet<>(ALWAYS);
        all.addAll(declared(EnumSet.allOf(RemediationClass.class)));
        all.addAll(SecurityHubImport.REQUIRED_PERMISSIONS);
        assertThat(actions(REMEDIATE_ALL)).isEqualTo(all);
        // Each class adds writes of its own: none of them is granted by accident through another.
        for (RemediationClass cls : RemediationClass.values()) {
            assertThat(declared(Set.of(cls))).as(cls.configName()).isNotEmpty().noneMatch(TemplateTest::isRead);
        }
    }

    /**
     * FullReports=on adds the bucket (encrypted, public access blocked, TLS only, objects expiring) and one write: PutObject
     * under the bucket's reports/ prefix, the key S3ReportArchive writes; off (the default) adds neither.
     */
    @Test
    @SuppressWarnings("unchecked")
    void fullReportsAddOnlyTheirBucketAndOnePutObjectGrant() throws Exception {
        assertThat(actions(Map.of())).noneMatch(a -> a.startsWith("s3:"));
        assertThat(grants(Map.of("FullReports", "on"))).filteredOn(g -> g.action().startsWith("s3:")).singleElement()
                .isEqualTo(new Grant("s3:PutObject", new Intrinsic("Sub", "${FullReportBucket.Arn}/reports/*")));
        assertThat(S3ReportArchive.REQUIRED_PERMISSIONS).containsExactly("s3:PutObject");
        Map<String, Object> template = template();
        assertThat(new Evaluation(template, Map.of()).condition("StoresFullReports")).isFalse();
        assertThat(new Evaluation(template, Map.of("FullReports", "on")).condition("StoresFullReports")).isTrue();

        Map<String, Object> resources = (Map<String, Object>) template.get("Resources");
        Map<String, Object> bucket = (Map<String, Object>) resources.get("FullReportBucket");
        assertThat(bucket).containsEntry("Type", "AWS::S3::Bucket").containsEntry("Condition", "StoresFullReports");
        Map<String, Object> properties = (Map<String, Object>) bucket.get("Properties");
        assertThat(properties.get("PublicAccessBlockConfiguration")).isEqualTo(Map.of("BlockPublicAcls", true, "BlockPublicPolicy", true,
                "IgnorePublicAcls", true, "RestrictPublicBuckets", true));
        assertThat(properties.get("BucketEncryption")).isEqualTo(Map.of("ServerSideEncryptionConfiguration",
                List.of(Map.of("ServerSideEncryptionByDefault", Map.of("SSEAlgorithm", "AES256")))));
        List<Map<String, Object>> rules = (List<Map<String, Object>>) ((Map<String, Object>) properties.get("LifecycleConfiguration")).get("Rules");
        assertThat(rules).singleElement().satisfies(rule -> {
            assertThat(rule).containsEntry("Status", "Enabled");
            assertThat(rule.get("ExpirationInDays")).isEqualTo(new Intrinsic("Ref", "FullReportRetentionDays"));
        });
        Map<String, Object> policy = (Map<String, Object>) resources.get("FullReportBucketPolicy");
        assertThat(policy).containsEntry("Condition", "StoresFullReports");
        assertThat(((Map<String, Object>) ((Map<String, Object>) policy.get("Properties")).get("PolicyDocument")).get("Statement"))
                .asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.LIST).singleElement()
                .satisfies(st -> assertThat((Map<String, Object>) st).containsEntry("Effect", "Deny")
                        .containsEntry("Condition", Map.of("Bool", Map.of("aws:SecureTransport", "false"))));

        Map<String, Object> variables = (Map<String, Object>) ((Map<String, Object>) ((Map<String, Object>) ((Map<String, Object>)
                resources.get("ScanFunction")).get("Properties")).get("Environment")).get("Variables");
        assertThat(variables.get("FULL_REPORT_BUCKET")).isEqualTo(new Intrinsic("If",
                List.of("StoresFullReports", new Intrinsic("Ref", "FullReportBucket"), "")));
    }

    /**
     * The optional integrations' layers come exactly when their variables are set: both functions attach
     * SecurityHubLayer under FilesInSecurityHub (which sets SECURITY_HUB to the same parameter) and FullReportsLayer
     * under StoresFullReports (which sets FULL_REPORT_BUCKET), each layer exists only then, and the Makefile builds it.
     * LocalInvoke.packageClasspath relies on this pairing to run a package as Lambda would.
     */
    @Test
    @SuppressWarnings("unchecked")
    void theOptionalIntegrationsLayersComeWithTheirVariables() throws Exception {
        Map<String, Object> resources = (Map<String, Object>) template().get("Resources");
        for (String function : List.of("ScanFunction", "OrganizationFunction")) {
            Map<String, Object> properties = (Map<String, Object>) ((Map<String, Object>) resources.get(function)).get("Properties");
            assertThat((List<Object>) properties.get("Layers")).as(function).containsExactly(
                    new Intrinsic("If", List.of("FilesInSecurityHub", new Intrinsic("Ref", "SecurityHubLayer"), new Intrinsic("Ref", "AWS::NoValue"))),
                    new Intrinsic("If", List.of("StoresFullReports", new Intrinsic("Ref", "FullReportsLayer"), new Intrinsic("Ref", "AWS::NoValue"))));
            Map<String, Object> variables = (Map<String, Object>) ((Map<String, Object>) properties.get("Environment")).get("Variables");
            assertThat(variables.get("SECURITY_HUB")).as(function).isEqualTo(new Intrinsic("Ref", "SecurityHub"));
            assertThat(variables.get("FULL_REPORT_BUCKET")).as(function).isEqualTo(new Intrinsic("If",
                    List.of("StoresFullReports", new Intrinsic("Ref", "FullReportBucket"), "")));
        }
        Map<String, Object> template = template();
        assertThat(new Evaluation(template, Map.of("SecurityHub", "on")).condition("FilesInSecurityHub")).isTrue();
        assertThat(new Evaluation(template, Map.of()).condition("FilesInSecurityHub")).isFalse();
        String makefile = java.nio.file.Files.readString(java.nio.file.Path.of("Makefile"));
        for (Map.Entry<String, String> layer : Map.of("SecurityHubLayer", "FilesInSecurityHub", "FullReportsLayer", "StoresFullReports").entrySet()) {
            Map<String, Object> resource = (Map<String, Object>) resources.get(layer.getKey());
            assertThat(resource).containsEntry("Type", "AWS::Serverless::LayerVersion").containsEntry("Condition", layer.getValue())
                    .containsEntry("Metadata", Map.of("BuildMethod", "makefile"));
            assertThat(makefile).contains("build-" + layer.getKey());
        }
    }

    /** The rules deliver exactly the CloudTrail events the router scans on: EventRouting's lists are the one source. */
    @Test
    @SuppressWarnings("unchecked")
    void theEventRulesMatchTheRoutersEventNames() throws Exception {
        Map<String, Object> resources = (Map<String, Object>) template().get("Resources");
        Map<String, Object> function = (Map<String, Object>) ((Map<String, Object>) resources.get("ScanFunction")).get("Properties");
        Map<String, Object> ecrRule = (Map<String, Object>) ((Map<String, Object>) ((Map<String, Object>) function.get("Events")).get("EcrApiCalls"))
                .get("Properties");
        Map<String, Object> ecrPattern = (Map<String, Object>) ecrRule.get("Pattern");
        assertThat(ecrPattern.get("source")).isEqualTo(List.of("aws.ecr"));
        assertThat((List<String>) ((Map<String, Object>) ecrPattern.get("detail")).get("eventName"))
                .doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(EventRouting.ECR_EVENTS);

        Map<String, Object> iamPattern = (Map<String, Object>) ((Map<String, Object>) ((Map<String, Object>) resources.get("IamApiCallsRule"))
                .get("Properties")).get("EventPattern");
        assertThat(iamPattern.get("source")).isEqualTo(List.of("aws.iam"));
        assertThat((List<String>) ((Map<String, Object>) iamPattern.get("detail")).get("eventName"))
                .doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(EventRouting.IAM_EVENTS);
    }

    /** The template's Conditions and Fn::If, evaluated for given parameters (the others at their defaults). */
    static final class Evaluation {

        private static final Object NO_VALUE = new Object();

        private final Map<String, Object> conditions;
        private final Map<String, String> parameters = new HashMap<>();

        @SuppressWarnings("unchecked")
        Evaluation(Map<String, Object> template, Map<String, String> parameters) {
            this.conditions = (Map<String, Object>) template.get("Conditions");
            ((Map<String, Map<String, Object>>) template.get("Parameters")).forEach((name, p) -> {
                if (p.get("Default") != null) {
                    this.parameters.put(name, String.valueOf(p.get("Default")));
                }
            });
            this.parameters.put("AWS::Region", "us-east-1");
            this.parameters.putAll(parameters);
        }

        /** {@code item} with a top-level Fn::If resolved; null when it resolves to AWS::NoValue. */
        Object resolveIf(Object item) {
            Object value = Intrinsic.of(item).filter(i -> i.function().equals("If")).map(i -> {
                List<Object> args = list(i.argument());
                return condition((String) args.get(0)) ? args.get(1) : args.get(2);
            }).orElse(item);
            return value(value) == NO_VALUE ? null : value;
        }

        boolean condition(String name) {
            assertThat(conditions).as("condition " + name).containsKey(name);
            return truth(conditions.get(name));
        }

        private boolean truth(Object expression) {
            if (expression instanceof Map<?, ?> m && m.size() == 1 && m.get("Condition") instanceof String name) {
                return condition(name);
            }
            Intrinsic i = Intrinsic.of(expression).orElseThrow(() -> new AssertionError("not a condition: " + expression));
            List<Object> args = list(i.argument());
            return switch (i.function()) {
                case "Condition" -> condition((String) i.argument());
                case "Equals" -> value(args.get(0)).equals(value(args.get(1)));
                case "Not" -> !truth(args.get(0));
                case "And" -> args.stream().allMatch(this::truth);
                case "Or" -> args.stream().anyMatch(this::truth);
                default -> throw new AssertionError("unsupported condition function " + i.function());
            };
        }

        private Object value(Object expression) {
            if (expression instanceof String || expression instanceof Number) {
                return String.valueOf(expression);
            }
            if (expression instanceof List<?> l) {
                return l.stream().map(this::value).toList();
            }
            Intrinsic i = Intrinsic.of(expression).orElse(null);
            if (i == null) {
                return expression; // a literal map (a policy): no intrinsic to evaluate at its top
            }
            List<Object> args = list(i.argument());
            return switch (i.function()) {
                case "Ref" -> i.argument().equals("AWS::NoValue") ? NO_VALUE
                        : parameters.computeIfAbsent((String) i.argument(), k -> { throw new AssertionError("no parameter " + k); });
                case "Join" -> String.join((String) args.get(0), TemplateTest.<String>list(value(args.get(1))));
                case "Split" -> Arrays.asList(((String) value(args.get(1))).split(Pattern.quote((String) args.get(0)), -1));
                case "Select" -> TemplateTest.<Object>list(value(args.get(1))).get(Integer.parseInt(String.valueOf(args.get(0))));
                default -> expression; // Sub, GetAtt: resources, not evaluated here
            };
        }
    }
}
