package dev.ecroidcguard.core.trust;

import dev.ecroidcguard.core.analysis.CheckOutcome;
import dev.ecroidcguard.core.analysis.RepositoryContext;
import dev.ecroidcguard.core.finding.Finding;
import dev.ecroidcguard.core.finding.FindingCode;
import dev.ecroidcguard.core.finding.Witness;
import dev.ecroidcguard.core.fix.DocumentChange;
import dev.ecroidcguard.core.inventory.OidcProvider;
import dev.ecroidcguard.core.lang.Wildcards;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static dev.ecroidcguard.core.finding.FindingCode.*;
import static dev.ecroidcguard.core.trust.TrustFixtures.*;
import static dev.ecroidcguard.core.trust.TrustPolicies.*;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Catalogue §4.1, entry by entry: for every TRUST_* code a failing variant (the code and its witness) and a
 * passing variant (no finding of that code), plus the §1.1/§1.2 nuances the analysis must get right.
 */
class TrustCheckTest {

    static final String ATTACKER_SUB = "repo:acme-evil/web-api:ref:refs/heads/main";
    static final String SIBLING_SUB = "repo:acme/web-api-evil:ref:refs/heads/main";
    static final String SELF_MAIN = "repo:acme/web-api:ref:refs/heads/main";
    static final Map<String, String> IMMUTABLE = Map.of("github:owner-id", "123", "github:repository-id", "456",
            "github:subject-format", "immutable");
    static final List<OidcProvider> ENTERPRISE = List.of(new OidcProvider(ENTERPRISE_PROVIDER, ENTERPRISE_ISSUER, List.of("sts.amazonaws.com")));

    // ------------------------------------------------------------------ helpers

    static CheckOutcome<DocumentChange> check(String policy) {
        return TrustCheck.check(context(policy), new TrustLanguageCache());
    }

    static CheckOutcome<DocumentChange> check(String policy, Map<String, String> tags) {
        return TrustCheck.check(context(policy, tags), new TrustLanguageCache());
    }

    static Set<FindingCode> codes(CheckOutcome<?> outcome) {
        return outcome.findings().stream().map(Finding::code).collect(Collectors.toSet());
    }

    static Finding finding(CheckOutcome<?> outcome, FindingCode code) {
        return outcome.findings().stream().filter(f -> f.code() == code).findFirst()
                .orElseThrow(() -> new AssertionError("no " + code + " in " + outcome.findings()));
    }

    static Witness.Token token(CheckOutcome<?> outcome, FindingCode code) {
        assertThat(finding(outcome, code).witness()).isInstanceOf(Witness.Token.class);
        return (Witness.Token) finding(outcome, code).witness();
    }

    static String sub(CheckOutcome<?> outcome, FindingCode code) {
        return token(outcome, code).sub();
    }

    static CheckOutcome<DocumentChange> subs(String... values) {
        return check(policy(github(aud(), subPattern(values))));
    }

    static String awsStatement(String principal, String action) {
        return statement("Allow", "{\"AWS\":\"" + principal + "\"}", "\"" + action + "\"");
    }

    // ------------------------------------------------------------------ the post's policy

    @Nested
    class CanonicalPolicy {
        @Test
        void the_origin_posts_trust_policy_has_no_findings_and_stays_unchanged() {
            CheckOutcome<DocumentChange> outcome = check(canonical());
            assertThat(outcome.findings()).isEmpty();
            assertThat(outcome.change()).isEqualTo(DocumentChange.UNCHANGED);
        }

        @Test
        void narrower_in_repo_pins_are_compliant() {
            assertThat(subs(SELF_MAIN).findings()).isEmpty();
            assertThat(subs("repo:acme/web-api:environment:prod").findings()).isEmpty();
            assertThat(subs("repo:acme/web-api:ref:refs/heads/main", "repo:acme/web-api:ref:refs/tags/v1.0.0").findings()).isEmpty();
        }

        @Test
        void condition_key_names_are_case_insensitive() {
            String policy = policy(github(cond("StringEquals", "Token.Actions.GitHubUserContent.com:Aud", "sts.amazonaws.com"),
                    cond("StringLike", "Token.Actions.GitHubUserContent.com:Sub", "repo:acme/web-api:*")));
            assertThat(check(policy).findings()).isEmpty();
        }

        @Test
        void tag_session_alongside_web_identity_is_fine() {
            String policy = policy(statement("Allow", "{\"Federated\":\"" + PROVIDER + "\"}", "[\"" + WEB_IDENTITY + "\",\"sts:TagSession\"]",
                    aud(), subPattern("repo:acme/web-api:*")));
            assertThat(check(policy).findings()).isEmpty();
        }
    }

    // ------------------------------------------------------------------ §4.1, code by code

    @Nested
    class NoGithubPrincipal {
        @Test
        void a_role_that_trusts_only_an_aws_principal_cannot_be_assumed_by_github() {
            CheckOutcome<DocumentChange> outcome = check(policy(awsStatement("arn:aws:iam::123456789012:role/deployer", "sts:AssumeRole")));
            assertThat(codes(outcome)).contains(TRUST_NO_GITHUB_PRINCIPAL);
            assertThat(finding(outcome, TRUST_NO_GITHUB_PRINCIPAL).witness()).as("a finding about something absent").isNull();
        }

        @Test
        void a_deny_of_everything_leaves_github_out() {
            CheckOutcome<DocumentChange> outcome = check(policy(github(aud(), subPattern("repo:acme/web-api:*")),
                    statement("Deny", "\"*\"", "\"sts:*\"")));
            assertThat(codes(outcome)).containsExactly(TRUST_NO_GITHUB_PRINCIPAL);
        }

        @Test
        void passes_when_the_provider_is_trusted() {
            assertThat(codes(check(canonical()))).doesNotContain(TRUST_NO_GITHUB_PRINCIPAL);
        }

        @Test
        void a_github_provider_the_account_does_not_have_cannot_be_used() {
            // The enterprise provider was never created: the account has only the public one.
            String policy = policy(ProviderMismatch.enterpriseStatement(ENTERPRISE_ISSUER));
            CheckOutcome<DocumentChange> outcome = check(policy);
            assertThat(codes(outcome)).containsExactly(TRUST_NO_GITHUB_PRINCIPAL);
            Finding f = finding(outcome, TRUST_NO_GITHUB_PRINCIPAL);
            assertThat(f.message()).contains(ENTERPRISE_PROVIDER).contains("does not exist in account " + ACCOUNT);
            assertThat(f.witness()).as("a finding about something absent").isNull();
            assertThat(outcome.change()).isInstanceOf(DocumentChange.NeedsHuman.class);
        }

