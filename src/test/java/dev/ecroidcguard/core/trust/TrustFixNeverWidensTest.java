package dev.ecroidcguard.core.trust;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ecroidcguard.core.analysis.CheckOutcome;
import dev.ecroidcguard.core.fix.DocumentChange;
import dev.ecroidcguard.testing.Generated;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

import static dev.ecroidcguard.core.trust.TrustFixtures.PROVIDER;
import static dev.ecroidcguard.core.trust.TrustFixtures.context;
import static dev.ecroidcguard.core.trust.TrustPolicies.*;
import static dev.ecroidcguard.testing.Generated.oneOf;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The trust fix never widens: on generated trust policies, every {@link DocumentChange.Replace} is compliant and
 * admits no concrete token the old policy did not. Admission is decided by {@link IamEvaluator}, a small
 * evaluator of IAM condition logic on concrete values written here, independent of the production model (which
 * reasons on languages): if both agree on a finite sample of attacker and legitimate tokens, a bug in one is
 * unlikely to hide behind the same bug in the other.
 */
class TrustFixNeverWidensTest {

    private static final Map<String, String> TAGS = Map.of("github:repository-id", "456");

    private static final List<String> SUB_VALUES = List.of("*", "repo:*", "repo:acme/*", "repo:acme/web-api:*", "repo:acme/web-api*",
            "repo:acme*", "repo:acme/other:*", "repo:acme/*:ref:refs/heads/main", "repo:acme/web-api:environment:prod",
            "repository_owner:acme", "repo:acme/web-api:ref:refs/heads/main", "repo:acme/web-api:ref:refs/heads/main*",
            "repo:acme*/web-api:*", "repo:acme/web-*:*", "repo:acme-corp/web-api:*", "repo:acme/web-api:pull_request",
            "repo:acme/*:environment:prod");
    private static final List<String> SUB_OPERATORS = List.of("StringLike", "StringLike", "StringLike", "StringEquals", "StringLikeIfExists",
            "ForAllValues:StringLike", "StringNotLike");
    private static final List<String> DENY_CONDITIONS = List.of("StringNotLike|sub|repo:acme/web-api:*", "StringLike|sub|repo:acme/web-api-evil:*",
            "StringEquals|environment|staging", "StringLike|sub|repo:acme/*:pull_request", "StringNotEquals|repository_id|456");
    private static final List<String> EXTRA_PRINCIPALS = List.of("{\"AWS\":\"arn:aws:iam::123456789012:root\"}",
            "{\"AWS\":\"arn:aws:iam::999988887777:root\"}", "{\"Service\":\"ec2.amazonaws.com\"}", "\"*\"");

    /** Concrete tokens: legitimate and attacker subjects × audiences × optional claims. */
    private static final List<Token> TOKENS = tokens();

    @Test
    void every_replacement_is_compliant_and_admits_no_token_the_old_policy_did_not() {
        AtomicInteger replaced = new AtomicInteger();
        AtomicInteger admittedByFix = new AtomicInteger();
        List<String> checked = Generated.forAll(200, TrustFixNeverWidensTest::trustPolicy, policy -> {
            CheckOutcome<DocumentChange> outcome = TrustCheck.check(context(policy, TAGS), new TrustLanguageCache());
            if (!(outcome.change() instanceof DocumentChange.Replace replace)) {
                return;
            }
            replaced.incrementAndGet();
            assertThat(TrustCheck.check(context(replace.document(), TAGS), new TrustLanguageCache()).findings()).as("findings on the fixed policy " + replace.document()).isEmpty();
            JsonNode before = IamEvaluator.parse(policy);
            JsonNode after = IamEvaluator.parse(replace.document());
            for (Token t : TOKENS) {
                if (IamEvaluator.admits(after, t)) {
                    admittedByFix.incrementAndGet();
                    assertThat(IamEvaluator.admits(before, t)).as("the fix %s admits %s, the old policy did not", replace.document(), t).isTrue();
                }
            }
        });
        // Not vacuous: a fair share of the generated policies get a replacement, and replacements let someone in.
        assertThat(replaced.get()).as("replacements among %d policies", checked.size()).isGreaterThanOrEqualTo(checked.size() / 4);
        assertThat(admittedByFix.get()).isPositive();
    }

