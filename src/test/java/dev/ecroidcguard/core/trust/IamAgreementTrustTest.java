package dev.ecroidcguard.core.trust;

import dev.ecroidcguard.core.analysis.CheckOutcome;
import dev.ecroidcguard.core.finding.FindingCode;
import dev.ecroidcguard.core.finding.Witness;
import dev.ecroidcguard.core.fix.DocumentChange;
import dev.ecroidcguard.core.inventory.OidcProvider;
import dev.ecroidcguard.testing.Generated;
import dev.ecroidcguard.testing.GitHubTokenRules;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static dev.ecroidcguard.core.finding.FindingCode.*;
import static dev.ecroidcguard.core.trust.TrustCheckTest.check;
import static dev.ecroidcguard.core.trust.TrustCheckTest.codes;
import static dev.ecroidcguard.core.trust.TrustCheckTest.finding;
import static dev.ecroidcguard.core.trust.TrustCheckTest.token;
import static dev.ecroidcguard.core.trust.TrustFixtures.*;
import static dev.ecroidcguard.core.trust.TrustPolicies.*;
import static org.assertj.core.api.Assertions.assertThat;

/** Issue 11, trust: the analysis agrees with what STS admits (one nested class per root cause, minimal example first). */
class IamAgreementTrustTest {

    private static final Set<FindingCode> EXPOSURES = Set.of(TRUST_NO_SUB_CONDITION, TRUST_SUB_WILDCARD_ANY, TRUST_SUB_OWNER_WILDCARD,
            TRUST_SUB_ORG_WIDE, TRUST_SUB_REPO_PREFIX_WILDCARD, TRUST_SUB_WRONG_REPO, TRUST_SUB_WRONG_OWNER, TRUST_SUB_SPOOFABLE_CLAIM,
            TRUST_SUB_NEGATED_OPERATOR);

    @Nested
    class T5_a_provider_the_account_lacks_admits_nothing {
        @Test
        void open_statement_for_a_missing_provider_is_no_exposure() {
            String missing = "arn:aws:iam::" + ACCOUNT + ":oidc-provider/token.actions.githubusercontent.com/other-ent";
            String policy = policy(github(aud(), subPattern("repo:acme/web-api:*")),
                    statement("Allow", "{\"Federated\":\"" + missing + "\"}", "\"" + WEB_IDENTITY + "\""));
            CheckOutcome<DocumentChange> outcome = check(policy);
            assertThat(codes(outcome)).doesNotContainAnyElementsOf(EXPOSURES);
        }
    }

    @Nested
    class T9_keys_outside_every_request_namespace_are_absent {
        @Test
        void url_prefixed_sub_key_makes_the_statement_admit_nobody() {
            CheckOutcome<DocumentChange> outcome = check(policy(github(aud(),
                    cond("StringLike", "https://token.actions.githubusercontent.com:sub", "repo:acme/web-api:*"))));
            assertThat(codes(outcome)).doesNotContainAnyElementsOf(EXPOSURES).contains(TRUST_CONDITION_KEY_MALFORMED);
            assertThat(finding(outcome, TRUST_CONDITION_KEY_MALFORMED).witness()).isEqualTo(new Witness.Detail(
                    "StringLike on absent key 'https://token.actions.githubusercontent.com:sub' is never true"));
        }

        @Test
        void aws_keys_stay_caller_controlled() {
            CheckOutcome<DocumentChange> outcome = check(policy(github(aud(), subPattern("repo:acme/web-api:*"),
                    cond("IpAddress", "aws:SourceIp", "203.0.113.0/24"))));
            assertThat(outcome.findings()).isEmpty();
        }
    }

    @Nested
    class T1_only_documented_claim_keys_exist {
        @Test
        void deny_on_an_undocumented_key_blocks_nobody() {
            // The issue's example: STS never supplies repository_owner, so the Deny never applies and every repository gets in.
            String policy = policy(github(aud()), statement("Deny", "{\"Federated\":\"" + PROVIDER + "\"}", "\"" + WEB_IDENTITY + "\"",
                    cond("Null", key("repository_owner"), "false")));
            CheckOutcome<DocumentChange> outcome = check(policy);
            assertThat(codes(outcome)).contains(TRUST_NO_SUB_CONDITION).doesNotContain(TRUST_NO_GITHUB_PRINCIPAL);
        }

