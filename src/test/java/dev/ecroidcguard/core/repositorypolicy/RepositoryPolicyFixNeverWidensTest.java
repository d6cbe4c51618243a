package dev.ecroidcguard.core.repositorypolicy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ecroidcguard.core.analysis.CheckOutcome;
import dev.ecroidcguard.core.finding.Finding;
import dev.ecroidcguard.core.finding.FindingCode;
import dev.ecroidcguard.core.fix.DocumentChange;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.regex.Pattern;

import static dev.ecroidcguard.core.repositorypolicy.RepositoryPolicyFixtures.*;
import static dev.ecroidcguard.testing.Generated.chance;
import static dev.ecroidcguard.testing.Generated.distinctListOf;
import static dev.ecroidcguard.testing.Generated.forAll;
import static dev.ecroidcguard.testing.Generated.listOf;
import static dev.ecroidcguard.testing.Generated.oneOf;
import static dev.ecroidcguard.testing.Generated.percentage;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * On generated repository policies: the fix never lets a (principal, action) in that the policy did not
 * already let in, and the fixed policy has no findings left except a Deny of push, which needs a person.
 * Access is judged by a deliberately small evaluator written here, independent of the production code.
 */
class RepositoryPolicyFixNeverWidensTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** A caller: the Principal-element values that name it, and the request context keys it carries. */
    record Caller(List<String> principalValues, Map<String, String> keys) {
    }

    private static Caller roleSession(String account, String roleName, String orgId) {
        String roleArn = "arn:aws:iam::" + account + ":role/" + roleName;
        return new Caller(List.of("*", account, "arn:aws:iam::" + account + ":root", roleArn,
                "arn:aws:sts::" + account + ":assumed-role/" + roleName + "/GitHubActions"),
                Map.of("aws:principalarn", roleArn, "aws:principalaccount", account, "aws:principalorgid", orgId,
                        "aws:federatedprovider", PROVIDER, "aws:sourceip", "203.0.113.7"));
    }

    private static final List<Caller> CALLERS = List.of(
            roleSession(ACCOUNT, "github-actions-web-api", "o-acme"),
            roleSession(ACCOUNT, "github-actions-payments", "o-acme"),
            roleSession(ACCOUNT, "org-ci", "o-acme"),
            roleSession(FOREIGN_ACCOUNT, "deployer", "o-other"),
            new Caller(List.of("*", ACCOUNT, "arn:aws:iam::" + ACCOUNT + ":root", "arn:aws:iam::" + ACCOUNT + ":user/alice"),
                    Map.of("aws:principalarn", "arn:aws:iam::" + ACCOUNT + ":user/alice", "aws:principalaccount", ACCOUNT,
                            "aws:sourceip", "198.51.100.1")),
            new Caller(List.of("*", "lambda.amazonaws.com"), Map.of("aws:sourcearn", "arn:aws:lambda:eu-west-1:" + FOREIGN_ACCOUNT
                    + ":function:f", "aws:sourceaccount", FOREIGN_ACCOUNT)),
            new Caller(List.of("*", PROVIDER), Map.of()),
            new Caller(List.of("*"), Map.of()));

    private static final List<String> ACTIONS = List.of("ecr:PutImage", "ecr:InitiateLayerUpload", "ecr:UploadLayerPart",
            "ecr:CompleteLayerUpload", "ecr:BatchCheckLayerAvailability", "ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer",
            "ecr:DescribeImages", "ecr:SetRepositoryPolicy", "ecr:DeleteRepository", "ecr:BatchDeleteImage", "s3:GetObject");

    @Test
    void fixNeverWidensAndLeavesOnlyWhatNeedsAPerson() {
        List<String> checked = forAll(400, RepositoryPolicyFixNeverWidensTest::policy,
                RepositoryPolicyFixNeverWidensTest::fixNeverWidensAndLeavesOnlyWhatNeedsAPerson);
        // Keeps the property honest: most generated policies must get a fix (Replace or Delete) to check.
        double fixed = percentage(checked, p -> kindOfChange(p), "Replace") + percentage(checked, p -> kindOfChange(p), "Delete");
        assertThat(fixed).as("share of generated policies whose fix is a Replace or Delete").isGreaterThanOrEqualTo(25.0);
    }

    private static String kindOfChange(String policy) {
        return RepositoryPolicyCheck.check(context(Optional.of(policy))).change().getClass().getSimpleName();
    }

    private static void fixNeverWidensAndLeavesOnlyWhatNeedsAPerson(String policy) {
        CheckOutcome<DocumentChange> outcome = RepositoryPolicyCheck.check(context(Optional.of(policy)));
        assertThat(outcome.findings()).extracting(Finding::code).doesNotContain(FindingCode.POLICY_MALFORMED);
        Optional<String> fixed = switch (outcome.change()) {
            case DocumentChange.Unchanged u -> Optional.of(policy);
            case DocumentChange.Replace r -> Optional.of(r.document());
            case DocumentChange.Delete d -> Optional.empty();
            case DocumentChange.NeedsHuman h -> Optional.of(policy);
        };
        if (outcome.change() instanceof DocumentChange.Unchanged) {
            assertThat(outcome.findings()).isEmpty();
        }
        for (Caller caller : CALLERS) {
            for (String action : ACTIONS) {
                boolean after = fixed.map(text -> allows(text, caller, action)).orElse(false);
                if (after) {
                    assertThat(allows(policy, caller, action))
                            .as("%s may %s after the fix but not before", caller.principalValues(), action).isTrue();
                }
            }
        }
        List<FindingCode> remaining = fixed.map(text -> RepositoryPolicyCheck.check(context(Optional.of(text))).findings())
                .orElse(List.of()).stream().map(Finding::code).toList();
        assertThat(remaining).allMatch(code -> code == FindingCode.ECR_POLICY_DENIES_PUSH);
    }

    // ---- generated policies -------------------------------------------------------------------------------

    static String policy(Random random) {
        try {
            return JSON.writeValueAsString(Map.of("Version", "2012-10-17", "Statement", listOf(random, 1, 4,
                    RepositoryPolicyFixNeverWidensTest::statement)));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static final List<String> AWS_PRINCIPALS = List.of(ROLE, ROLE_SESSION, PAYMENTS_ROLE, ORG_CI_ROLE, ACCOUNT,
            "arn:aws:iam::" + ACCOUNT + ":root", "arn:aws:iam::" + ACCOUNT + ":user/alice", FOREIGN_ACCOUNT,
            "arn:aws:iam::" + FOREIGN_ACCOUNT + ":role/deployer", "arn:aws:sts::" + ACCOUNT + ":assumed-role/org-ci/build", "*");
    private static final List<String> STATEMENT_ACTIONS = List.of("ecr:*", "*", "ecr:PutImage", "ECR:putimage", "ecr:BatchGetImage",
            "ecr:GetDownloadUrlForLayer", "ecr:*Layer*", "ecr:Set*", "ecr:DeleteRepository", "ecr:Describe*", "s3:GetObject");
    private static final List<Map<String, Object>> CONDITIONS = List.of(
            Map.of(),
            Map.of("ArnLike", Map.of("aws:PrincipalArn", "arn:aws:iam::" + ACCOUNT + ":role/github-actions-*")),
            Map.of("ArnEquals", Map.of("aws:PrincipalArn", ROLE)),
            Map.of("StringLike", Map.of("AWS:PrincipalArn", List.of(ROLE, "arn:aws:iam::*:role/deployer"))),
            Map.of("ArnNotEquals", Map.of("aws:PrincipalArn", ROLE)),
            Map.of("StringEquals", Map.of("aws:PrincipalOrgID", "o-acme")),
            Map.of("StringEquals", Map.of("aws:PrincipalAccount", ACCOUNT)),
            Map.of("StringEquals", Map.of("aws:FederatedProvider", PROVIDER)),
            Map.of("StringLike", Map.of("aws:SourceArn", "arn:aws:lambda:*:" + FOREIGN_ACCOUNT + ":function:*")),
            Map.of("IpAddress", Map.of("aws:SourceIp", "203.0.113.0/24")));

    private static Map<String, Object> statement(Random random) {
        String effect = oneOf(random, "Allow", "Allow", "Allow", "Deny");
        boolean notPrincipal = oneOf(random, false, false, false, false, true);
        Object principal = chance(random, 0.5) ? "*" : principalMap(random);
        List<String> actions = distinctListOf(random, 1, 3, STATEMENT_ACTIONS);
        boolean notAction = oneOf(random, false, false, false, true);
        Map<String, Object> condition = oneOf(random, CONDITIONS);
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("Effect", effect);
        s.put(notPrincipal ? "NotPrincipal" : "Principal", notPrincipal && principal.equals("*") ? Map.of("AWS", ROLE) : principal);
        s.put(notAction ? "NotAction" : "Action", actions);
        if (!condition.isEmpty()) {
            s.put("Condition", condition);
        }
        return s;
    }

    /** {"AWS": [1..3 distinct]}, plus a service principal and the GitHub provider as federated principal, each half the time. */
    private static Map<String, Object> principalMap(Random random) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("AWS", new ArrayList<>(distinctListOf(random, 1, 3, AWS_PRINCIPALS)));
        if (chance(random, 0.5)) {
            p.put("Service", List.of("lambda.amazonaws.com"));
        }
        if (chance(random, 0.5)) {
            p.put("Federated", List.of(PROVIDER));
        }
        return p;
    }

    // ---- the small evaluator ------------------------------------------------------------------------------

    /** Some Allow statement applies and no Deny statement does. */
    static boolean allows(String policy, Caller caller, String action) {
        try {
            Map<?, ?> root = JSON.readValue(policy, Map.class);
            Object statements = root.get("Statement");
            List<?> list = statements instanceof List<?> l ? l : List.of(statements);
            boolean allowed = false;
            for (Object o : list) {
                Map<?, ?> s = (Map<?, ?>) o;
                if (applies(s, caller, action)) {
                    if ("Deny".equals(s.get("Effect"))) {
                        return false;
                    }
                    allowed = true;
                }
            }
            return allowed;
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static boolean applies(Map<?, ?> s, Caller caller, String action) {
        boolean principal = s.containsKey("Principal") ? names(s.get("Principal"), caller) : !names(s.get("NotPrincipal"), caller);
        boolean actionListed = strings(s.containsKey("Action") ? s.get("Action") : s.get("NotAction")).stream()
                .anyMatch(p -> glob(p.toLowerCase(Locale.ROOT), action.toLowerCase(Locale.ROOT)));
        boolean actionCovered = s.containsKey("Action") == actionListed;
        return principal && actionCovered && conditionsHold(s.get("Condition"), caller);
    }

    private static boolean names(Object principal, Caller caller) {
        if ("*".equals(principal)) {
            return true;
        }
        return ((Map<?, ?>) principal).values().stream().flatMap(v -> strings(v).stream()).anyMatch(caller.principalValues()::contains);
    }

    private static boolean conditionsHold(Object condition, Caller caller) {
        if (condition == null) {
            return true;
        }
        for (Map.Entry<?, ?> block : ((Map<?, ?>) condition).entrySet()) {
            String operator = ((String) block.getKey()).toLowerCase(Locale.ROOT);
            for (Map.Entry<?, ?> test : ((Map<?, ?>) block.getValue()).entrySet()) {
                String actual = caller.keys().get(((String) test.getKey()).toLowerCase(Locale.ROOT));
                List<String> values = strings(test.getValue());
                boolean negated = operator.contains("not");
                if (actual == null) {
                    if (!negated) {
                        return false;
                    }
                    continue;
                }
                boolean match = values.stream().anyMatch(v -> switch (operator) {
                    case "stringequals", "stringnotequals" -> v.equals(actual);
                    case "ipaddress" -> actual.startsWith(v.substring(0, v.lastIndexOf('.') + 1));
                    default -> glob(v, actual);
                });
                if (match == negated) {
                    return false;
                }
            }
        }
        return true;
    }

    private static boolean glob(String pattern, String value) {
        StringBuilder regex = new StringBuilder();
        for (char c : pattern.toCharArray()) {
            regex.append(c == '*' ? ".*" : c == '?' ? "." : Pattern.quote(String.valueOf(c)));
        }
        return Pattern.compile(regex.toString(), Pattern.DOTALL).matcher(value).matches();
    }

    private static List<String> strings(Object value) {
        return value instanceof List<?> l ? l.stream().map(String::valueOf).toList() : List.of(String.valueOf(value));
    }
}