    @Test
    void the_evaluator_agrees_with_the_catalogue_on_known_cases() {
        // Independent evaluator sanity: IfExists, ForAllValues, Null, negation, Deny wins, key-name case.
        Token main = new Token("repo:acme/web-api:ref:refs/heads/main", "sts.amazonaws.com", "456", Optional.empty());
        Token evil = new Token("repo:acme/web-api-evil:ref:refs/heads/main", "sts.amazonaws.com", "456", Optional.empty());
        assertThat(IamEvaluator.admits(IamEvaluator.parse(canonical()), main)).isTrue();
        assertThat(IamEvaluator.admits(IamEvaluator.parse(canonical()), evil)).isFalse();
        assertThat(IamEvaluator.admits(IamEvaluator.parse(policy(github(subPattern("repo:acme/web-api*")))), evil)).isTrue();
        assertThat(IamEvaluator.admits(IamEvaluator.parse(policy(github(cond("StringEqualsIfExists", key("environment"), "prod")))), main)).isTrue();
        assertThat(IamEvaluator.admits(IamEvaluator.parse(policy(github(cond("ForAllValues:StringEquals", key("environment"), "prod")))), main)).isTrue();
        assertThat(IamEvaluator.admits(IamEvaluator.parse(policy(github(cond("StringEquals", key("environment"), "prod")))), main)).isFalse();
        assertThat(IamEvaluator.admits(IamEvaluator.parse(policy(github(cond("ForAnyValue:StringEquals", key("environment"), "prod")))), main)).isFalse();
        assertThat(IamEvaluator.admits(IamEvaluator.parse(policy(github(cond("Null", key("environment"), "true")))), main)).isTrue();
        assertThat(IamEvaluator.admits(IamEvaluator.parse(policy(github(cond("StringNotLike", key("sub"), "repo:evil/*")))), evil)).isTrue();
        assertThat(IamEvaluator.admits(IamEvaluator.parse(policy(github(cond("StringLike", "Token.Actions.GitHubUserContent.com:SUB", "repo:acme/web-api:*")))), main))
                .isTrue();
        assertThat(IamEvaluator.admits(IamEvaluator.parse(policy(github(cond("StringLike", key("sub"), "repo:ACME/web-api:*")))), main)).isFalse();
        String deny = statement("Deny", "{\"Federated\":\"" + PROVIDER + "\"}", "\"" + WEB_IDENTITY + "\"", cond("StringNotLike", key("sub"), "repo:acme/web-api:*"));
        assertThat(IamEvaluator.admits(IamEvaluator.parse(policy(github(subPattern("repo:acme/*")), deny)), evil)).isFalse();
        assertThat(IamEvaluator.admits(IamEvaluator.parse(policy(github(subPattern("repo:acme/*")), deny)), main)).isTrue();
    }

    // ------------------------------------------------------------------ generation

    static String trustPolicy(Random r) {
        List<String> statements = new ArrayList<>(Generated.listOf(r, 1, 3, TrustFixNeverWidensTest::allowStatement));
        if (r.nextInt(10) < 3) {
            String[] d = oneOf(r, DENY_CONDITIONS).split("\\|");
            statements.add(statement("Deny", "{\"Federated\":\"" + PROVIDER + "\"}", "\"" + WEB_IDENTITY + "\"", cond(d[0], key(d[1]), d[2])));
        }
        if (r.nextInt(4) == 0) {
            statements.add(r.nextInt(statements.size() + 1), statement("Allow", oneOf(r, EXTRA_PRINCIPALS), "\"sts:AssumeRole\""));
        }
        return policy(statements.toArray(String[]::new));
    }