        @Test
        void positive_condition_on_an_undocumented_key_fails_and_is_reported() {
            CheckOutcome<DocumentChange> outcome = check(policy(github(aud(), subPattern("repo:acme/web-api:*"),
                    cond("StringEquals", key("repository_visibility"), "private"))));
            assertThat(codes(outcome)).containsExactly(TRUST_CONDITION_KEY_MALFORMED);
            assertThat(finding(outcome, TRUST_CONDITION_KEY_MALFORMED).message()).contains("repository_visibility");
            assertThat(finding(outcome, TRUST_CONDITION_KEY_MALFORMED).witness().toString()).contains("never true");
        }

        @Test
        void negated_condition_on_an_undocumented_key_passes() {
            CheckOutcome<DocumentChange> outcome = check(policy(github(aud(), subPattern("repo:acme/web-api:*"),
                    cond("StringNotEquals", key("event_name"), "pull_request_target"))));
            assertThat(codes(outcome)).containsExactly(TRUST_CONDITION_KEY_MALFORMED);
            assertThat(finding(outcome, TRUST_CONDITION_KEY_MALFORMED).witness().toString()).contains("always true");
        }

        @Test
        void every_undocumented_claim_is_absent_for_a_positive_operator() {
            List<String> undocumented = List.of("repository_owner", "repository_visibility", "event_name", "runner_environment", "ref_type",
                    "workflow_ref", "head_ref", "base_ref", "sha", "run_id", "iss", "enterprise");
            for (String claim : undocumented) {
                CheckOutcome<DocumentChange> outcome = check(policy(github(aud(), subPattern("repo:acme/web-api:*"),
                        cond("StringLike", key(claim), "*"))));
                assertThat(codes(outcome)).as(claim).containsExactly(TRUST_CONDITION_KEY_MALFORMED);
                assertThat(finding(outcome, TRUST_CONDITION_KEY_MALFORMED).witness().toString()).as(claim).contains("never true");
            }
        }
    }

    @Nested
    class T13_claims_github_always_sends_are_present {
        @Test
        void null_true_on_an_always_sent_claim_admits_no_token() {
            for (String claim : List.of("ref", "workflow", "actor", "job_workflow_ref", "repository_id", "actor_id", "repository_owner_id")) {
                CheckOutcome<DocumentChange> outcome = check(policy(github(aud(), subPattern("repo:acme/web-api:*"), cond("Null", key(claim), "true"))));
                assertThat(codes(outcome)).as(claim).contains(TRUST_NO_GITHUB_PRINCIPAL);
            }
        }

        @Test
        void null_true_on_environment_may_hold() {
            CheckOutcome<DocumentChange> outcome = check(policy(github(aud(), subPattern("repo:acme/web-api:*"), cond("Null", key("environment"), "true"))));
            assertThat(codes(outcome)).doesNotContain(TRUST_NO_GITHUB_PRINCIPAL);
        }
    }

    @Nested
    class T4_principal_findings_consider_action_and_condition {
        @Test
        void account_root_allowed_only_web_identity_cannot_assume_role() {
            String policy = policy(github(aud(), subPattern("repo:acme/web-api:*")),
                    statement("Allow", "{\"AWS\":\"arn:aws:iam::" + ACCOUNT + ":root\"}", "\"" + WEB_IDENTITY + "\""));
            assertThat(codes(check(policy))).doesNotContain(TRUST_PRINCIPAL_UNEXPECTED, TRUST_PRINCIPAL_OTHER_ACCOUNT);
        }

        @Test
        void tag_session_alone_assumes_nothing() {
            String policy = policy(github(aud(), subPattern("repo:acme/web-api:*")),
                    statement("Allow", "{\"AWS\":\"arn:aws:iam::111122223333:root\"}", "\"sts:TagSession\""));
            assertThat(codes(check(policy))).doesNotContain(TRUST_PRINCIPAL_OTHER_ACCOUNT);
        }