        @Test
        void a_missing_provider_does_not_make_a_non_working_policy_work() {
            // The existing provider's statement names another repository; the one that would admit web-api is for a
            // provider that does not exist.
            String policy = policy(github(aud(), subPattern("repo:acme/other:*")), ProviderMismatch.enterpriseStatement(ENTERPRISE_ISSUER));
            CheckOutcome<DocumentChange> outcome = check(policy);
            assertThat(codes(outcome)).contains(TRUST_NO_GITHUB_PRINCIPAL);
            assertThat(finding(outcome, TRUST_NO_GITHUB_PRINCIPAL).message()).contains(ENTERPRISE_PROVIDER + ", which does not exist");
        }

        @Test
        void an_account_without_any_github_provider() {
            CheckOutcome<DocumentChange> outcome = TrustCheck.check(context(canonical(), Map.of(), List.of()), new TrustLanguageCache());
            assertThat(codes(outcome)).containsExactly(TRUST_NO_GITHUB_PRINCIPAL);
            assertThat(finding(outcome, TRUST_NO_GITHUB_PRINCIPAL).message()).contains(PROVIDER).contains("does not exist in account " + ACCOUNT);
        }

        @Test
        void passes_when_a_statement_for_an_existing_provider_works_beside_one_for_a_missing_provider() {
            String policy = policy(github(aud(), subPattern("repo:acme/web-api:*")), ProviderMismatch.enterpriseStatement(ENTERPRISE_ISSUER));
            assertThat(codes(check(policy))).doesNotContain(TRUST_NO_GITHUB_PRINCIPAL);
        }
    }

    @Nested
    class NoSubCondition {
        @Test
        void no_condition_at_all() {
            CheckOutcome<DocumentChange> outcome = check(policy(github()));
            assertThat(codes(outcome)).contains(TRUST_NO_SUB_CONDITION);
            assertThat(sub(outcome, TRUST_NO_SUB_CONDITION)).isEqualTo(ATTACKER_SUB);
        }

        @Test
        void aud_only() {
            CheckOutcome<DocumentChange> outcome = check(policy(github(aud())));
            assertThat(codes(outcome)).containsExactly(TRUST_NO_SUB_CONDITION);
            assertThat(token(outcome, TRUST_NO_SUB_CONDITION)).isEqualTo(new Witness.Token(ATTACKER_SUB, Map.of("aud", "sts.amazonaws.com")));
        }

        @Test
        void null_only_tests_presence() {
            CheckOutcome<DocumentChange> outcome = check(policy(github(aud(), cond("Null", key("sub"), "false"))));
            assertThat(codes(outcome)).containsExactly(TRUST_NO_SUB_CONDITION);
            assertThat(sub(outcome, TRUST_NO_SUB_CONDITION)).isEqualTo(ATTACKER_SUB);
        }

        @Test
        void a_misspelled_key_under_if_exists_opens_the_role() {
            CheckOutcome<DocumentChange> outcome = check(policy(github(aud(), cond("StringLikeIfExists", key("subject"), "repo:acme/web-api:*"))));
            assertThat(codes(outcome)).contains(TRUST_NO_SUB_CONDITION, TRUST_CONDITION_KEY_MALFORMED);
            assertThat(sub(outcome, TRUST_NO_SUB_CONDITION)).isEqualTo(ATTACKER_SUB);
        }

        @Test
        void statements_are_ored_so_a_second_unrestricted_statement_poisons_the_policy() {
            CheckOutcome<DocumentChange> outcome = check(policy(github(aud(), subPattern("repo:acme/web-api:*")), github(aud())));
            assertThat(codes(outcome)).containsExactly(TRUST_NO_SUB_CONDITION);
            assertThat(finding(outcome, TRUST_NO_SUB_CONDITION).message()).contains("statement #2");
            assertThat(sub(outcome, TRUST_NO_SUB_CONDITION)).isEqualTo(ATTACKER_SUB);
        }

        @Test
        void an_anded_repository_id_pin_makes_a_loose_sub_harmless() {
            String policy = policy(github(aud(), cond("StringEquals", key("repository_id"), "456"), subPattern("repo:*")));
            assertThat(check(policy, Map.of("github:repository-id", "456")).findings()).isEmpty();
        }

        @Test
        void a_repository_id_pin_alone_confines_the_role() {
            String policy = policy(github(aud(), cond("StringEquals", key("repository_id"), "456")));
            assertThat(check(policy, Map.of("github:repository-id", "456")).findings()).isEmpty();
        }
    }

    @Nested
    class SubWildcardAny {
        @Test
        void star_repo_star_and_repo_star_slash_star_match_every_repository() {
            for (String value : List.of("*", "repo:*", "repo:*/*")) {
                CheckOutcome<DocumentChange> outcome = subs(value);
                assertThat(codes(outcome)).as(value).containsExactly(TRUST_SUB_WILDCARD_ANY);
                assertThat(sub(outcome, TRUST_SUB_WILDCARD_ANY)).as(value).isEqualTo(ATTACKER_SUB);
            }
        }

        @Test
        void a_leading_star_matches_owners_that_end_with_the_name() {
            CheckOutcome<DocumentChange> outcome = subs("*acme/web-api:*");
            assertThat(codes(outcome)).containsExactly(TRUST_SUB_WILDCARD_ANY);
            assertThat(sub(outcome, TRUST_SUB_WILDCARD_ANY)).isEqualTo("repo:evil-acme/web-api:ref:refs/heads/main");
        }

        @Test
        void values_are_ored_so_one_star_poisons_the_list() {
            CheckOutcome<DocumentChange> outcome = subs(SELF_MAIN, "*");
            assertThat(codes(outcome)).containsExactly(TRUST_SUB_WILDCARD_ANY);
            assertThat(finding(outcome, TRUST_SUB_WILDCARD_ANY).message()).contains("'*'");
            assertThat(sub(outcome, TRUST_SUB_WILDCARD_ANY)).isEqualTo(ATTACKER_SUB);
        }

        @Test
        void passes_for_the_repository_scoped_value() {
            assertThat(codes(subs("repo:acme/web-api:*"))).doesNotContain(TRUST_SUB_WILDCARD_ANY);
        }
    }

