package dev.ecroidcguard.core.trust;

import dev.ecroidcguard.core.analysis.CheckOutcome;
import dev.ecroidcguard.core.finding.Finding;
import dev.ecroidcguard.core.finding.FindingCode;
import dev.ecroidcguard.core.finding.Witness;
import dev.ecroidcguard.core.fix.DocumentChange;
import dev.ecroidcguard.testing.Generated;
import dev.ecroidcguard.testing.GitHubTokenRules;
import dev.ecroidcguard.testing.IndependentIamEvaluator;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;

import static dev.ecroidcguard.core.finding.FindingCode.*;
import static dev.ecroidcguard.core.trust.TrustFixtures.*;
import static dev.ecroidcguard.core.trust.TrustPolicies.*;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Differential test (issue 11): generated trust policies are judged by the analysis and by
 * {@link IndependentIamEvaluator} on GitHub tokens of this repository, of its owner's other repositories and of
 * other owners. Disagreements must be zero (see docs/differential-test.md for what is compared). Its inputs come
 * from the fixed and a random seed (see {@link Generated}); {@code -Dproperty.seed=N} replays one, {@code -Dproperty.tries=N} changes the count.
 */
class TrustDifferentialTest {

    private static final Map<String, String> TAGS = Map.of("github:repository-id", "456", "github:owner-id", "123");
    private static final Set<FindingCode> EXPOSURES = Set.of(TRUST_NO_SUB_CONDITION, TRUST_SUB_WILDCARD_ANY, TRUST_SUB_OWNER_WILDCARD,
            TRUST_SUB_ORG_WIDE, TRUST_SUB_REPO_PREFIX_WILDCARD, TRUST_SUB_WRONG_REPO, TRUST_SUB_WRONG_OWNER, TRUST_SUB_SPOOFABLE_CLAIM,
            TRUST_SUB_NEGATED_OPERATOR, TRUST_PRINCIPAL_WILDCARD, TRUST_NOT_PRINCIPAL);
    private static final List<String> OWNERS = List.of("acme", "acme-evil", "attacker");
    private static final List<String> NAMES = List.of("web-api", "web-api-evil", "other");
    private static final List<String> CONTEXTS = List.of("ref:refs/heads/main", "ref:refs/heads/dev", "ref:refs/tags/v1",
            "environment:production", "pull_request");
    /** The claim keys STS provides (AWS documentation), restated here so the oracle does not share the project's list. */
    private static final List<String> DOCUMENTED = List.of("sub", "aud", "actor", "actor_id", "enterprise_id", "environment", "job_workflow_ref",
            "ref", "repository", "repository_id", "repository_owner_id", "workflow");