        @Test
        void everyone_pinned_by_a_sub_condition_is_not_a_principal_wildcard() {
            String policy = policy(statement("Allow", "{\"AWS\":\"*\"}", "\"" + WEB_IDENTITY + "\"", aud(), subPattern("repo:acme/web-api:*")));
            CheckOutcome<DocumentChange> outcome = check(policy);
            assertThat(codes(outcome)).doesNotContain(TRUST_PRINCIPAL_WILDCARD);
        }

        @Test
        void everyone_without_conditions_is_still_a_principal_wildcard() {
            String policy = policy(github(aud(), subPattern("repo:acme/web-api:*")), statement("Allow", "{\"AWS\":\"*\"}", "\"sts:AssumeRole\""));
            assertThat(codes(check(policy))).contains(TRUST_PRINCIPAL_WILDCARD);
        }

        @Test
        void other_account_allowed_assume_role_is_still_reported() {
            String policy = policy(github(aud(), subPattern("repo:acme/web-api:*")),
                    statement("Allow", "{\"AWS\":\"arn:aws:iam::111122223333:root\"}", "\"sts:AssumeRole\""));
            assertThat(codes(check(policy))).contains(TRUST_PRINCIPAL_OTHER_ACCOUNT);
        }
    }

    @Nested
    class M1_a_role_for_another_repository_is_also_unusable {
        @Test
        void wrong_repository_is_exposure_and_broken() {
            CheckOutcome<DocumentChange> outcome = check(policy(github(aud(), subPattern("repo:acme/payments:*"))));
            assertThat(codes(outcome)).contains(TRUST_SUB_WRONG_REPO, TRUST_NO_GITHUB_PRINCIPAL);
        }

        @Test
        void wrong_owner_is_exposure_and_broken() {
            CheckOutcome<DocumentChange> outcome = check(policy(github(aud(), subPattern("repo:acme-old/web-api:*"))));
            assertThat(codes(outcome)).contains(TRUST_SUB_WRONG_OWNER, TRUST_NO_GITHUB_PRINCIPAL);
        }
    }

    @Nested
    class T3_policy_variables_take_the_request_value {
        @Test
        void repository_variable_in_sub_admits_every_repository() {
            CheckOutcome<DocumentChange> outcome = check(policy(github(aud(),
                    subPattern("repo:${token.actions.githubusercontent.com:repository}:*"))));
            assertThat(codes(outcome)).containsAnyElementsOf(EXPOSURES).doesNotContain(TRUST_NO_GITHUB_PRINCIPAL);
            assertThat(token(outcome, outcome.findings().stream().map(f -> f.code()).filter(EXPOSURES::contains).findFirst().orElseThrow()).sub())
                    .doesNotStartWith("repo:acme/web-api:");
        }

        @Test
        void variable_in_sub_equals_keeps_the_role_usable() {
            CheckOutcome<DocumentChange> outcome = check(policy(github(aud(), cond("StringEquals", key("sub"),
                    "repo:acme/web-api:ref:${token.actions.githubusercontent.com:ref}"))));
            assertThat(codes(outcome)).doesNotContain(TRUST_NO_GITHUB_PRINCIPAL).doesNotContainAnyElementsOf(EXPOSURES);
        }

        @Test
        void unknown_variable_is_reported_and_matches_nothing() {
            CheckOutcome<DocumentChange> outcome = check(policy(github(aud(), subPattern("repo:acme/${github:repo}:*"))));
            assertThat(codes(outcome)).contains(TRUST_CONDITION_KEY_MALFORMED).doesNotContainAnyElementsOf(EXPOSURES);
            assertThat(finding(outcome, TRUST_CONDITION_KEY_MALFORMED).message()).contains("${github:repo}");
        }

        @Test
        void escaped_star_is_a_literal_character() {
            CheckOutcome<DocumentChange> outcome = check(policy(github(aud(), subPattern("repo:acme/${*}:*"))));
            assertThat(codes(outcome)).doesNotContainAnyElementsOf(EXPOSURES).contains(TRUST_NO_GITHUB_PRINCIPAL);
        }
    }