    @Nested
    class SubOwnerWildcard {
        @Test
        void a_star_after_the_owner_matches_acme_evil() {
            for (String value : List.of("repo:acme*", "repo:acme*/web-api:*")) {
                CheckOutcome<DocumentChange> outcome = subs(value);
                assertThat(codes(outcome)).as(value).containsExactly(TRUST_SUB_OWNER_WILDCARD);
                assertThat(sub(outcome, TRUST_SUB_OWNER_WILDCARD)).as(value).isEqualTo(ATTACKER_SUB);
            }
        }

        @Test
        void a_question_mark_in_the_owner_is_a_wildcard_not_a_wrong_owner() {
            CheckOutcome<DocumentChange> outcome = subs("repo:ac?e/web-api:*");
            assertThat(codes(outcome)).containsExactly(TRUST_SUB_OWNER_WILDCARD);
            String witness = sub(outcome, TRUST_SUB_OWNER_WILDCARD);
            assertThat(Wildcards.matches("repo:ac?e/web-api:*", witness)).isTrue();
            assertThat(witness).doesNotStartWith("repo:acme/");
        }

        @Test
        void passes_for_the_exact_owner_in_both_subject_formats() {
            assertThat(codes(subs("repo:acme/web-api:*"))).doesNotContain(TRUST_SUB_OWNER_WILDCARD);
            assertThat(codes(check(policy(github(aud(), subPattern("repo:acme@123/web-api@456:*"))), IMMUTABLE))).isEmpty();
        }
    }

    @Nested
    class SubOrgWide {
        @Test
        void every_repository_of_the_owner() {
            for (String value : List.of("repo:acme/*", "repo:acme/*:*", "repo:acme/*:ref:refs/heads/main")) {
                CheckOutcome<DocumentChange> outcome = subs(value);
                assertThat(codes(outcome)).as(value).containsExactly(TRUST_SUB_ORG_WIDE);
                assertThat(sub(outcome, TRUST_SUB_ORG_WIDE)).as(value).isEqualTo(SIBLING_SUB);
            }
        }

        @Test
        void one_loose_value_poisons_a_list() {
            CheckOutcome<DocumentChange> outcome = subs(SELF_MAIN, "repo:acme/*");
            assertThat(codes(outcome)).containsExactly(TRUST_SUB_ORG_WIDE);
            assertThat(sub(outcome, TRUST_SUB_ORG_WIDE)).isEqualTo(SIBLING_SUB);
        }

        @Test
        void a_custom_repository_owner_template() {
            CheckOutcome<DocumentChange> outcome = check(policy(github(aud(), subPattern("repository_owner:acme"))),
                    Map.of("github:sub-claims", "repository_owner"));
            assertThat(codes(outcome)).containsExactly(TRUST_SUB_ORG_WIDE);
            assertThat(sub(outcome, TRUST_SUB_ORG_WIDE)).isEqualTo("repository_owner:acme");
        }

        @Test
        void a_repository_owner_id_key_pin_alone() {
            CheckOutcome<DocumentChange> outcome = check(policy(github(aud(), cond("StringEquals", key("repository_owner_id"), "123"))),
                    Map.of("github:owner-id", "123"));
            assertThat(codes(outcome)).containsExactly(TRUST_SUB_ORG_WIDE);
            assertThat(token(outcome, TRUST_SUB_ORG_WIDE)).isEqualTo(new Witness.Token(SIBLING_SUB,
                    Map.of("aud", "sts.amazonaws.com", "repository_owner_id", "123")));
        }

        @Test
        void ids_as_wildcards_are_not_confined_because_refs_may_contain_slash_and_at() {
            // Another acme repository with the template repo,context,job_workflow_ref and a branch x/web-api@y mints
            // a subject this pattern admits: a * spans '/', '@' and ':'.
            CheckOutcome<DocumentChange> outcome = check(policy(github(aud(), subPattern("repo:acme@*/web-api@*:*"))), IMMUTABLE);
            assertThat(codes(outcome)).containsExactly(TRUST_SUB_ORG_WIDE);
            String witness = sub(outcome, TRUST_SUB_ORG_WIDE);
            assertThat(Wildcards.matches("repo:acme@*/web-api@*:*", witness)).isTrue();
            assertThat(witness).startsWith("repo:acme@123/").doesNotStartWith("repo:acme@123/web-api@456:");
        }

        @Test
        void a_deny_with_string_not_like_confines_an_org_wide_allow() {
            String deny = statement("Deny", "{\"Federated\":\"" + PROVIDER + "\"}", "\"" + WEB_IDENTITY + "\"",
                    cond("StringNotLike", key("sub"), "repo:acme/web-api:*"));
            CheckOutcome<DocumentChange> outcome = check(policy(github(aud(), subPattern("repo:acme/*")), deny));
            assertThat(outcome.findings()).isEmpty();
            assertThat(outcome.change()).isEqualTo(DocumentChange.UNCHANGED);
        }

        @Test
        void a_deny_that_misses_siblings_does_not_confine() {
            String deny = statement("Deny", "{\"Federated\":\"" + PROVIDER + "\"}", "\"" + WEB_IDENTITY + "\"",
                    subPattern("repo:acme/web-api-evil:*"));
            CheckOutcome<DocumentChange> outcome = check(policy(github(aud(), subPattern("repo:acme/*")), deny));
            assertThat(codes(outcome)).containsExactly(TRUST_SUB_ORG_WIDE);
            String witness = sub(outcome, TRUST_SUB_ORG_WIDE);
            assertThat(Wildcards.matches("repo:acme/*", witness)).isTrue();
            assertThat(Wildcards.matches("repo:acme/web-api-evil:*", witness)).as("the witness dodges the Deny").isFalse();
        }
    }

    @Nested
    class SubRepoPrefixWildcard {
        @Test
        void a_missing_colon_admits_web_api_evil() {
            CheckOutcome<DocumentChange> outcome = subs("repo:acme/web-api*");
            assertThat(codes(outcome)).containsExactly(TRUST_SUB_REPO_PREFIX_WILDCARD);
            assertThat(token(outcome, TRUST_SUB_REPO_PREFIX_WILDCARD)).isEqualTo(new Witness.Token(SIBLING_SUB, Map.of("aud", "sts.amazonaws.com")));
        }

        @Test
        void a_wildcard_inside_the_name() {
            CheckOutcome<DocumentChange> outcome = subs("repo:acme/web-*:*");
            assertThat(codes(outcome)).containsExactly(TRUST_SUB_REPO_PREFIX_WILDCARD);
            assertThat(sub(outcome, TRUST_SUB_REPO_PREFIX_WILDCARD)).isEqualTo(SIBLING_SUB);
        }

