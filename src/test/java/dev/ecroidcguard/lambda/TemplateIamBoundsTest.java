package dev.ecroidcguard.lambda;

import dev.ecroidcguard.cli.CloudFormationYaml.Intrinsic;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Evaluates the execution role's statements (template.yaml, default parameters, account 123456789012) on the
 * requests a compromised or buggy function could make, the way IAM does for Allow statements: action, resource
 * and every condition must match. Only the condition operators the template uses are known; another one fails
 * the test rather than being guessed.
 */
class TemplateIamBoundsTest {

    static final String ACCOUNT = "123456789012";
    static final String ROLE_PREFIX = "arn:aws:iam::" + ACCOUNT + ":role/github-actions-";

    /** One API request: the action, the resource ARN and the request's condition keys. */
    record Request(String action, String resource, Map<String, String> context) {
    }

    @Test
    void awsManagedPoliciesCanNeverBeAttached() throws Exception {
        assertThat(allowed(new Request("iam:AttachRolePolicy", ROLE_PREFIX + "web-api",
                Map.of("iam:PolicyARN", "arn:aws:iam::aws:policy/AdministratorAccess")))).isFalse();
        assertThat(allowed(new Request("iam:AttachRolePolicy", ROLE_PREFIX + "web-api",
                Map.of("iam:PolicyARN", "arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryPowerUser")))).isFalse();
        assertThat(allowed(new Request("iam:AttachRolePolicy", ROLE_PREFIX + "web-api",
                Map.of("iam:PolicyARN", "arn:aws:iam::999999999999:policy/their-admin")))).isFalse();
        // Restoring a backup of this account's own policy is what the permission is for.
        assertThat(allowed(new Request("iam:AttachRolePolicy", ROLE_PREFIX + "web-api",
                Map.of("iam:PolicyARN", "arn:aws:iam::" + ACCOUNT + ":policy/ecr-push-pull", "aws:ResourceTag/managed-by", "ecr-oidc-guard"))))
                .isTrue();
        // ... and only on a role the guard created or a person adopted.
        assertThat(allowed(new Request("iam:AttachRolePolicy", ROLE_PREFIX + "web-api",
                Map.of("iam:PolicyARN", "arn:aws:iam::" + ACCOUNT + ":policy/ecr-push-pull")))).isFalse();
    }

    /** Issue 12, problem 4: a role merely named like ours (no managed-by=ecr-oidc-guard tag) cannot be written at all. */
    @Test
    void rolesNotTaggedAsTheGuardsOwnCannotBeWritten() throws Exception {
        for (String action : List.of("iam:UpdateAssumeRolePolicy", "iam:PutRolePolicy", "iam:DeleteRolePolicy", "iam:DetachRolePolicy",
                "iam:DeleteRole")) {
            assertThat(allowed(new Request(action, ROLE_PREFIX + "terraform", Map.of()))).as(action + " untagged").isFalse();
            assertThat(allowed(new Request(action, ROLE_PREFIX + "terraform", Map.of("aws:ResourceTag/managed-by", "terraform"))))
                    .as(action + " tagged by someone else").isFalse();
            assertThat(allowed(new Request(action, ROLE_PREFIX + "terraform", Map.of("aws:ResourceTag/managed-by", "ecr-oidc-guard"))))
                    .as(action + " ours").isTrue();
        }
    }

    @Test
    void rolesAreCreatedOnlyUnderThePrefixAndTaggedAsTheFunctionsOwn() throws Exception {
        Map<String, String> ownTag = Map.of("aws:RequestTag/managed-by", "ecr-oidc-guard");
        assertThat(allowed(new Request("iam:CreateRole", ROLE_PREFIX + "frontend", ownTag))).isTrue();
        assertThat(allowed(new Request("iam:TagRole", ROLE_PREFIX + "frontend", ownTag))).isTrue();
        assertThat(allowed(new Request("iam:CreateRole", ROLE_PREFIX + "frontend", Map.of()))).isFalse();
        assertThat(allowed(new Request("iam:CreateRole", ROLE_PREFIX + "frontend", Map.of("aws:RequestTag/managed-by", "someone")))).isFalse();
        assertThat(allowed(new Request("iam:CreateRole", "arn:aws:iam::" + ACCOUNT + ":role/Admin", ownTag))).isFalse();
    }

    @Test
    void onlyRolesTheFunctionCreatedCanBeDeleted() throws Exception {
        assertThat(allowed(new Request("iam:DeleteRole", ROLE_PREFIX + "frontend", Map.of("aws:ResourceTag/managed-by", "ecr-oidc-guard")))).isTrue();
        assertThat(allowed(new Request("iam:DeleteRole", ROLE_PREFIX + "payments", Map.of()))).isFalse();
    }