    @Nested
    class T10_arn_operators_never_match_a_claim {
        @Test
        void arn_like_sub_pin_admits_nobody() {
            CheckOutcome<DocumentChange> outcome = check(policy(github(aud(), cond("ArnLike", key("sub"), "repo:acme/web-api:*"))));
            assertThat(codes(outcome)).doesNotContainAnyElementsOf(EXPOSURES).contains(TRUST_NO_GITHUB_PRINCIPAL);
        }

        @Test
        void arn_not_like_sub_restricts_nobody() {
            CheckOutcome<DocumentChange> outcome = check(policy(github(aud(), subPattern("repo:acme/*"),
                    cond("ArnNotLike", key("sub"), "repo:acme/other:*"))));
            assertThat(codes(outcome)).contains(TRUST_SUB_ORG_WIDE);
            assertThat(token(outcome, TRUST_SUB_ORG_WIDE).sub()).startsWith("repo:acme/");
        }
    }

    @Nested
    class T6_witnesses_and_verdicts_only_on_tokens_github_can_issue {
        @Test
        void a_ref_value_github_cannot_issue_admits_nobody() {
            // No sub condition, but ref must be the literal "refs/heads/*": no branch is named "*", so no token gets in.
            CheckOutcome<DocumentChange> outcome = check(policy(github(aud(), cond("StringEquals", key("ref"), "refs/heads/*"))));
            assertThat(codes(outcome)).doesNotContainAnyElementsOf(EXPOSURES).contains(TRUST_NO_GITHUB_PRINCIPAL);
        }

        @Test
        void a_tag_witness_names_a_tag() {
            CheckOutcome<DocumentChange> outcome = check(policy(github(aud(), subPattern("repo:acme/*:ref:refs/tags/*"))));
            Witness.Token w = token(outcome, TRUST_SUB_ORG_WIDE);
            assertThat(GitHubTokenRules.problems(TrustDifferentialTest.completed(w))).as(w.toString()).isEmpty();
            assertThat(w.sub()).startsWith("repo:acme/").matches(".*:ref:refs/tags/[^:]+");
        }

        @Test
        void an_owner_witness_follows_githubs_owner_rules() {
            // acme-- (double hyphen) is no GitHub owner; acme-0 is one.
            CheckOutcome<DocumentChange> outcome = check(policy(github(aud(), subPattern("repo:acme-?/web-api:*"))));
            Witness.Token w = token(outcome, TRUST_SUB_OWNER_WILDCARD);
            assertThat(GitHubTokenRules.problems(TrustDifferentialTest.completed(w))).as(w.toString()).isEmpty();
        }

        @Test
        void a_repository_pattern_only_dots_match_admits_nobody() {
            // "." and ".." are no repository names.
            CheckOutcome<DocumentChange> outcome = check(policy(github(aud(), cond("StringLike", key("repository"), "acme/.", "acme/.."))));
            assertThat(codes(outcome)).doesNotContainAnyElementsOf(EXPOSURES).contains(TRUST_NO_GITHUB_PRINCIPAL);
        }

        @Test
        void every_witness_of_generated_policies_is_a_token_github_can_issue() {
            List<String> fragments = List.of("repo:", "acme", "-", "--", "acme-", "web-api", "/", ":", "ref:", "refs/heads/", "refs/tags/",
                    "refs/pull/", "/merge", "environment:", "pull_request", ".", "..", ".lock", "@", "*", "*", "?", "main", "v1");
            List<String> checked = new java.util.ArrayList<>();
            Generated.forAll(150, r -> {
                // Mostly repo:<fragments>, which reaches exposures; sometimes fragments alone (crafted templates).
                StringBuilder pattern = new StringBuilder(Generated.chance(r, 0.7) ? "repo:" : "");
                for (int i = 1 + r.nextInt(7); i > 0; i--) {
                    pattern.append(Generated.oneOf(r, fragments));
                }
                List<TrustPolicies.Cond> conds = new java.util.ArrayList<>(List.of(aud(), subPattern(pattern.toString())));
                if (Generated.chance(r, 0.4)) {
                    conds.add(cond(Generated.oneOf(r, List.of("StringLike", "StringEquals")), key(Generated.oneOf(r, List.of("ref", "environment",
                            "repository"))), Generated.oneOf(r, List.of("refs/heads/*", "refs/tags/v*", "*", "acme/*", "refs/pull/*/merge", "prod*"))));
                }
                return policy(github(conds.toArray(TrustPolicies.Cond[]::new)));
            }, p -> {
                for (var f : check(p).findings()) {
                    if (f.witness() instanceof Witness.Token w && EXPOSURES.contains(f.code())) {
                        checked.add(w.sub());
                        assertThat(GitHubTokenRules.problems(TrustDifferentialTest.completed(w))).as(f.code() + " " + w + " | " + p).isEmpty();
                        assertThat(TrustDifferentialTest.replays(p, w)).as("admitted: " + f.code() + " " + w + " | " + p).isTrue();
                    }
                }
            });
            assertThat(checked).as("witnesses checked").hasSizeGreaterThan(15);
        }
    }