        @Test
        void a_question_mark_in_the_name_is_a_wildcard_not_a_wrong_repository() {
            CheckOutcome<DocumentChange> outcome = subs("repo:acme/web-ap?:*");
            assertThat(codes(outcome)).containsExactly(TRUST_SUB_REPO_PREFIX_WILDCARD);
            assertThat(sub(outcome, TRUST_SUB_REPO_PREFIX_WILDCARD)).matches("repo:acme/web-ap[^i]:ref:refs/heads/main");
        }

        @Test
        void passes_with_the_colon_before_the_wildcard() {
            assertThat(codes(subs("repo:acme/web-api:*"))).doesNotContain(TRUST_SUB_REPO_PREFIX_WILDCARD);
        }
    }

    @Nested
    class SubWrongRepo {
        @Test
        void another_repository_alone_is_an_exposure_and_makes_the_role_unusable() {
            CheckOutcome<DocumentChange> outcome = subs("repo:acme/other:*");
            assertThat(codes(outcome)).containsExactlyInAnyOrder(TRUST_SUB_WRONG_REPO, TRUST_NO_GITHUB_PRINCIPAL);
            assertThat(sub(outcome, TRUST_SUB_WRONG_REPO)).isEqualTo("repo:acme/other:ref:refs/heads/main");
        }

        @Test
        void another_repository_alongside_the_right_one() {
            CheckOutcome<DocumentChange> outcome = subs("repo:acme/web-api:*", "repo:acme/other:*");
            assertThat(codes(outcome)).containsExactly(TRUST_SUB_WRONG_REPO);
            assertThat(sub(outcome, TRUST_SUB_WRONG_REPO)).isEqualTo("repo:acme/other:ref:refs/heads/main");
        }

        @Test
        void passes_for_the_right_repository() {
            assertThat(codes(subs("repo:acme/web-api:*"))).doesNotContain(TRUST_SUB_WRONG_REPO);
        }
    }

    @Nested
    class SubWrongOwner {
        @Test
        void another_owner() {
            CheckOutcome<DocumentChange> outcome = subs("repo:acme-corp/web-api:*");
            assertThat(codes(outcome)).containsExactlyInAnyOrder(TRUST_SUB_WRONG_OWNER, TRUST_NO_GITHUB_PRINCIPAL);
            assertThat(sub(outcome, TRUST_SUB_WRONG_OWNER)).isEqualTo("repo:acme-corp/web-api:ref:refs/heads/main");
        }

        @Test
        void passes_for_the_right_owner() {
            assertThat(codes(subs("repo:acme/web-api:*"))).doesNotContain(TRUST_SUB_WRONG_OWNER);
        }
    }

    @Nested
    class SubSpoofableClaim {
        @Test
        void a_job_workflow_ref_only_condition_is_reproducible_by_any_caller_of_the_workflow() {
            CheckOutcome<DocumentChange> outcome = check(policy(github(aud(),
                    cond("StringLike", key("job_workflow_ref"), "acme/workflows/.github/workflows/deploy.yml@*"))));
            assertThat(codes(outcome)).containsExactly(TRUST_SUB_SPOOFABLE_CLAIM);
            Witness.Token witness = token(outcome, TRUST_SUB_SPOOFABLE_CLAIM);
            assertThat(witness.sub()).isEqualTo(ATTACKER_SUB);
            assertThat(witness.claims().get("job_workflow_ref")).startsWith("acme/workflows/.github/workflows/deploy.yml@");
        }

        @Test
        void a_custom_template_of_only_job_workflow_ref() {
            String value = "job_workflow_ref:acme/workflows/.github/workflows/deploy.yml@refs/heads/main";
            CheckOutcome<DocumentChange> outcome = check(policy(github(aud(), subPattern(value))), Map.of("github:sub-claims", "job_workflow_ref"));
            assertThat(codes(outcome)).containsExactly(TRUST_SUB_SPOOFABLE_CLAIM);
            assertThat(sub(outcome, TRUST_SUB_SPOOFABLE_CLAIM)).isEqualTo(value);
        }

        @Test
        void passes_when_a_sub_pin_is_anded_with_the_workflow_pin() {
            CheckOutcome<DocumentChange> outcome = check(policy(github(aud(), subPattern("repo:acme/web-api:*"),
                    cond("StringLike", key("job_workflow_ref"), "acme/workflows/.github/workflows/deploy.yml@*"))));
            assertThat(outcome.findings()).isEmpty();
        }
    }

    @Nested
    class SubStringEqualsWildcard {
        @Test
        void a_star_under_string_equals_is_literal() {
            CheckOutcome<DocumentChange> outcome = check(policy(github(aud(), cond("StringEquals", key("sub"), "repo:acme/web-api:*"))));
            assertThat(codes(outcome)).containsExactly(TRUST_SUB_STRINGEQUALS_WILDCARD);
            assertThat(finding(outcome, TRUST_SUB_STRINGEQUALS_WILDCARD).witness())
                    .isEqualTo(new Witness.Detail("'repo:acme/web-api:*' matches only a subject containing a literal '*'"));
        }

        @Test
        void passes_for_an_exact_subject() {
            CheckOutcome<DocumentChange> outcome = check(policy(github(aud(), cond("StringEquals", key("sub"), SELF_MAIN))));
            assertThat(outcome.findings()).isEmpty();
        }
    }

    @Nested
    class SubCaseMismatch {
        @Test
        void values_are_case_sensitive_so_an_upper_case_owner_never_matches() {
            CheckOutcome<DocumentChange> outcome = subs("repo:ACME/web-api:*");
            assertThat(codes(outcome)).containsExactly(TRUST_SUB_CASE_MISMATCH);
            assertThat(sub(outcome, TRUST_SUB_CASE_MISMATCH)).isEqualTo(SELF_MAIN);
        }

        @Test
        void the_lowercase_ecr_name_against_githubs_canonical_casing() {
            CheckOutcome<DocumentChange> outcome = check(policy(github(aud(), subPattern("repo:acme/web-api:*"))), Map.of("github:repository", "Acme/web-api"));
            assertThat(codes(outcome)).containsExactly(TRUST_SUB_CASE_MISMATCH);
            assertThat(sub(outcome, TRUST_SUB_CASE_MISMATCH)).isEqualTo("repo:Acme/web-api:ref:refs/heads/main");
        }