    static String allowStatement(Random r) {
        List<Cond> conds = new ArrayList<>();
        if (r.nextInt(10) < 9) {
            conds.add(cond(oneOf(r, SUB_OPERATORS), key("sub"), Generated.listOf(r, 1, 2, x -> oneOf(x, SUB_VALUES)).toArray(String[]::new)));
        }
        switch (r.nextInt(6)) {
            case 0 -> { } // no aud
            case 1 -> conds.add(cond("StringEquals", key("aud"), "https://github.com/acme"));
            case 2 -> conds.add(cond("StringLike", key("aud"), "*"));
            default -> conds.add(aud());
        }
        switch (r.nextInt(8)) {
            case 0 -> conds.add(cond("StringEquals", key("repository_id"), "456"));
            case 1 -> conds.add(cond("StringEquals", key("repository_id"), "999"));
            default -> { }
        }
        switch (r.nextInt(8)) {
            case 0 -> conds.add(cond("StringEquals", key("environment"), "prod"));
            case 1 -> conds.add(cond("StringEqualsIfExists", key("environment"), "prod"));
            case 2 -> conds.add(cond("ForAllValues:StringEquals", key("environment"), "prod"));
            default -> { }
        }
        String principal = r.nextInt(10) == 0 ? "\"*\"" : "{\"Federated\":\"" + PROVIDER + "\"}";
        String action = oneOf(r, "\"" + WEB_IDENTITY + "\"", "\"" + WEB_IDENTITY + "\"", "\"sts:*\"", "[\"" + WEB_IDENTITY + "\",\"sts:TagSession\"]");
        return statement("Allow", principal, action, conds.toArray(Cond[]::new));
    }

    // ------------------------------------------------------------------ concrete tokens

    /** A GitHub token's claims the generated policies test; sub, aud and repository_id are always present. */
    record Token(String sub, String aud, String repositoryId, Optional<String> environment) {
        Optional<String> claim(String name) {
            return switch (name) {
                case "sub" -> Optional.of(sub);
                case "aud" -> Optional.of(aud);
                case "repository_id" -> Optional.of(repositoryId);
                case "environment" -> environment;
                default -> Optional.empty();
            };
        }
    }

    private static List<Token> tokens() {
        List<String> subs = List.of(
                // legitimate: the repository's own workflows
                "repo:acme/web-api:ref:refs/heads/main", "repo:acme/web-api:ref:refs/heads/main-hotfix", "repo:acme/web-api:ref:refs/heads/dev",
                "repo:acme/web-api:environment:prod", "repo:acme/web-api:pull_request", "repo:acme/web-api:ref:refs/tags/v1",
                // attackers: siblings, other owners, crafted templates, wrong casing / format
                "repo:acme/web-api-evil:ref:refs/heads/main", "repo:acme/other:ref:refs/heads/main", "repo:acme/other:environment:prod",
                "repo:acme/other:pull_request", "repo:acme-evil/web-api:ref:refs/heads/main", "repo:acme-corp/web-api:ref:refs/heads/main",
                "repository_owner:acme", "repo:acme/web-api", "repo:ACME/web-api:ref:refs/heads/main", "repo:evil/x:ref:refs/heads/main",
                "job_workflow_ref:acme/wf/.github/workflows/release.yml@refs/heads/main");
        List<Token> out = new ArrayList<>();
        for (String sub : subs) {
            for (String aud : List.of("sts.amazonaws.com", "https://github.com/acme", "urn:other")) {
                for (String repositoryId : List.of("456", "999")) {
                    for (Optional<String> env : List.of(Optional.<String>empty(), Optional.of("prod"), Optional.of("staging"))) {
                        out.add(new Token(sub, aud, repositoryId, env));
                    }
                }
            }
        }
        return List.copyOf(out);
    }

    // ------------------------------------------------------------------ the independent evaluator

    /**
     * IAM evaluation of a trust policy for one AssumeRoleWithWebIdentity request from the GitHub provider carrying
     * a concrete token: a matching Deny wins, else some matching Allow. Condition blocks and keys are ANDed, values
     * ORed; key names compare case-insensitively, values case-sensitively; absent keys make positive operators false
     * and negated, ...IfExists and ForAllValues operators true; Null tests presence only.
     */
    static final class IamEvaluator {
        private static final ObjectMapper JSON = new ObjectMapper();
        private static final String KEY_PREFIX = ISSUER + ":";
        private static final Map<String, Pattern> GLOBS = new HashMap<>();

