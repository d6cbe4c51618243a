package dev.ecroidcguard.lambda;

import dev.ecroidcguard.aws.AssumedRoleMembers;
import dev.ecroidcguard.aws.DynamoRunLedger;
import dev.ecroidcguard.aws.OrganizationAccounts;
import dev.ecroidcguard.aws.SqsWorkQueue;
import dev.ecroidcguard.cli.CloudFormationYaml;
import dev.ecroidcguard.cli.CloudFormationYaml.Intrinsic;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The organization run in template.yaml (present only with targets, so the single-account stack is unchanged) and
 * member-role.yaml (read-only unless its Remediate says otherwise, then bounded exactly as the hub's own role).
 */
class OrganizationTemplateTest {

    static final Set<String> ORGANIZATION_RESOURCES = Set.of("OrganizationFunction", "OrganizationScheduleRule", "OrganizationSchedulePermission",
            "OrganizationWorkQueue", "OrganizationDeadLetterQueue", "OrganizationWorkMapping", "OrganizationRunTable");
    

    @SuppressWarnings("unchecked")
    static Map<String, Object> resources(Map<String, Object> template) {
        return (Map<String, Object>) template.get("Resources");
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> properties(Map<String, Object> template, String resource) {
        return (Map<String, Object>) ((Map<String, Object>) resources(template).get(resource)).get("Properties");
    }

    static Map<String, Object> memberTemplate() throws Exception {
        return CloudFormationYaml.parse(Files.readString(Path.of("member-role.yaml")));
    }

    @Test
    @SuppressWarnings("unchecked")
    void everyOrganizationResourceExistsOnlyWithTargets() throws Exception {
        Map<String, Object> template = TemplateTest.template();
        resources(template).forEach((name, resource) -> {
            if (name.startsWith("Organization")) {
                assertThat(ORGANIZATION_RESOURCES).as("a new organization resource is listed here").contains(name);
            }
        });
        for (String name : ORGANIZATION_RESOURCES) {
            assertThat((Map<String, Object>) resources(template).get(name)).as(name).containsEntry("Condition", "ScansOrganization");
        }
        assertThat(new TemplateTest.Evaluation(template, Map.of()).condition("ScansOrganization")).isFalse();
        assertThat(new TemplateTest.Evaluation(template, Map.of("TargetAccounts", "111111111111")).condition("ScansOrganization")).isTrue();
        assertThat(new TemplateTest.Evaluation(template, Map.of("TargetOrganization", "all")).condition("ScansOrganization")).isTrue();
        assertThat(new TemplateTest.Evaluation(template, Map.of("TargetAccounts", "111111111111")).condition("DiscoversOrganization")).isFalse();
        for (String name : List.of("MemberEventsBusPolicy", "MemberEventsRule", "MemberEventsPermission")) {
            assertThat((Map<String, Object>) resources(template).get(name)).as(name).containsEntry("Condition", "ReceivesMemberEvents");
        }
        assertThat(new TemplateTest.Evaluation(template, Map.of("OrganizationId", "o-abcdefghij")).condition("ReceivesMemberEvents"))
                .as("the bus admits the organization only for an organization run").isFalse();
        assertThat(new TemplateTest.Evaluation(template, Map.of("OrganizationId", "o-abcdefghij", "TargetOrganization", "all"))
                .condition("ReceivesMemberEvents")).isTrue();
    }

    /** The bus admits the organization only; member events go to the organization function, the hub's own to ScanFunction. */
    @Test
    @SuppressWarnings("unchecked")
    void memberEventsReachOnlyTheOrganizationFunction() throws Exception {
        Map<String, Object> template = TemplateTest.template();
        Map<String, Object> statement = (Map<String, Object>) properties(template, "MemberEventsBusPolicy").get("Statement");
        assertThat(statement).containsEntry("Action", "events:PutEvents")
                .containsEntry("Condition", Map.of("StringEquals", Map.of("aws:PrincipalOrgID", new Intrinsic("Ref", "OrganizationId"))));
        Map<String, Object> member = (Map<String, Object>) properties(template, "MemberEventsRule").get("EventPattern");
        assertThat(member.get("account")).isEqualTo(List.of(Map.of("anything-but", new Intrinsic("Ref", "AWS::AccountId"))));
        Set<String> names = new TreeSet<>(EventRouting.ECR_EVENTS);
        names.addAll(EventRouting.IAM_EVENTS);
        assertThat((List<String>) ((Map<String, Object>) member.get("detail")).get("eventName")).containsExactlyInAnyOrderElementsOf(names);
        Map<String, Object> own = (Map<String, Object>) ((Map<String, Object>) ((Map<String, Object>) ((Map<String, Object>) properties(template,
                "ScanFunction").get("Events")).get("EcrApiCalls")).get("Properties")).get("Pattern");
        assertThat(own.get("account")).isEqualTo(List.of(new Intrinsic("Ref", "AWS::AccountId")));
        assertThat(((Map<String, Object>) properties(template, "IamApiCallsRule").get("EventPattern")).get("account"))
                .isEqualTo(List.of(new Intrinsic("Ref", "AWS::AccountId")));
    }

    /** Targets add exactly what the fan-out calls (and the event source mapping's receive); Organizations only when it is a source. */
    @Test
    void targetsGrantTheFanOutAndOrganizationsOnlyWhenItIsASource() throws Exception {
        Set<String> explicit = new TreeSet<>(TemplateTest.ALWAYS);
        explicit.addAll(AssumedRoleMembers.REQUIRED_PERMISSIONS);
        explicit.addAll(SqsWorkQueue.REQUIRED_PERMISSIONS);
        explicit.addAll(DynamoRunLedger.REQUIRED_PERMISSIONS);
        explicit.addAll(TemplateTest.EVENT_SOURCE_MAPPING);
        assertThat(TemplateTest.actions(Map.of("TargetAccounts", "111111111111,222222222222"))).isEqualTo(explicit);
        Set<String> discovered = new TreeSet<>(explicit);
        discovered.addAll(OrganizationAccounts.REQUIRED_PERMISSIONS);
        assertThat(TemplateTest.actions(Map.of("TargetOrganization", "ou-ab12-cdefgh34"))).isEqualTo(discovered);
        // The queue's calls on the work queue only (SendMessage also on the on-failure queue, as without targets).
        assertThat(TemplateTest.grants(TemplateTest.WIDEST)).filteredOn(g -> g.action().startsWith("sqs:")).allSatisfy(g ->
                assertThat(g.resource()).isIn(new Intrinsic("GetAtt", "OrganizationWorkQueue.Arn"), new Intrinsic("GetAtt", "FailedInvocationQueue.Arn")));
        // The run ledger's calls: UpdateItem and GetItem on the run table only (PutItem and Query also on the finding state).
        assertThat(TemplateTest.grants(TemplateTest.WIDEST)).filteredOn(g -> g.action().equals("dynamodb:UpdateItem") || g.action().equals("dynamodb:GetItem"))
                .hasSize(2).allSatisfy(g -> assertThat(g.resource()).isEqualTo(new Intrinsic("GetAtt", "OrganizationRunTable.Arn")));
        // The member role, by name, in any account: nothing else can be assumed.
        assertThat(TemplateTest.grants(TemplateTest.WIDEST)).filteredOn(g -> g.action().equals("sts:AssumeRole")).singleElement()
                .satisfies(g -> assertThat(g.resource()).isEqualTo(new Intrinsic("Sub", "arn:${AWS::Partition}:iam::*:role/${MemberRoleName}")));
    }

    @Test
    @SuppressWarnings("unchecked")
    void theWorkersTakeBatchesWithPartialFailuresBoundedConcurrencyAndADeadLetterQueue() throws Exception {
        Map<String, Object> template = TemplateTest.template();
        Map<String, Object> mapping = properties(template, "OrganizationWorkMapping");
        assertThat(mapping).containsEntry("FunctionResponseTypes", List.of("ReportBatchItemFailures"))
                .containsEntry("EventSourceArn", new Intrinsic("GetAtt", "OrganizationWorkQueue.Arn"))
                .containsEntry("FunctionName", new Intrinsic("Ref", "OrganizationFunction"));
        assertThat((Map<String, Object>) mapping.get("ScalingConfig")).containsEntry("MaximumConcurrency", new Intrinsic("Ref", "MaximumConcurrency"));
        Map<String, Object> queue = properties(template, "OrganizationWorkQueue");
        assertThat((Map<String, Object>) queue.get("RedrivePolicy")).containsEntry("deadLetterTargetArn",
                new Intrinsic("GetAtt", "OrganizationDeadLetterQueue.Arn"));
        int timeout = Integer.parseInt(String.valueOf(properties(template, "OrganizationFunction").get("Timeout")));
        // The run table as DynamoRunLedger and OrganizationAgainstMotoTest use it: run id, unit id, items that expire.
        Map<String, Object> runs = properties(template, "OrganizationRunTable");
        assertThat((List<Object>) runs.get("KeySchema")).isEqualTo(List.of(Map.of("AttributeName", "runId", "KeyType", "HASH"),
                Map.of("AttributeName", "unitId", "KeyType", "RANGE")));
        assertThat((Map<String, Object>) runs.get("TimeToLiveSpecification")).containsEntry("AttributeName", "expiresAt");
        assertThat(Integer.parseInt(String.valueOf(queue.get("VisibilityTimeout")))).as("six function timeouts").isGreaterThanOrEqualTo(6 * timeout);

        Map<String, Object> function = properties(template, "OrganizationFunction");
        assertThat(function.get("Handler")).isEqualTo(OrganizationHandler.class.getName() + "::handleRequest");
        assertThat(function.get("Role")).isEqualTo(properties(template, "ScanFunction").get("Role"));
        Map<String, Object> variables = (Map<String, Object>) ((Map<String, Object>) function.get("Environment")).get("Variables");
        Map<String, Object> scanVariables = (Map<String, Object>) ((Map<String, Object>) properties(template, "ScanFunction").get("Environment")).get("Variables");
        assertThat(variables).containsAllEntriesOf(scanVariables).containsEntry("TARGET_ACCOUNTS", new Intrinsic("Ref", "TargetAccounts"))
                .containsEntry("TARGET_ORGANIZATION", new Intrinsic("Ref", "TargetOrganization"))
                .containsEntry("TARGET_REGIONS", new Intrinsic("Ref", "TargetRegions"))
                .containsEntry("MEMBER_ROLE_NAME", new Intrinsic("Ref", "MemberRoleName"))
                .containsEntry("MEMBER_EXTERNAL_ID", new Intrinsic("Ref", "MemberExternalId"))
                .containsEntry("WORK_QUEUE_URL", new Intrinsic("Ref", "OrganizationWorkQueue"))
                .containsEntry("RUN_TABLE", new Intrinsic("Ref", "OrganizationRunTable"))
                .containsEntry("REPOSITORIES_PER_INVOCATION", new Intrinsic("Ref", "RepositoriesPerInvocation"));
        // The worker's idea of a message's last delivery is the queue's.
        assertThat(String.valueOf(variables.get("WORK_MAX_RECEIVES"))).isEqualTo(String.valueOf(((Map<String, Object>) queue.get("RedrivePolicy"))
                .get("maxReceiveCount")));
        assertThat(TemplateDeployTest.parameter("RepositoriesPerInvocation").get("Default").toString())
                .isEqualTo(Integer.toString(OrganizationConfig.DEFAULT_REPOSITORIES_PER_INVOCATION));
        assertThat(TemplateDeployTest.parameter("MemberRoleName").get("Default")).isEqualTo(OrganizationConfig.DEFAULT_MEMBER_ROLE_NAME);
        assertThat(Files.readString(Path.of("Makefile"))).contains("build-OrganizationFunction");
    }

    /** The member role's grants for the given parameters (HubRoleArn given, the others at their defaults). */
    @SuppressWarnings("unchecked")
    static List<TemplateTest.Grant> memberGrants(Map<String, String> parameters) throws Exception {
        Map<String, Object> template = memberTemplate();
        Map<String, String> all = new HashMap<>(Map.of("HubRoleArn", "arn:aws:iam::123456789012:role/hub"));
        all.putAll(parameters);
        TemplateTest.Evaluation evaluation = new TemplateTest.Evaluation(template, all);
        List<TemplateTest.Grant> grants = new ArrayList<>();
        for (Object item : (List<Object>) properties(template, "MemberRole").get("Policies")) {
            Map<String, Object> policy = (Map<String, Object>) evaluation.resolveIf(item);
            if (policy == null) {
                continue;
            }
            for (Map<String, Object> statement : (List<Map<String, Object>>) ((Map<String, Object>) policy.get("PolicyDocument")).get("Statement")) {
                for (String action : TemplateTest.<String>list(statement.get("Action"))) {
                    for (Object resource : TemplateTest.list(statement.get("Resource"))) {
                        grants.add(new TemplateTest.Grant(action, resource));
                    }
                }
            }
        }
        return grants;
    }

    @Test
    void theMemberRoleReadsOnlyByDefaultAndWritesExactlyAsTheHubWhenRemediateSaysSo() throws Exception {
        Set<String> reads = new TreeSet<>();
        memberGrants(Map.of()).forEach(g -> reads.add(g.action()));
        Set<String> hubReads = new TreeSet<>(TemplateTest.ALWAYS);
        hubReads.removeAll(TemplateTest.PLATFORM);
        hubReads.remove("sns:Publish"); // the hub publishes, with its own role
        hubReads.removeAll(HUB_ONLY);
        assertThat(reads).isEqualTo(hubReads).allSatisfy(a -> assertThat(TemplateTest.isRead(a)).as(a).isTrue());

        // The remediation policies are the hub's, item for item (conditions and tag bounds included), so what
        // TemplateIamBoundsTest proves of the hub's role holds for the member role; each class grants what the hub's does.
        assertThat(policyItems(memberTemplate(), "MemberRole").subList(1, 5))
                .isEqualTo(policyItems(TemplateTest.template(), "ScanFunctionRole").stream()
                        .filter(item -> Intrinsic.of(item).filter(i -> i.function().equals("If")
                                && TemplateTest.list(i.argument()).getFirst().toString().startsWith("Remediates")).isPresent()).toList());
        for (String cls : List.of("all", "missing-role", "trust", "permissions", "repository-policy")) {
            assertThat(writes(memberGrants(Map.of("Remediate", cls)))).as(cls).isNotEmpty()
                    .isEqualTo(writes(TemplateTest.grants(Map.of("Mode", "remediate", "Remediate", cls))));
        }
    }

    /**
     * Security Hub takes a custom integration's findings only from the account they are about: with its SecurityHub
     * parameter on, the member role may import under this account's own default product and resolve the workflow of
     * findings on this account's own hub, in any region (the role is global and serves every target region), and
     * nothing else; off (the default), not at all.
     */
    @Test
    void theMemberRoleImportsAndResolvesFindingsOnlyInItsOwnAccountAndOnlyWhenSecurityHubIsOn() throws Exception {
        assertThat(memberGrants(Map.of())).extracting(TemplateTest.Grant::action).noneMatch(a -> a.startsWith("securityhub:"));
        assertThat(memberGrants(Map.of("SecurityHub", "on"))).filteredOn(g -> g.action().startsWith("securityhub:")).containsExactly(
                new TemplateTest.Grant("securityhub:BatchImportFindings",
                        new Intrinsic("Sub", "arn:${AWS::Partition}:securityhub:*:${AWS::AccountId}:product/${AWS::AccountId}/default")),
                new TemplateTest.Grant("securityhub:BatchUpdateFindings",
                        new Intrinsic("Sub", "arn:${AWS::Partition}:securityhub:*:${AWS::AccountId}:hub/default")));
        assertThat(memberGrants(Map.of("SecurityHub", "on", "Remediate", "all")).stream().map(TemplateTest.Grant::action)
                .filter(a -> a.startsWith("securityhub:"))).as("the import and the workflow update are the only Security Hub actions, whatever Remediate says")
                .containsExactly("securityhub:BatchImportFindings", "securityhub:BatchUpdateFindings");
    }

    /**
     * The finding state is the hub's one table, used with the hub's role; Security Hub is filed by each account under its
     * own product (the member role's grant is checked above), so it is not among the reads every member role has.
     */
    static final Set<String> HUB_ONLY = Set.of("dynamodb:PutItem", "dynamodb:Query", "dynamodb:UpdateItem", "securityhub:BatchImportFindings",
            "securityhub:BatchUpdateFindings");

    @SuppressWarnings("unchecked")
    static List<Object> policyItems(Map<String, Object> template, String role) {
        return (List<Object>) properties(template, role).get("Policies");
    }

    static Set<String> writes(List<TemplateTest.Grant> grants) {
        Set<String> out = new TreeSet<>();
        grants.stream().map(TemplateTest.Grant::action)
                .filter(a -> !TemplateTest.isRead(a) && !TemplateTest.PLATFORM.contains(a) && !a.equals("sns:Publish") && !HUB_ONLY.contains(a))
                .forEach(out::add);
        return out;
    }

    @Test
    @SuppressWarnings("unchecked")
    void theMemberRoleTrustsOnlyTheHubsRoleWithTheExternalIdAndOrganization() throws Exception {
        Map<String, Object> template = memberTemplate();
        Map<String, Object> trust = (Map<String, Object>) properties(template, "MemberRole").get("AssumeRolePolicyDocument");
        Map<String, Object> statement = ((List<Map<String, Object>>) trust.get("Statement")).getFirst();
        assertThat((List<Object>) trust.get("Statement")).hasSize(1);
        assertThat(statement).containsEntry("Effect", "Allow").containsEntry("Action", "sts:AssumeRole")
                .containsEntry("Principal", Map.of("AWS", new Intrinsic("Ref", "HubRoleArn")));
        Map<String, String> base = Map.of("HubRoleArn", "arn:aws:iam::123456789012:role/hub");
        assertThat(new TemplateTest.Evaluation(template, base).resolveIf(statement.get("Condition"))).as("no external id, no organization").isNull();
        Map<String, String> both = new HashMap<>(base);
        both.putAll(Map.of("ExternalId", "x-1", "OrganizationId", "o-abcdefghij"));
        Map<String, Object> condition = (Map<String, Object>) new TemplateTest.Evaluation(template, both).resolveIf(statement.get("Condition"));
        assertThat((Map<String, Object>) condition.get("StringEquals")).containsOnlyKeys("sts:ExternalId", "aws:PrincipalOrgID");
        // The role is global: one region of a StackSet creates it; the forwarding rules exist only with a hub bus.
        assertThat((Map<String, Object>) resources(template).get("MemberRole")).containsEntry("Condition", "CreatesRole");
        assertThat(new TemplateTest.Evaluation(template, base).condition("ForwardsEvents")).isFalse();
    }

    /** The member accounts forward exactly the CloudTrail events the router scans on. */
    @Test
    @SuppressWarnings("unchecked")
    void theMemberForwardingRulesCarryTheRoutersEventNames() throws Exception {
        Map<String, Object> template = memberTemplate();
        Map<String, Object> ecr = (Map<String, Object>) properties(template, "ForwardEcrEvents").get("EventPattern");
        assertThat((List<String>) ((Map<String, Object>) ecr.get("detail")).get("eventName")).containsExactlyInAnyOrderElementsOf(EventRouting.ECR_EVENTS);
        Map<String, Object> iam = (Map<String, Object>) properties(template, "ForwardIamEvents").get("EventPattern");
        assertThat((List<String>) ((Map<String, Object>) iam.get("detail")).get("eventName")).containsExactlyInAnyOrderElementsOf(EventRouting.IAM_EVENTS);
        assertThat((Map<String, Object>) resources(template).get("ForwardIamEvents")).containsEntry("Condition", "ForwardsIamEvents");
    }
}