        @Test
        void passes_with_string_equals_ignore_case_or_githubs_casing() {
            assertThat(check(policy(github(aud(), cond("StringEqualsIgnoreCase", key("sub"), "repo:ACME/web-api:ref:refs/heads/main")))).findings()).isEmpty();
            assertThat(check(policy(github(aud(), subPattern("repo:Acme/web-api:*"))), Map.of("github:repository", "Acme/web-api")).findings()).isEmpty();
        }
    }

    @Nested
    class SubFormatMismatch {
        @Test
        void a_name_form_pattern_for_a_repository_that_mints_immutable_subjects() {
            CheckOutcome<DocumentChange> outcome = check(policy(github(aud(), subPattern("repo:acme/web-api:*"))), IMMUTABLE);
            assertThat(codes(outcome)).containsExactly(TRUST_SUB_FORMAT_MISMATCH);
            assertThat(sub(outcome, TRUST_SUB_FORMAT_MISMATCH)).isEqualTo(SELF_MAIN);
        }

        @Test
        void an_immutable_pattern_for_a_repository_that_mints_name_form_subjects() {
            CheckOutcome<DocumentChange> outcome = subs("repo:acme@123/web-api@456:*");
            assertThat(codes(outcome)).containsExactly(TRUST_SUB_FORMAT_MISMATCH);
            assertThat(sub(outcome, TRUST_SUB_FORMAT_MISMATCH)).isEqualTo("repo:acme@123/web-api@456:ref:refs/heads/main");
        }

        @Test
        void a_default_form_pattern_while_a_custom_template_is_active() {
            CheckOutcome<DocumentChange> outcome = check(policy(github(aud(), subPattern("repo:acme/web-api:*"))), Map.of("github:sub-claims", "repo"));
            assertThat(codes(outcome)).containsExactly(TRUST_SUB_FORMAT_MISMATCH);
            assertThat(sub(outcome, TRUST_SUB_FORMAT_MISMATCH)).isEqualTo(SELF_MAIN);
        }

        @Test
        void passes_with_the_right_format_or_both_during_migration() {
            assertThat(check(policy(github(aud(), subPattern("repo:acme@123/web-api@456:*"))), IMMUTABLE).findings()).isEmpty();
            assertThat(check(policy(github(aud(), subPattern("repo:acme/web-api:*", "repo:acme@123/web-api@456:*"))), IMMUTABLE).findings()).isEmpty();
            assertThat(check(policy(github(aud(), subPattern("repo:acme/web-api"))), Map.of("github:sub-claims", "repo")).findings()).isEmpty();
        }
    }

    @Nested
    class SubRefPrefixWildcard {
        /**
         * Issue 11, T8: a ref pattern inside the repository is within "repo:<owner>/<name>:* or narrower", the
         * compliance baseline, so it is no finding (the code is no longer produced); release-tag and release-branch
         * prefixes are deliberate, and a fix must never rewrite them into a literal no workflow matches.
         */
        @Test
        void ref_patterns_inside_the_repository_are_within_the_baseline() {
            for (String value : List.of("repo:acme/web-api:ref:refs/tags/v*", "repo:acme/web-api:ref:refs/heads/release/*",
                    "repo:acme/web-api:ref:refs/heads/main*")) {
                CheckOutcome<DocumentChange> outcome = subs(value);
                assertThat(outcome.findings()).as(value).isEmpty();
                assertThat(outcome.change()).as(value).isEqualTo(DocumentChange.UNCHANGED);
            }
        }

        @Test
        void passes_for_an_exact_branch_or_the_whole_repository() {
            assertThat(subs(SELF_MAIN).findings()).isEmpty();
            assertThat(subs("repo:acme/web-api:*").findings()).isEmpty();
        }
    }

    @Nested
    class SubNegatedOperator {
        @Test
        void a_deny_list_in_an_allow_lets_everything_else_in() {
            CheckOutcome<DocumentChange> outcome = check(policy(github(aud(), cond("StringNotLike", key("sub"), "repo:evil/*"))));
            assertThat(codes(outcome)).containsExactly(TRUST_SUB_NEGATED_OPERATOR);
            assertThat(sub(outcome, TRUST_SUB_NEGATED_OPERATOR)).isEqualTo(ATTACKER_SUB);
        }

        @Test
        void passes_when_a_positive_pin_is_anded_with_the_negation() {
            CheckOutcome<DocumentChange> outcome = check(policy(github(aud(), subPattern("repo:acme/web-api:*"),
                    cond("StringNotLike", key("sub"), "repo:acme/web-api:pull_request"))));
            assertThat(outcome.findings()).isEmpty();
        }
    }

    @Nested
    class ConditionKeyMalformed {
        @Test
        void a_misspelled_key_is_never_present_so_the_role_is_unusable() {
            CheckOutcome<DocumentChange> outcome = check(policy(github(aud(), cond("StringLike", key("subject"), "repo:acme/web-api:*"))));
            assertThat(codes(outcome)).containsExactly(TRUST_CONDITION_KEY_MALFORMED);
            assertThat(finding(outcome, TRUST_CONDITION_KEY_MALFORMED).witness())
                    .isEqualTo(new Witness.Detail("StringLike on absent key 'token.actions.githubusercontent.com:subject' is never true"));
        }

        @Test
        void whitespace_in_the_key() {
            CheckOutcome<DocumentChange> outcome = check(policy(github(aud(), cond("StringLike", " " + key("sub"), "repo:acme/web-api:*"))));
            assertThat(codes(outcome)).contains(TRUST_CONDITION_KEY_MALFORMED);
            assertThat(finding(outcome, TRUST_CONDITION_KEY_MALFORMED).witness()).isInstanceOf(Witness.Detail.class);
        }

        @Test
        void passes_for_a_key_that_differs_only_in_case() {
            CheckOutcome<DocumentChange> outcome = check(policy(github(aud(), cond("StringLike", "TOKEN.actions.githubusercontent.com:SUB", "repo:acme/web-api:*"))));
            assertThat(codes(outcome)).doesNotContain(TRUST_CONDITION_KEY_MALFORMED).isEmpty();
        }
    }

    @Nested
    class ProviderMismatch {
        static final String ENTERPRISE_FEDERATED = "{\"Federated\":\"" + ENTERPRISE_PROVIDER + "\"}";

        static String enterpriseStatement(String keyPrefix) {
            return statement("Allow", ENTERPRISE_FEDERATED, "\"" + WEB_IDENTITY + "\"",
                    cond("StringEquals", keyPrefix + ":aud", "sts.amazonaws.com"), cond("StringLike", keyPrefix + ":sub", "repo:acme/web-api:*"));
        }