    @Test
    void noIamWriteReachesARoleOutsideThePrefix() throws Exception {
        for (String action : List.of("iam:UpdateAssumeRolePolicy", "iam:PutRolePolicy", "iam:DeleteRolePolicy", "iam:DetachRolePolicy",
                "iam:AttachRolePolicy", "iam:CreateRole", "iam:DeleteRole", "iam:TagRole", "iam:PutRolePermissionsBoundary")) {
            Map<String, String> everyKeyMatching = Map.of("iam:PolicyARN", "arn:aws:iam::" + ACCOUNT + ":policy/p",
                    "aws:RequestTag/managed-by", "ecr-oidc-guard", "aws:ResourceTag/managed-by", "ecr-oidc-guard");
            assertThat(allowed(new Request(action, "arn:aws:iam::" + ACCOUNT + ":role/OrganizationAccountAccessRole", everyKeyMatching)))
                    .as(action).isFalse();
            assertThat(allowed(new Request(action, "arn:aws:iam::" + ACCOUNT + ":role/ci/github-actions-x", everyKeyMatching)))
                    .as(action + " on a path that only contains the prefix").isFalse();
        }
    }

    boolean allowed(Request request) throws Exception {
        for (Map<String, Object> statement : statements()) {
            if (matches(statement, request)) {
                return true;
            }
        }
        return false;
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> statements() throws Exception {
        // The widest deployment (remediate, every class): the bounds must hold even there.
        Map<String, Object> template = TemplateTest.template();
        TemplateTest.Evaluation widest = new TemplateTest.Evaluation(template, TemplateTest.WIDEST);
        Map<String, Object> role = (Map<String, Object>) ((Map<String, Object>) template.get("Resources")).get("ScanFunctionRole");
        List<Map<String, Object>> statements = new ArrayList<>();
        for (Object item : (List<Object>) ((Map<String, Object>) role.get("Properties")).get("Policies")) {
            Map<String, Object> policy = (Map<String, Object>) widest.resolveIf(item);
            if (policy != null) {
                statements.addAll((List<Map<String, Object>>) ((Map<String, Object>) policy.get("PolicyDocument")).get("Statement"));
            }
        }
        return statements;
    }

    @SuppressWarnings("unchecked")
    private static boolean matches(Map<String, Object> statement, Request request) {
        assertThat(statement.get("Effect")).isEqualTo("Allow");
        boolean action = TemplateTest.<String>list(statement.get("Action")).stream().anyMatch(a -> wildcard(a, request.action()));
        boolean resource = TemplateTest.list(statement.get("Resource")).stream().anyMatch(r -> wildcard(resolve(r), request.resource()));
        if (!action || !resource) {
            return false;
        }
        Map<String, Map<String, Object>> conditions = (Map<String, Map<String, Object>>) statement.getOrDefault("Condition", Map.of());
        for (Map.Entry<String, Map<String, Object>> operator : conditions.entrySet()) {
            for (Map.Entry<String, Object> key : operator.getValue().entrySet()) {
                String actual = request.context().get(key.getKey());
                List<String> expected = TemplateTest.list(key.getValue()).stream().map(TemplateIamBoundsTest::resolve).toList();
                boolean holds = actual != null && switch (operator.getKey()) {
                    case "StringEquals" -> expected.contains(actual);
                    case "ArnLike", "StringLike" -> expected.stream().anyMatch(e -> wildcard(e, actual));
                    default -> throw new AssertionError("operator " + operator.getKey() + " is not modelled by this test");
                };
                if (!holds) {
                    return false;
                }
            }
        }
        return true;
    }

    /** A template value with the default parameters and the test account substituted; the stack's own resources by name. */
    private static String resolve(Object value) {
        if (value instanceof String s) {
            return s;
        }
        Intrinsic intrinsic = Intrinsic.of(value).orElseThrow(() -> new AssertionError("unexpected value " + value));
        if (intrinsic.function().equals("Ref") || intrinsic.function().equals("GetAtt")) {
            // Another resource of the stack (the topic, the queue): never an IAM role.
            return "stack-resource:" + intrinsic.argument();
        }
        assertThat(intrinsic.function()).as(value.toString()).isEqualTo("Sub");
        List<Object> sub = TemplateTest.list(intrinsic.argument());
        String text = ((String) sub.get(0)).replace("${AWS::Partition}", "aws").replace("${AWS::AccountId}", ACCOUNT)
                .replace("${AWS::Region}", "us-east-1")
                .replace("${MemberRoleName}", OrganizationConfig.DEFAULT_MEMBER_ROLE_NAME);
        if (sub.size() > 1) {
            assertThat(sub.get(1)).isEqualTo(Map.of("Prefix",
                    new Intrinsic("Select", List.of(0, new Intrinsic("Split", List.of("{repository}", new Intrinsic("Ref", "RoleNameTemplate")))))));
            text = text.replace("${Prefix}", "github-actions-");
        }
        text = text.replaceAll("\\$\\{([A-Za-z0-9]+)\\.Arn}", "stack-resource:$1");
        assertThat(text).as("every variable resolved").doesNotContain("${");
        return text;
    }

    /** IAM's wildcard matching: {@code *} any run of characters, {@code ?} one; case-sensitive. */
    private static boolean wildcard(String pattern, String value) {
        StringBuilder regex = new StringBuilder();
        for (char c : pattern.toCharArray()) {
            regex.append(c == '*' ? ".*" : c == '?' ? "." : Pattern.quote(String.valueOf(c)));
        }
        return value.matches(regex.toString());
    }
}