        static JsonNode parse(String policy) {
            try {
                return JSON.readTree(policy);
            } catch (Exception e) {
                throw new IllegalArgumentException(e);
            }
        }

        static boolean admits(JsonNode policy, Token t) {
            boolean allowed = false;
            for (JsonNode s : list(policy.get("Statement"))) {
                if (principalMatches(s) && actionMatches(s) && conditionsHold(s.path("Condition"), t)) {
                    if (s.get("Effect").asText().equals("Deny")) {
                        return false;
                    }
                    allowed = true;
                }
            }
            return allowed;
        }

        private static boolean principalMatches(JsonNode s) {
            if (s.has("NotPrincipal")) {
                return !names(s.get("NotPrincipal"));
            }
            return s.has("Principal") && names(s.get("Principal"));
        }

        /** Does a Principal element name the GitHub provider (or everyone)? */
        private static boolean names(JsonNode principal) {
            if (principal.isTextual()) {
                return principal.asText().equals("*");
            }
            return strings(principal.path("AWS")).contains("*") || strings(principal.path("Federated")).contains(PROVIDER);
        }

        private static boolean actionMatches(JsonNode s) {
            boolean listed = strings(s.has("Action") ? s.get("Action") : s.path("NotAction")).stream()
                    .anyMatch(a -> glob(a.toLowerCase(Locale.ROOT)).matcher(WEB_IDENTITY.toLowerCase(Locale.ROOT)).matches());
            return s.has("Action") ? listed : !listed;
        }

        private static boolean conditionsHold(JsonNode condition, Token t) {
            var blocks = condition.fields();
            while (blocks.hasNext()) {
                var block = blocks.next();
                var keys = block.getValue().fields();
                while (keys.hasNext()) {
                    var k = keys.next();
                    if (!holds(block.getKey(), k.getKey(), strings(k.getValue()), t)) {
                        return false;
                    }
                }
            }
            return true;
        }

        private static boolean holds(String operatorText, String rawKey, List<String> values, Token t) {
            String op = operatorText;
            boolean forAll = op.startsWith("ForAllValues:");
            boolean forAny = op.startsWith("ForAnyValue:");
            op = op.substring(op.indexOf(':') + 1);
            boolean ifExists = op.endsWith("IfExists");
            op = ifExists ? op.substring(0, op.length() - "IfExists".length()) : op;
            String key = rawKey.toLowerCase(Locale.ROOT);
            Optional<String> value = key.startsWith(KEY_PREFIX) ? t.claim(key.substring(KEY_PREFIX.length())) : Optional.empty();
            if (op.equals("Null")) {
                return values.stream().anyMatch(v -> v.equalsIgnoreCase("true") == value.isEmpty());
            }
            boolean negated = op.contains("Not");
            if (value.isEmpty()) {
                return ifExists || forAll || (negated && !forAny);
            }
            String positive = op.replace("Not", "");
            boolean any = values.stream().anyMatch(v -> switch (positive) {
                case "StringEquals" -> v.equals(value.get());
                case "StringEqualsIgnoreCase" -> v.equalsIgnoreCase(value.get());
                case "StringLike" -> glob(v).matcher(value.get()).matches();
                default -> throw new IllegalArgumentException("operator not generated: " + operatorText);
            });
            return negated != any;
        }

        /** An IAM wildcard pattern as a regex: '*' any run (also empty, also across ':' and '/'), '?' one character. */
        private static Pattern glob(String pattern) {
            return GLOBS.computeIfAbsent(pattern, p -> {
                StringBuilder regex = new StringBuilder();
                for (char c : p.toCharArray()) {
                    regex.append(c == '*' ? ".*" : c == '?' ? "." : Pattern.quote(String.valueOf(c)));
                }
                return Pattern.compile(regex.toString(), Pattern.DOTALL);
            });
        }

        private static List<JsonNode> list(JsonNode node) {
            List<JsonNode> out = new ArrayList<>();
            if (node.isArray()) {
                node.forEach(out::add);
            } else if (!node.isMissingNode()) {
                out.add(node);
            }
            return out;
        }

        private static List<String> strings(JsonNode node) {
            return list(node).stream().map(JsonNode::asText).toList();
        }
    }
}