    private static final List<Cond> CONDITIONS = List.of(
            aud(), aud(), cond("StringEquals", key("aud"), "https://github.com/acme"),
            subPattern("repo:acme/web-api:*"), subPattern("repo:acme/*"), subPattern("repo:acme/web-api:ref:refs/heads/main"),
            subPattern("repo:acme/web-api*"), subPattern("repo:*/web-api:*"), subPattern("repo:acme-evil/web-api:*"), subPattern("*"),
            subPattern("repo:acme/web-api:ref:refs/tags/v*"), subPattern("repo:${token.actions.githubusercontent.com:repository}:*"),
            cond("StringEquals", key("sub"), "repo:acme/web-api:ref:refs/heads/main"),
            cond("StringEquals", key("sub"), "repo:acme/other:environment:production"),
            cond("StringNotLike", key("sub"), "repo:acme/other:*"),
            cond("StringLikeIfExists", key("sub"), "repo:acme/web-api:*"),
            cond("ArnLike", key("sub"), "repo:acme/web-api:*"),
            cond("StringEquals", key("repository"), "acme/web-api"), cond("StringLike", key("repository"), "acme/*"),
            cond("StringEquals", key("repository_id"), "456"), cond("StringEquals", key("repository_owner_id"), "123"),
            cond("StringEquals", key("ref"), "refs/heads/main"), cond("StringEquals", key("environment"), "production"),
            cond("StringEquals", key("repository_owner"), "acme"), cond("StringNotEquals", key("event_name"), "pull_request_target"),
            cond("Null", key("workflow"), "true"), cond("Null", key("environment"), "false"),
            cond("StringLike", "https://token.actions.githubusercontent.com:sub", "repo:acme/web-api:*"),
            cond("StringEqualsIgnoreCase", key("sub"), "repo:ACME/web-api:ref:refs/heads/main"),
            // Values GitHub cannot issue (T6) and claims tied to the subject (T7).
            cond("StringEquals", key("ref"), "refs/heads/*"), cond("StringEquals", key("ref"), "refs/heads/dev"),
            cond("StringEquals", key("environment"), "staging"), subPattern("repo:acme-?/web-api:*"),
            subPattern("repo:acme/*:ref:refs/tags/*"), subPattern("repo:*:ref:refs/heads/main"), subPattern("repo:*:environment:*"),
            cond("StringEquals", key("sub"), "repo:acme/web-api:pull_request"), cond("StringLike", key("ref"), "refs/pull/*"));
    private static final List<String> ACTIONS = List.of("\"sts:AssumeRoleWithWebIdentity\"", "\"sts:AssumeRoleWithWebIdentity\"",
            "\"sts:*\"", "\"sts:AssumeRole*\"", "\"sts:TagSession\"", "[\"sts:AssumeRoleWithWebIdentity\",\"sts:TagSession\"]");
    private static final String MISSING_PROVIDER = "arn:aws:iam::" + ACCOUNT + ":oidc-provider/token.actions.githubusercontent.com/gone";

    record Case(String policy) {
    }

    /** What the run covered, printed with the seed. */
    static final class Tally {
        int policies;
        int foreignAdmitted;
        int selfAdmitted;
        int witnessesReplayed;
        int explainedVariableWitnesses;
        int explainedRepeatedClaimWitnesses;

        @Override
        public String toString() {
            return policies + " policies, " + foreignAdmitted + " admitting a foreign token, " + selfAdmitted
                    + " admitting the repository's own, " + witnessesReplayed + " witnesses replayed ("
                    + explainedVariableWitnesses + " not replayable because of a policy variable, " + explainedRepeatedClaimWitnesses
                    + " naming a claim twice with two values; both explained in docs/differential-test.md)";
        }
    }

    @Test
    void the_analysis_agrees_with_the_independent_evaluator_on_generated_trust_policies() {
        List<String> disagreements = new ArrayList<>();
        Tally tally = new Tally();
        Generated.forAll(2000, TrustDifferentialTest::generate, c -> disagreements.addAll(compare(c.policy(), tally)));
        System.out.println("TrustDifferentialTest: " + tally);
        assertThat(tally.foreignAdmitted).as("the generator reaches exposed policies").isGreaterThan(100);
        assertThat(tally.selfAdmitted).as("the generator reaches usable policies").isGreaterThan(100);
        assertThat(disagreements).as("disagreements over " + tally.policies + " policies").isEmpty();
    }

    static Case generate(Random r) {
        List<String> statements = new ArrayList<>();
        int allows = 1 + r.nextInt(2);
        for (int i = 0; i < allows; i++) {
            statements.add(statement("Allow", principal(r), Generated.oneOf(r, ACTIONS), conds(r, r.nextInt(4))));
        }
        if (Generated.chance(r, 0.3)) {
            statements.add(statement("Deny", "{\"Federated\":\"" + PROVIDER + "\"}", "\"sts:AssumeRoleWithWebIdentity\"", conds(r, 1)));
        }
        return new Case(policy(statements.toArray(String[]::new)));
    }

