package dev.ecroidcguard.core.trust;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ecroidcguard.core.analysis.CheckOutcome;
import dev.ecroidcguard.core.fix.DocumentChange;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dev.ecroidcguard.core.trust.TrustFixtures.context;
import static dev.ecroidcguard.core.trust.TrustPolicies.*;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fix plans per catalogue §4.1 "Fix": narrow, keep narrower pins, intersect rather than replace, and say
 * NeedsHuman (with the reason) where only a grant would make the role work.
 */
class TrustFixPlannerTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    static DocumentChange plan(String policy) {
        return plan(policy, Map.of());
    }

    static DocumentChange plan(String policy, Map<String, String> tags) {
        CheckOutcome<DocumentChange> outcome = TrustCheck.check(context(policy, tags), new TrustLanguageCache());
        assertThat(outcome.findings()).as("a plan is only made for a non-compliant policy").isNotEmpty();
        return outcome.change();
    }

    static JsonNode replacement(DocumentChange change) {
        assertThat(change).isInstanceOf(DocumentChange.Replace.class);
        try {
            return JSON.readTree(((DocumentChange.Replace) change).document());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    /** The values of one condition key in every Allow statement, in order. */
    static List<List<String>> values(JsonNode doc, String operator, String claim) {
        List<List<String>> out = new ArrayList<>();
        for (JsonNode s : doc.get("Statement")) {
            if (!s.get("Effect").asText().equals("Allow")) {
                continue;
            }
            JsonNode v = s.path("Condition").path(operator).path(key(claim));
            List<String> vs = new ArrayList<>();
            if (v.isArray()) {
                v.forEach(x -> vs.add(x.asText()));
            } else if (!v.isMissingNode()) {
                vs.add(v.asText());
            }
            out.add(vs);
        }
        return out;
    }

    @Test
    void an_org_wide_value_is_intersected_with_the_repository_keeping_the_branch_pin() {
        JsonNode fixed = replacement(plan(policy(github(aud(), subPattern("repo:acme/*:ref:refs/heads/main")))));
        assertThat(values(fixed, "StringLike", "sub")).containsExactly(List.of("repo:acme/web-api:ref:refs/heads/main"));
        assertThat(values(fixed, "StringEquals", "aud")).containsExactly(List.of("sts.amazonaws.com"));
    }

    @Test
    void a_trust_fix_is_complete_so_nothing_remains() {
        String old = policy(github(aud(), subPattern("repo:acme/*:ref:refs/heads/main")));
        DocumentChange change = plan(old);
        assertThat(change).isInstanceOfSatisfying(DocumentChange.Replace.class, r -> {
            assertThat(r.reasons()).isNotEmpty();
            assertThat(r.remaining()).isEmpty();
            assertThat(TrustCheck.check(context(r.document(), Map.of()), new TrustLanguageCache()).findings()).isEmpty();
        });
    }

    @Test
    void an_environment_pin_is_kept() {
        JsonNode fixed = replacement(plan(policy(github(aud(), subPattern("repo:acme/*"), cond("StringEquals", key("environment"), "prod")))));
        assertThat(values(fixed, "StringLike", "sub")).containsExactly(List.of("repo:acme/web-api:*"));
        assertThat(values(fixed, "StringEquals", "environment")).containsExactly(List.of("prod"));
    }

    @Test
    void a_repository_id_pin_is_kept_with_the_sub_it_makes_harmless() {
        // Only the aud is missing: the loose sub under a repository_id pin is confined and stays as it is.
        JsonNode fixed = replacement(plan(policy(github(subPattern("repo:acme/*"), cond("StringEquals", key("repository_id"), "456"))),
                Map.of("github:repository-id", "456")));
        assertThat(values(fixed, "StringEquals", "repository_id")).containsExactly(List.of("456"));
        assertThat(values(fixed, "StringLike", "sub")).containsExactly(List.of("repo:acme/*"));
        assertThat(values(fixed, "StringEquals", "aud")).containsExactly(List.of("sts.amazonaws.com"));
    }

    @Test
    void star_becomes_the_repository_wide_value() {
        JsonNode fixed = replacement(plan(policy(github(aud(), subPattern("*")))));
        assertThat(values(fixed, "StringLike", "sub")).containsExactly(List.of("repo:acme/web-api:*"));
    }

    @Test
    void only_the_loose_value_of_a_list_is_replaced_and_in_repo_values_stay() {
        JsonNode fixed = replacement(plan(policy(github(aud(), subPattern("repo:acme/web-api:ref:refs/heads/main", "repo:acme/other:*")))));
        assertThat(values(fixed, "StringLike", "sub")).containsExactly(List.of("repo:acme/web-api:ref:refs/heads/main"));
    }

    @Test
    void a_ref_prefix_wildcard_next_to_a_loose_value_is_kept_as_written() {
        // Issue 11, T8: refs/tags/v* must not become the literal refs/tags/v, which no release build matches.
        JsonNode fixed = replacement(plan(policy(github(aud(), subPattern("repo:acme/web-api:ref:refs/tags/v*", "repo:acme/other:*")))));
        assertThat(values(fixed, "StringLike", "sub")).containsExactly(List.of("repo:acme/web-api:ref:refs/tags/v*"));
    }

    @Test
    void an_unrestricted_second_statement_is_dropped_when_the_pinned_one_serves_the_repository() {
        JsonNode fixed = replacement(plan(policy(github(aud(), subPattern("repo:acme/web-api:ref:refs/heads/main")), github(aud()))));
        assertThat(values(fixed, "StringLike", "sub")).containsExactly(List.of("repo:acme/web-api:ref:refs/heads/main"));
    }

    @Test
    void two_statements_narrowed_to_the_same_one_are_written_once() {
        JsonNode fixed = replacement(plan(policy(github(aud(), subPattern("repo:acme/web-api:*")), github(aud(), subPattern("repo:acme/*")))));
        assertThat(values(fixed, "StringLike", "sub")).containsExactly(List.of("repo:acme/web-api:*"));
    }

    @Test
    void extra_principals_are_removed_and_denies_kept() {
        String deny = statement("Deny", "{\"Federated\":\"" + TrustFixtures.PROVIDER + "\"}", "\"" + WEB_IDENTITY + "\"",
                cond("StringLike", key("sub"), "repo:acme/web-api:pull_request"));
        JsonNode fixed = replacement(plan(policy(github(aud(), subPattern("repo:acme/web-api:*")),
                statement("Allow", "{\"AWS\":\"arn:aws:iam::999988887777:root\"}", "\"sts:AssumeRole\""), deny)));
        assertThat(fixed.get("Statement")).hasSize(2);
        assertThat(fixed.get("Statement").get(1).get("Effect").asText()).isEqualTo("Deny");
        assertThat(fixed.toString()).doesNotContain("999988887777");
    }

    @Test
    void a_case_mismatch_needs_a_human_because_the_fix_would_grant_new_tokens() {
        DocumentChange change = plan(policy(github(aud(), subPattern("repo:ACME/web-api:*"))));
        assertThat(change).isInstanceOf(DocumentChange.NeedsHuman.class);
        assertThat(((DocumentChange.NeedsHuman) change).reason()).startsWith("TRUST_SUB_CASE_MISMATCH: making the role work would grant tokens");
    }

    @Test
    void a_format_mismatch_needs_a_human_with_the_reason() {
        DocumentChange change = plan(policy(github(aud(), subPattern("repo:acme/web-api:*"))), TrustCheckTest.IMMUTABLE);
        assertThat(change).isInstanceOf(DocumentChange.NeedsHuman.class);
        assertThat(((DocumentChange.NeedsHuman) change).reason()).startsWith("TRUST_SUB_FORMAT_MISMATCH").contains("immutable subjects");
    }

    @Test
    void a_wrong_repository_alone_cannot_be_narrowed_into_a_working_policy() {
        // The role is unusable for acme/web-api (TRUST_NO_GITHUB_PRINCIPAL): making it work would need a grant.
        DocumentChange change = plan(policy(github(aud(), subPattern("repo:acme/other:*"))));
        assertThat(change).isInstanceOf(DocumentChange.NeedsHuman.class);
        assertThat(((DocumentChange.NeedsHuman) change).reason()).startsWith("TRUST_NO_GITHUB_PRINCIPAL: making the role work would grant");
    }
}