        @Test
        void an_enterprise_provider_with_public_issuer_keys() {
            CheckOutcome<DocumentChange> outcome = TrustCheck.check(context(policy(enterpriseStatement(ISSUER)), Map.of(), ENTERPRISE), new TrustLanguageCache());
            assertThat(codes(outcome)).as("a dead statement lets no audience in: no AUD_MISSING").containsExactly(TRUST_PROVIDER_MISMATCH);
            assertThat(finding(outcome, TRUST_PROVIDER_MISMATCH).witness())
                    .isEqualTo(new Witness.Detail("keys must be prefixed with " + ENTERPRISE_ISSUER + ":"));
        }

        @Test
        void one_finding_per_statement_listing_every_key_of_the_other_issuer() {
            CheckOutcome<DocumentChange> outcome = TrustCheck.check(context(policy(enterpriseStatement(ISSUER)), Map.of(), ENTERPRISE), new TrustLanguageCache());
            List<Finding> mismatches = outcome.findings().stream().filter(f -> f.code() == TRUST_PROVIDER_MISMATCH).toList();
            assertThat(mismatches).hasSize(1);
            assertThat(mismatches.get(0).message()).contains("statement #1").contains("'" + ISSUER + ":aud'").contains("'" + ISSUER + ":sub'");
        }

        @Test
        void two_statements_with_keys_of_another_issuer_give_two_findings() {
            CheckOutcome<DocumentChange> outcome = TrustCheck.check(context(policy(enterpriseStatement(ISSUER), enterpriseStatement(ISSUER)),
                    Map.of(), ENTERPRISE), new TrustLanguageCache());
            assertThat(outcome.findings().stream().filter(f -> f.code() == TRUST_PROVIDER_MISMATCH).map(Finding::message))
                    .hasSize(2).anySatisfy(m -> assertThat(m).contains("statement #1")).anySatisfy(m -> assertThat(m).contains("statement #2"));
        }

        @Test
        void the_public_provider_with_enterprise_keys() {
            String policy = policy(github(cond("StringEquals", ENTERPRISE_ISSUER + ":aud", "sts.amazonaws.com"),
                    cond("StringLike", ENTERPRISE_ISSUER + ":sub", "repo:acme/web-api:*")));
            CheckOutcome<DocumentChange> outcome = check(policy);
            assertThat(codes(outcome)).containsExactly(TRUST_PROVIDER_MISMATCH);
            assertThat(finding(outcome, TRUST_PROVIDER_MISMATCH).witness()).isEqualTo(new Witness.Detail("keys must be prefixed with " + ISSUER + ":"));
        }

        @Test
        void passes_when_keys_carry_the_enterprise_provider_path() {
            CheckOutcome<DocumentChange> outcome = TrustCheck.check(context(policy(enterpriseStatement(ENTERPRISE_ISSUER)), Map.of(), ENTERPRISE), new TrustLanguageCache());
            assertThat(outcome.findings()).isEmpty();
        }

        @Test
        void an_org_wide_value_under_the_enterprise_issuer_is_still_org_wide() {
            String policy = policy(statement("Allow", ENTERPRISE_FEDERATED, "\"" + WEB_IDENTITY + "\"",
                    cond("StringEquals", ENTERPRISE_ISSUER + ":aud", "sts.amazonaws.com"), cond("StringLike", ENTERPRISE_ISSUER + ":sub", "repo:acme/*")));
            CheckOutcome<DocumentChange> outcome = TrustCheck.check(context(policy, Map.of(), ENTERPRISE), new TrustLanguageCache());
            assertThat(codes(outcome)).containsExactly(TRUST_SUB_ORG_WIDE);
            assertThat(sub(outcome, TRUST_SUB_ORG_WIDE)).isEqualTo(SIBLING_SUB);
        }
    }

    @Nested
    class IfExistsCondition {
        @Test
        void if_exists_on_environment_lets_jobs_without_an_environment_skip_the_gate() {
            CheckOutcome<DocumentChange> outcome = check(policy(github(aud(), subPattern("repo:acme/web-api:*"),
                    cond("StringEqualsIfExists", key("environment"), "prod"))));
            assertThat(codes(outcome)).containsExactly(TRUST_IFEXISTS_CONDITION);
            assertThat(token(outcome, TRUST_IFEXISTS_CONDITION)).isEqualTo(new Witness.Token(SELF_MAIN,
                    Map.of("aud", "sts.amazonaws.com", "environment", TokenSolver.ABSENT)));
        }

        @Test
        void if_exists_on_sub() {
            CheckOutcome<DocumentChange> outcome = check(policy(github(aud(), cond("StringLikeIfExists", key("sub"), "repo:acme/web-api:*"))));
            assertThat(codes(outcome)).containsExactly(TRUST_IFEXISTS_CONDITION);
            assertThat(finding(outcome, TRUST_IFEXISTS_CONDITION).witness()).isInstanceOf(Witness.Detail.class);
        }

        @Test
        void passes_without_if_exists_and_on_the_non_scoping_aud() {
            assertThat(check(policy(github(aud(), subPattern("repo:acme/web-api:*"), cond("StringEquals", key("environment"), "prod")))).findings()).isEmpty();
            assertThat(check(policy(github(cond("StringEqualsIfExists", key("aud"), "sts.amazonaws.com"), subPattern("repo:acme/web-api:*")))).findings())
                    .isEmpty();
        }
    }

    @Nested
    class ForAllValues {
        @Test
        void for_all_values_on_environment_is_true_when_the_claim_is_absent() {
            CheckOutcome<DocumentChange> outcome = check(policy(github(aud(), subPattern("repo:acme/web-api:*"),
                    cond("ForAllValues:StringEquals", key("environment"), "prod"))));
            assertThat(codes(outcome)).containsExactly(TRUST_FORALLVALUES);
            assertThat(token(outcome, TRUST_FORALLVALUES).claims()).containsEntry("environment", TokenSolver.ABSENT);
        }

        @Test
        void for_all_values_on_sub() {
            CheckOutcome<DocumentChange> outcome = check(policy(github(aud(), cond("ForAllValues:StringLike", key("sub"), "repo:acme/web-api:*"))));
            assertThat(codes(outcome)).containsExactly(TRUST_FORALLVALUES);
            assertThat(finding(outcome, TRUST_FORALLVALUES).witness()).isInstanceOf(Witness.Detail.class);
        }

        @Test
        void passes_with_the_plain_operator() {
            assertThat(codes(check(canonical()))).doesNotContain(TRUST_FORALLVALUES);
        }
    }