    private static String principal(Random r) {
        int p = r.nextInt(20);
        return p < 17 ? "{\"Federated\":\"" + PROVIDER + "\"}" : p < 19 ? "{\"AWS\":\"*\"}" : "{\"Federated\":\"" + MISSING_PROVIDER + "\"}";
    }

    private static Cond[] conds(Random r, int n) {
        Map<String, Cond> byOperatorAndKey = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            Cond c = Generated.oneOf(r, CONDITIONS);
            byOperatorAndKey.putIfAbsent(c.operator() + "|" + c.key(), c); // JSON objects cannot repeat a key
        }
        return byOperatorAndKey.values().toArray(Cond[]::new);
    }

    /** The disagreements for one policy, each a readable line. */
    static List<String> compare(String policy, Tally tally) {
        tally.policies++;
        CheckOutcome<DocumentChange> outcome = TrustCheck.check(context(policy, TAGS), new TrustLanguageCache());
        Set<FindingCode> codes = new java.util.HashSet<>(outcome.findings().stream().map(Finding::code).toList());
        boolean exposed = codes.stream().anyMatch(EXPOSURES::contains);
        List<String> out = new ArrayList<>();
        Optional<Map<String, String>> foreign = Optional.empty();
        boolean selfAdmitted = false;
        for (String owner : OWNERS) {
            for (String name : NAMES) {
                for (String context : CONTEXTS) {
                    Map<String, String> claims = token(owner, name, context);
                    boolean admitted = admits(policy, claims);
                    boolean self = owner.equals("acme") && name.equals("web-api");
                    if (admitted && self) {
                        selfAdmitted = true;
                    } else if (admitted && foreign.isEmpty()) {
                        foreign = Optional.of(claims);
                    }
                }
            }
        }
        tally.foreignAdmitted += foreign.isPresent() ? 1 : 0;
        tally.selfAdmitted += selfAdmitted ? 1 : 0;
        if (foreign.isPresent() && !exposed) {
            out.add("missed exposure: " + foreign.get().get("sub") + " gets in, findings " + codes + " | " + policy);
        }
        if (selfAdmitted && codes.contains(TRUST_NO_GITHUB_PRINCIPAL)) {
            out.add("called unusable although the repository's token gets in, findings " + codes + " | " + policy);
        }
        for (Finding f : outcome.findings()) {
            if (!EXPOSURES.contains(f.code()) || !(f.witness() instanceof Witness.Token w)) {
                continue;
            }
            tally.witnessesReplayed++;
            List<String> unmintable = GitHubTokenRules.problems(completed(w));
            if (!unmintable.isEmpty() && namesAClaimTwice(w.sub())) {
                // Explained in docs/differential-test.md: a crafted template's claims are each tied to the token's claim,
                // not to each other, so a claim named twice may take two values; the exposure itself stands.
                tally.explainedRepeatedClaimWitnesses++;
                continue;
            }
            if (!unmintable.isEmpty()) {
                out.add("witness GitHub cannot issue: " + f.code() + " " + w + " " + unmintable + " | " + policy);
            }
            if (!replays(policy, w) && policy.contains("${")) {
                // Explained in docs/differential-test.md: a policy variable is modelled as any value, which loses its
                // tie to the token's other claims; the verdict stands, the witness may not replay.
                tally.explainedVariableWitnesses++;
            } else if (!replays(policy, w)) {
                out.add("witness not admitted: " + f.code() + " " + w + " | " + policy);
            }
        }
        return out;
    }

    /** Does the subject name one claim twice (a crafted template's)? */
    static boolean namesAClaimTwice(String sub) {
        List<String> keys = new ArrayList<>();
        String[] parts = sub.split(":", -1);
        for (int i = 0; i < parts.length; i++) {
            keys.add(parts[i]);
            if (!parts[i].equals("pull_request")) {
                i++;
            }
        }
        return keys.size() != new java.util.HashSet<>(keys).size();
    }

    /** A token GitHub mints for {@code owner/name} under the default subject template. */
    static Map<String, String> token(String owner, String name, String context) {
        Map<String, String> claims = new HashMap<>();
        claims.put("sub", "repo:" + owner + "/" + name + ":" + context);
        claims.put("aud", "sts.amazonaws.com");
        claims.put("repository", owner + "/" + name);
        claims.put("repository_owner", owner);
        claims.put("repository_id", owner.equals("acme") && name.equals("web-api") ? "456" : String.valueOf(1000 + OWNERS.indexOf(owner) * 10 + NAMES.indexOf(name)));
        claims.put("repository_owner_id", owner.equals("acme") ? "123" : String.valueOf(900 + OWNERS.indexOf(owner)));
        claims.put("ref", context.startsWith("ref:") ? context.substring(4) : context.equals("pull_request") ? "refs/pull/1/merge" : "refs/heads/main");
        if (context.startsWith("environment:")) {
            claims.put("environment", context.substring("environment:".length()).replace("%3A", ":"));
        }
        claims.put("event_name", context.equals("pull_request") ? "pull_request" : "push");
        claims.put("workflow", "ci");
        claims.put("actor", "octocat");
        claims.put("actor_id", "7");
        claims.put("job_workflow_ref", owner + "/" + name + "/.github/workflows/ci.yml@" + claims.get("ref"));
        return claims;
    }

    /** STS's request context for the token: only the documented keys, prefixed with the issuer. */
    static boolean admits(String policy, Map<String, String> claims) {
        Map<String, String> context = new HashMap<>();
        for (String k : DOCUMENTED) {
            if (claims.containsKey(k)) {
                context.put((ISSUER + ":" + k).toLowerCase(Locale.ROOT), claims.get(k));
            }
        }
        return IndependentIamEvaluator.evaluate(policy, new IndependentIamEvaluator.Request("Federated", PROVIDER,
                "sts:AssumeRoleWithWebIdentity", "", context)) == IndependentIamEvaluator.Decision.ALLOW;
    }

    static boolean replays(String policy, Witness.Token w) {
        return admits(policy, completed(w));
    }

    /**
     * A witness token, completed with what GitHub would send alongside its sub: the repository, IDs, ref and
     * environment its subject's claims state (any template, either subject form), the witness's own claims over those.
     */
    static Map<String, String> completed(Witness.Token w) {
        String sub = w.sub();
        Map<String, String> claims = token("attacker", "x", "ref:refs/heads/main");
        String[] parts = sub.split(":", -1);
        for (int i = 0; i < parts.length; i++) {
            if (parts[i].equals("pull_request")) {
                claims.put("ref", "refs/pull/1/merge");
                claims.put("event_name", "pull_request");
                continue;
            }
            if (i + 1 >= parts.length) {
                break;
            }
            String key = parts[i];
            String value = parts[++i].replace("%3A", ":");
            java.util.regex.Matcher repo = java.util.regex.Pattern.compile("([^/@]+)(?:@([0-9]+))?/([^/@]+)(?:@([0-9]+))?").matcher(value);
            if ((key.equals("repo") || key.equals("repository")) && repo.matches()) {
                Map<String, String> own = token(repo.group(1), repo.group(3), "ref:" + claims.get("ref"));
                for (String k : List.of("repository", "repository_owner", "repository_id", "repository_owner_id", "job_workflow_ref")) {
                    claims.put(k, own.get(k));
                }
                if (repo.group(2) != null) {
                    claims.put("repository_owner_id", repo.group(2));
                    claims.put("repository_id", repo.group(4));
                }
            } else if (List.of("ref", "environment", "repository_id", "repository_owner_id", "workflow", "actor", "actor_id").contains(key)) {
                claims.put(key, value);
            }
        }
        claims.put("sub", sub);
        w.claims().forEach((k, v) -> {
            if (v.equals(TokenSolver.ABSENT)) {
                claims.remove(k);
            } else {
                claims.put(k, v);
            }
        });
        return claims;
    }
}