    @Nested
    class T7_claims_of_one_token_are_tied {
        @Test
        void a_sub_pinned_to_main_and_a_ref_pinned_to_dev_admit_no_token() {
            CheckOutcome<DocumentChange> outcome = check(policy(github(aud(), cond("StringEquals", key("sub"), "repo:acme/web-api:ref:refs/heads/main"),
                    cond("StringEquals", key("ref"), "refs/heads/dev"))));
            assertThat(codes(outcome)).contains(TRUST_NO_GITHUB_PRINCIPAL).doesNotContainAnyElementsOf(EXPOSURES);
        }

        @Test
        void the_same_ref_in_both_is_usable() {
            CheckOutcome<DocumentChange> outcome = check(policy(github(aud(), cond("StringEquals", key("sub"), "repo:acme/web-api:ref:refs/heads/main"),
                    cond("StringEquals", key("ref"), "refs/heads/main"))));
            assertThat(outcome.findings()).isEmpty();
        }

        @Test
        void an_environment_subject_needs_that_environment_claim() {
            CheckOutcome<DocumentChange> other = check(policy(github(aud(), cond("StringEquals", key("sub"), "repo:acme/web-api:environment:prod"),
                    cond("StringEquals", key("environment"), "staging"))));
            assertThat(codes(other)).contains(TRUST_NO_GITHUB_PRINCIPAL);
            CheckOutcome<DocumentChange> same = check(policy(github(aud(), cond("StringEquals", key("sub"), "repo:acme/web-api:environment:prod"),
                    cond("StringEquals", key("environment"), "prod"))));
            assertThat(same.findings()).isEmpty();
        }

        @Test
        void a_ref_subject_means_no_environment_and_a_pull_request_subject_a_pull_request_ref() {
            CheckOutcome<DocumentChange> withEnvironment = check(policy(github(aud(), subPattern("repo:acme/web-api:ref:*"),
                    cond("Null", key("environment"), "false"))));
            assertThat(codes(withEnvironment)).contains(TRUST_NO_GITHUB_PRINCIPAL);
            CheckOutcome<DocumentChange> tagPullRequest = check(policy(github(aud(), cond("StringEquals", key("sub"), "repo:acme/web-api:pull_request"),
                    cond("StringLike", key("ref"), "refs/tags/*"))));
            assertThat(codes(tagPullRequest)).contains(TRUST_NO_GITHUB_PRINCIPAL);
        }

        @Test
        void a_foreign_subject_whose_ref_contradicts_the_ref_condition_is_no_exposure() {
            CheckOutcome<DocumentChange> outcome = check(policy(github(aud(), subPattern("repo:*:ref:refs/heads/main"),
                    cond("StringEquals", key("ref"), "refs/heads/dev"))));
            assertThat(codes(outcome)).doesNotContainAnyElementsOf(EXPOSURES).contains(TRUST_NO_GITHUB_PRINCIPAL);
        }