    @Nested
    class SetOperatorSingleValued {
        @Test
        void for_any_value_on_sub_fails_closed_but_is_misleading() {
            CheckOutcome<DocumentChange> outcome = check(policy(github(aud(), cond("ForAnyValue:StringLike", key("sub"), "repo:acme/web-api:*"))));
            assertThat(codes(outcome)).containsExactly(TRUST_SET_OPERATOR_SINGLE_VALUED);
            assertThat(finding(outcome, TRUST_SET_OPERATOR_SINGLE_VALUED).witness())
                    .isEqualTo(new Witness.Detail("set operators are for multivalued keys; use StringLike"));
        }

        @Test
        void passes_with_the_plain_operator() {
            assertThat(codes(check(canonical()))).doesNotContain(TRUST_SET_OPERATOR_SINGLE_VALUED);
        }
    }

    @Nested
    class PrincipalWildcard {
        @Test
        void principal_star_and_aws_star() {
            for (String principal : List.of("\"*\"", "{\"AWS\":\"*\"}")) {
                CheckOutcome<DocumentChange> outcome = check(policy(github(aud(), subPattern("repo:acme/web-api:*")),
                        statement("Allow", principal, "\"sts:AssumeRole\"")));
                assertThat(codes(outcome)).as(principal).containsExactly(TRUST_PRINCIPAL_WILDCARD);
                assertThat(finding(outcome, TRUST_PRINCIPAL_WILDCARD).witness()).isEqualTo(new Witness.Principal("*", "sts:AssumeRole"));
            }
        }

        @Test
        void the_message_names_the_action_the_statement_covers() {
            CheckOutcome<DocumentChange> assumeRole = check(policy(github(aud(), subPattern("repo:acme/web-api:*")),
                    statement("Allow", "\"*\"", "\"sts:AssumeRole\"")));
            assertThat(finding(assumeRole, TRUST_PRINCIPAL_WILDCARD).message()).contains("may call sts:AssumeRole on the role");

            // Unconditioned: any identity provider's token gets in (pinned by a sub condition, none would: IamAgreementTrustTest).
            CheckOutcome<DocumentChange> webIdentity = check(policy(github(aud(), subPattern("repo:acme/web-api:*")),
                    statement("Allow", "\"*\"", "\"" + WEB_IDENTITY + "\"")));
            Finding f = finding(webIdentity, TRUST_PRINCIPAL_WILDCARD);
            assertThat(f.message()).contains("may call sts:AssumeRoleWithWebIdentity on the role").doesNotContain("sts:AssumeRole ");
            assertThat(f.witness()).isEqualTo(new Witness.Principal("*", WEB_IDENTITY));
        }

        @Test
        void passes_when_only_the_provider_is_trusted() {
            assertThat(codes(check(canonical()))).doesNotContain(TRUST_PRINCIPAL_WILDCARD);
        }
    }

    @Nested
    class PrincipalOtherAccount {
        @Test
        void another_accounts_root_or_bare_account_id() {
            for (String principal : List.of("arn:aws:iam::999988887777:root", "999988887777")) {
                CheckOutcome<DocumentChange> outcome = check(policy(github(aud(), subPattern("repo:acme/web-api:*")), awsStatement(principal, "sts:AssumeRole")));
                assertThat(codes(outcome)).as(principal).containsExactly(TRUST_PRINCIPAL_OTHER_ACCOUNT);
                assertThat(finding(outcome, TRUST_PRINCIPAL_OTHER_ACCOUNT).witness()).isEqualTo(new Witness.Principal(principal, "sts:AssumeRole"));
            }
        }

        @Test
        void passes_for_a_same_account_principal() {
            CheckOutcome<DocumentChange> outcome = check(policy(github(aud(), subPattern("repo:acme/web-api:*")),
                    awsStatement("arn:aws:iam::123456789012:root", "sts:AssumeRole")));
            assertThat(codes(outcome)).doesNotContain(TRUST_PRINCIPAL_OTHER_ACCOUNT);
        }
    }

    @Nested
    class PrincipalUnexpected {
        @Test
        void same_account_root_role_and_service() {
            for (String principal : List.of("{\"AWS\":\"arn:aws:iam::123456789012:root\"}", "{\"AWS\":\"arn:aws:iam::123456789012:role/deployer\"}",
                    "{\"Service\":\"ec2.amazonaws.com\"}")) {
                CheckOutcome<DocumentChange> outcome = check(policy(github(aud(), subPattern("repo:acme/web-api:*")),
                        statement("Allow", principal, "\"sts:AssumeRole\"")));
                assertThat(codes(outcome)).as(principal).containsExactly(TRUST_PRINCIPAL_UNEXPECTED);
                assertThat(((Witness.Principal) finding(outcome, TRUST_PRINCIPAL_UNEXPECTED).witness()).action()).isEqualTo("sts:AssumeRole");
            }
        }

        @Test
        void passes_when_only_the_provider_is_trusted() {
            assertThat(codes(check(canonical()))).doesNotContain(TRUST_PRINCIPAL_UNEXPECTED);
        }
    }

    @Nested
    class NotPrincipal {
        @Test
        void not_principal_with_allow_grants_everyone_else() {
            String notPrincipal = "{\"Effect\":\"Allow\",\"NotPrincipal\":{\"AWS\":\"arn:aws:iam::123456789012:root\"},\"Action\":\"sts:AssumeRole\"}";
            CheckOutcome<DocumentChange> outcome = check(policy(github(aud(), subPattern("repo:acme/web-api:*")), notPrincipal));
            assertThat(codes(outcome)).containsExactly(TRUST_NOT_PRINCIPAL);
            assertThat(finding(outcome, TRUST_NOT_PRINCIPAL).witness()).isEqualTo(new Witness.Principal("arn:aws:iam::111122223333:root", "sts:AssumeRole"));
        }

        @Test
        void passes_with_not_principal_in_a_deny() {
            String deny = "{\"Effect\":\"Deny\",\"NotPrincipal\":{\"AWS\":\"arn:aws:iam::123456789012:root\"},\"Action\":\"sts:AssumeRole\"}";
            assertThat(check(policy(github(aud(), subPattern("repo:acme/web-api:*")), deny)).findings()).isEmpty();
        }
    }

    @Nested
    class NotAction {
        @Test
        void not_action_in_an_allow_admits_other_sts_actions() {
            String policy = policy("{\"Effect\":\"Allow\",\"Principal\":{\"Federated\":\"" + PROVIDER + "\"},\"NotAction\":\"sts:AssumeRole\",\"Condition\":"
                    + conditions(aud(), subPattern("repo:acme/web-api:*")) + "}");
            CheckOutcome<DocumentChange> outcome = check(policy);
            assertThat(codes(outcome)).containsExactly(TRUST_NOT_ACTION);
            assertThat(finding(outcome, TRUST_NOT_ACTION).witness()).isEqualTo(new Witness.Request("sts:AssumeRoleWithSAML", ROLE_ARN, "trust policy statement #1"));
        }

        @Test
        void passes_with_an_explicit_action() {
            assertThat(codes(check(canonical()))).doesNotContain(TRUST_NOT_ACTION);
        }
    }

    @Nested
    class ActionWildcard {
        @Test
        void sts_star_and_star() {
            for (String action : List.of("sts:*", "*")) {
                CheckOutcome<DocumentChange> outcome = check(policy(statement("Allow", "{\"Federated\":\"" + PROVIDER + "\"}", "\"" + action + "\"",
                        aud(), subPattern("repo:acme/web-api:*"))));
                assertThat(codes(outcome)).as(action).containsExactly(TRUST_ACTION_WILDCARD);
                assertThat(finding(outcome, TRUST_ACTION_WILDCARD).witness()).isEqualTo(new Witness.Request("sts:AssumeRole", ROLE_ARN, "trust policy statement #1"));
            }
        }

        @Test
        void passes_for_web_identity_only() {
            assertThat(codes(check(canonical()))).doesNotContain(TRUST_ACTION_WILDCARD);
        }
    }

    @Nested
    class ActionWrong {
        @Test
        void the_github_provider_with_assume_role_only_cannot_work() {
            CheckOutcome<DocumentChange> outcome = check(policy(statement("Allow", "{\"Federated\":\"" + PROVIDER + "\"}", "\"sts:AssumeRole\"",
                    aud(), subPattern("repo:acme/web-api:*"))));
            assertThat(codes(outcome)).containsExactly(TRUST_ACTION_WRONG);
            assertThat(finding(outcome, TRUST_ACTION_WRONG).witness()).isEqualTo(new Witness.Detail("actions: [sts:AssumeRole]"));
            assertThat(outcome.change()).isInstanceOf(DocumentChange.NeedsHuman.class);
        }

        @Test
        void passes_for_web_identity() {
            assertThat(codes(check(canonical()))).doesNotContain(TRUST_ACTION_WRONG);
        }
    }

    @Nested
    class AudMissing {
        @Test
        void no_aud_condition_or_aud_star() {
            for (String policy : List.of(policy(github(subPattern("repo:acme/web-api:*"))),
                    policy(github(cond("StringLike", key("aud"), "*"), subPattern("repo:acme/web-api:*"))))) {
                CheckOutcome<DocumentChange> outcome = check(policy);
                assertThat(codes(outcome)).containsExactly(TRUST_AUD_MISSING);
                assertThat(finding(outcome, TRUST_AUD_MISSING).witness()).isEqualTo(new Witness.Detail(
                        "a token for audience 'urn:ecr-oidc-guard:unlisted-audience' would pass this statement if the provider listed it"));
            }
        }

        @Test
        void passes_with_the_aud_pinned() {
            assertThat(codes(check(canonical()))).doesNotContain(TRUST_AUD_MISSING);
        }
    }

    @Nested
    class AudWrong {
        @Test
        void the_owner_url_while_the_provider_accepts_sts() {
            CheckOutcome<DocumentChange> outcome = check(policy(github(cond("StringEquals", key("aud"), "https://github.com/acme"), subPattern("repo:acme/web-api:*"))));
            assertThat(codes(outcome)).containsExactly(TRUST_AUD_WRONG);
            assertThat(finding(outcome, TRUST_AUD_WRONG).witness()).isEqualTo(new Witness.Detail("no token with aud in [sts.amazonaws.com] satisfies the aud condition"));
        }

        @Test
        void passes_when_the_provider_lists_that_audience() {
            RepositoryContext ctx = context(policy(github(cond("StringEquals", key("aud"), "https://github.com/acme"), subPattern("repo:acme/web-api:*"))),
                    Map.of(), List.of(new OidcProvider(PROVIDER, ISSUER, List.of("https://github.com/acme"))));
            assertThat(TrustCheck.check(ctx, new TrustLanguageCache()).findings()).isEmpty();
        }
    }

    @Nested
    class IdUnverified {
        /** Issue 11, T2: a broad sub next to a pinned repository_id, and no tag saying whose ID that is. */
        private final String policy = policy(github(aud(), subPattern("repo:acme/*"), cond("StringEquals", key("repository_id"), "456")));

        @Test
        void an_untagged_id_next_to_a_broad_sub_is_reported_with_a_token_of_that_id() {
            CheckOutcome<DocumentChange> outcome = check(policy);
            assertThat(codes(outcome)).containsExactly(TRUST_ID_UNVERIFIED);
            Witness.Token w = token(outcome, TRUST_ID_UNVERIFIED);
            assertThat(w.claims()).containsEntry("repository_id", "456");
            assertThat(w.sub()).doesNotStartWith("repo:acme/web-api:");
            assertThat(finding(outcome, TRUST_ID_UNVERIFIED).message()).contains("456");
        }

        @Test
        void passes_when_the_tag_says_the_id_is_the_repository_s() {
            assertThat(codes(check(policy, Map.of("github:repository-id", "456")))).isEmpty();
        }

        @Test
        void passes_when_the_sub_pins_the_repository_by_name() {
            assertThat(codes(check(policy(github(aud(), subPattern("repo:acme/web-api:*"), cond("StringEquals", key("repository_id"), "456"))))))
                    .isEmpty();
        }
    }

    @Test
    void every_trust_code_of_the_catalogue_has_a_nested_test_class() {
        // TRUST_SUB_ORG_WIDE -> SubOrgWide (compared without case and underscores)
        Set<String> nested = Arrays.stream(TrustCheckTest.class.getDeclaredClasses())
                .map(c -> c.getSimpleName().toLowerCase(Locale.ROOT)).collect(Collectors.toSet());
        List<String> trustCodes = Arrays.stream(FindingCode.values()).map(Enum::name).filter(n -> n.startsWith("TRUST_")).toList();
        assertThat(trustCodes).hasSize(29);
        for (String code : trustCodes) {
            assertThat(nested).as("a @Nested class for " + code).contains(code.substring("TRUST_".length()).replace("_", "").toLowerCase(Locale.ROOT));
        }
    }
}