        @Test
        void a_witness_states_the_ref_its_subject_names() {
            CheckOutcome<DocumentChange> outcome = check(policy(github(aud(), subPattern("repo:*:ref:refs/heads/*"),
                    cond("StringLike", key("ref"), "refs/heads/rel*"))));
            Witness.Token w = token(outcome, TRUST_SUB_WILDCARD_ANY);
            assertThat(w.sub()).endsWith(":ref:" + w.claims().get("ref"));
            assertThat(GitHubTokenRules.problems(TrustDifferentialTest.completed(w))).isEmpty();
        }

        /**
         * Generated: the repository's own subject pinned to one context, with conditions on ref and environment. The
         * oracle is exact: the sub fixes the context, and literal conditions only tell the values they name from the
         * rest, so the tokens tried (each named value, one unnamed value, for the claims the sub leaves free) decide
         * whether any token of the repository gets in.
         */
        @Test
        void the_role_is_usable_exactly_when_a_token_of_the_repository_satisfies_every_condition() {
            List<String> contexts = List.of("ref:refs/heads/main", "ref:refs/heads/dev", "ref:refs/tags/v1", "environment:prod",
                    "environment:staging", "pull_request");
            List<String> refs = List.of("refs/heads/main", "refs/heads/dev", "refs/tags/v1", "refs/pull/7/merge");
            List<String> environments = List.of("prod", "staging");
            int[] unusable = new int[2];
            Generated.forAll(300, r -> {
                List<TrustPolicies.Cond> conds = new java.util.ArrayList<>(List.of(aud(),
                        cond("StringEquals", key("sub"), "repo:acme/web-api:" + Generated.oneOf(r, contexts))));
                if (Generated.chance(r, 0.7)) {
                    conds.add(cond(Generated.oneOf(r, List.of("StringEquals", "StringNotEquals")), key("ref"), Generated.oneOf(r, refs)));
                }
                if (Generated.chance(r, 0.5)) {
                    conds.add(Generated.chance(r, 0.5) ? cond("Null", key("environment"), Generated.oneOf(r, List.of("true", "false")))
                            : cond("StringEqualsIfExists", key("environment"), Generated.oneOf(r, environments)));
                }
                return policy(github(conds.toArray(TrustPolicies.Cond[]::new)));
            }, p -> {
                boolean admitted = false;
                for (String context : contexts) {
                    for (String ref : List.of("refs/heads/main", "refs/heads/dev", "refs/tags/v1", "refs/pull/7/merge", "refs/heads/other",
                            "refs/tags/v2", "refs/pull/8/merge")) {
                        Map<String, String> t = TrustDifferentialTest.token("acme", "web-api", context);
                        if (!context.startsWith("ref:")) {
                            t.put("ref", ref); // an environment or pull-request run may be on any ref of its kind
                        }
                        if (GitHubTokenRules.problems(t).isEmpty() && TrustDifferentialTest.admits(p, t)) {
                            admitted = true;
                        }
                    }
                }
                boolean reported = codes(check(p)).contains(TRUST_NO_GITHUB_PRINCIPAL);
                unusable[reported ? 0 : 1]++;
                assertThat(reported).as("called unusable, while a token of the repository gets in: " + admitted + " | " + p).isEqualTo(!admitted);
            });
            assertThat(unusable[0]).as("unusable policies generated").isGreaterThan(30);
            assertThat(unusable[1]).as("usable policies generated").isGreaterThan(30);
        }
    }

    @Nested
    class T11_the_created_role_matches_the_repository_s_subject_template {
        @Test
        void baseline_trust_is_usable_and_confined_under_custom_templates() throws Exception {
            for (String template : List.of("context,repo", "repository,context", "repo,job_workflow_ref", "repository_owner,repo,context",
                    "repo", "repo,context")) {
                Map<String, String> tags = Map.of("github:sub-claims", template);
                dev.ecroidcguard.core.github.GitHubRepository github = dev.ecroidcguard.core.github.GitHubRepository.fromTags("web-api", tags, "acme");
                String created = dev.ecroidcguard.core.analysis.Baseline.trustPolicy(PROVIDER, ISSUER, github);
                assertThat(TrustCheck.check(context(created, tags), new TrustLanguageCache()).findings()).as(template + ": " + created).isEmpty();
            }
        }
    }
}
