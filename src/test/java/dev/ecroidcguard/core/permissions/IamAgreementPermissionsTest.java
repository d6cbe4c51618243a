package dev.ecroidcguard.core.permissions;

import dev.ecroidcguard.core.analysis.CheckOutcome;
import dev.ecroidcguard.core.analysis.EcrActions;
import dev.ecroidcguard.core.finding.Finding;
import dev.ecroidcguard.core.finding.Witness;
import dev.ecroidcguard.core.fix.PermissionsChange;
import dev.ecroidcguard.core.lang.Wildcards;
import dev.ecroidcguard.testing.Generated;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;

import static dev.ecroidcguard.core.finding.FindingCode.*;
import static dev.ecroidcguard.core.permissions.PermissionsCheckTest.codes;
import static dev.ecroidcguard.core.permissions.PermissionsCheckTest.witness;
import static dev.ecroidcguard.core.permissions.Policies.*;
import static dev.ecroidcguard.core.permissions.RoleFixture.*;
import static org.assertj.core.api.Assertions.assertThat;

/** Issue 11, permissions: the analysis agrees with what IAM allows (root causes P1, P3, P4, P5, NotResource severity). */
class IamAgreementPermissionsTest {

    private static final Set<String> REAL_ECR_ACTIONS = EcrActions.catalogue().stream()
            .map(a -> Wildcards.lower("ecr:" + a.name())).collect(Collectors.toUnmodifiableSet());

    @Nested
    class P1_wildcards_are_decided_on_the_real_action_list {
        @Test
        void describe_star_and_get_star_on_the_repository_are_only_reads() {
            CheckOutcome<PermissionsChange> outcome = baselineRole()
                    .inline("reads", policy(allow(List.of("ecr:Describe*", "ecr:Get*", "ecr:List*"), REPO_ARN))).check();
            assertThat(outcome.findings()).isEmpty();
        }

        @Test
        void image_infix_wildcard_names_a_real_write_action() {
            CheckOutcome<PermissionsChange> outcome = baselineRole().inline("images", policy(allow("ecr:*Image*", REPO_ARN))).check();
            assertThat(codes(outcome)).containsExactly(PERM_ECR_EXCESSIVE_ACTIONS);
            assertThat(witness(outcome, PERM_ECR_EXCESSIVE_ACTIONS)).isEqualTo(new Witness.Request("ecr:BatchDeleteImage", REPO_ARN, "images"));
        }

        @Test
        void a_name_that_is_no_ecr_action_grants_nothing() {
            CheckOutcome<PermissionsChange> outcome = baselineRole().inline("typo", policy(allow("ecr:describe", OTHER_REPO_ARN))).check();
            assertThat(outcome.findings()).isEmpty();
        }

        @Test
        void every_witness_action_exists_and_is_matched_by_the_granted_pattern() {
            List<String> stems = List.of("Describe", "Get", "Put", "Batch", "Delete", "List", "Start", "Image", "Repository", "Layer",
                    "Policy", "Tag", "Upload", "Create", "Registry", "Scan");
            Generated.forAll(400, r -> pattern(r, stems), pattern -> {
                CheckOutcome<PermissionsChange> outcome = baselineRole().inline("p", policy(allow(pattern, "*"))).check();
                for (Finding f : outcome.findings()) {
                    if (f.witness() instanceof Witness.Request request && request.action().toLowerCase().startsWith("ecr:")) {
                        assertThat(REAL_ECR_ACTIONS).as("witness of %s for %s", f.code(), pattern).contains(Wildcards.lower(request.action()));
                    }
                }
                boolean grantsRealNonReadOnly = REAL_ECR_ACTIONS.stream().filter(a -> Wildcards.matches(Wildcards.lower(pattern), a))
                        .anyMatch(a -> !EcrActions.isTolerated(a));
                assertThat(codes(outcome).contains(PERM_ECR_EXCESSIVE_ACTIONS)).as(pattern).isEqualTo(grantsRealNonReadOnly);
            });
        }

        private static String pattern(Random r, List<String> stems) {
            String stem = Generated.oneOf(r, stems);
            return switch (r.nextInt(4)) {
                case 0 -> "ecr:" + stem + "*";
                case 1 -> "ecr:*" + stem;
                case 2 -> "ecr:*" + stem + "*";
                default -> "ecr:" + stem.substring(0, 1) + "?" + stem.substring(2) + "*";
            };
        }
    }

    @Nested
    class P3_non_ecr_actions_on_repository_arns_never_apply {
        @Test
        void s3_on_the_repository_arn_is_no_finding() {
            CheckOutcome<PermissionsChange> outcome = baselineRole().inline("odd", policy(allow("s3:GetObject", REPO_ARN))).check();
            assertThat(outcome.findings()).isEmpty();
        }

        @Test
        void action_star_on_the_repository_is_ecr_excess_not_admin() {
            CheckOutcome<PermissionsChange> outcome = baselineRole().inline("all-on-repo", policy(allow("*", REPO_ARN))).check();
            assertThat(codes(outcome)).containsExactly(PERM_ECR_EXCESSIVE_ACTIONS);
        }

        @Test
        void s3_on_an_arn_pattern_that_reaches_beyond_ecr_is_reported_with_a_non_ecr_resource() {
            CheckOutcome<PermissionsChange> outcome = baselineRole().inline("wide", policy(allow("s3:GetObject", "arn:aws:*"))).check();
            assertThat(codes(outcome)).containsExactly(PERM_NON_ECR_ACTIONS);
            Witness.Request w = (Witness.Request) witness(outcome, PERM_NON_ECR_ACTIONS);
            assertThat(w.resource()).startsWith("arn:aws:").doesNotStartWith("arn:aws:ecr:");
        }
    }

    @Nested
    class P5_an_arn_differing_only_in_case_names_no_repository {
        @Test
        void upper_case_repository_arn_is_not_another_repository() {
            String upper = "arn:aws:ecr:us-east-1:123456789012:repository/Web-Api";
            CheckOutcome<PermissionsChange> outcome = baselineRole().inline("case", policy(allow(pushPull(), upper))).check();
            assertThat(codes(outcome)).doesNotContain(PERM_ECR_WRONG_REPO, PERM_ECR_REPO_WILDCARD);
        }

        @Test
        void upper_case_wildcard_is_not_a_repository_wildcard() {
            CheckOutcome<PermissionsChange> outcome = baselineRole()
                    .inline("case", policy(allow(pushPull(), "arn:aws:ecr:us-east-1:123456789012:repository/Web-*"))).check();
            assertThat(codes(outcome)).doesNotContain(PERM_ECR_WRONG_REPO, PERM_ECR_REPO_WILDCARD);
        }
    }

    @Nested
    class NotResource_excluding_a_few_repositories_is_all_repositories {
        @Test
        void not_resource_of_one_other_repository_is_all_repos_write() {
            CheckOutcome<PermissionsChange> outcome = baselineRole()
                    .inline("nr", policy(statement("Allow", "Action", List.of("ecr:PutImage"), "NotResource", List.of(OTHER_REPO_ARN), "")))
                    .check();
            assertThat(codes(outcome)).contains(PERM_ECR_ALL_REPOS_WRITE, PERM_NOT_RESOURCE).doesNotContain(PERM_ECR_REPO_WILDCARD);
            Witness.Request w = (Witness.Request) witness(outcome, PERM_ECR_ALL_REPOS_WRITE);
            assertThat(w.resource()).isNotEqualTo(OTHER_REPO_ARN).startsWith("arn:aws:ecr:us-east-1:123456789012:repository/");
        }
    }

    @Nested
    class P4_a_boundary_that_confines_not_resource_to_the_repository {
        @Test
        void not_resource_cut_to_the_repository_is_no_finding() {
            CheckOutcome<PermissionsChange> outcome = role()
                    .inline("push", policy(allow("ecr:GetAuthorizationToken", "*"),
                            statement("Allow", "Action", pushPull(), "NotResource", List.of(OTHER_REPO_ARN), "")))
                    .boundary(BOUNDARY_ARN, policy(allow("ecr:GetAuthorizationToken", "*"), allow(pushPull(), REPO_ARN)))
                    .check();
            assertThat(codes(outcome)).doesNotContain(PERM_NOT_RESOURCE);
            assertThat(outcome.findings()).isEmpty();
        }
    }

    @Nested
    class P2_conditions_are_evaluated_on_the_keys_a_request_carries {
        private static String region(String region) {
            return "{\"StringEquals\":{\"aws:RequestedRegion\":\"" + region + "\"}}";
        }

        @Test
        void a_grant_in_the_repository_s_region_is_usable() {
            CheckOutcome<PermissionsChange> outcome = role().inline("regional", policy(
                    statement("Allow", "Action", List.of("ecr:GetAuthorizationToken"), "Resource", List.of("*"), region("us-east-1")),
                    statement("Allow", "Action", pushPull(), "Resource", List.of(REPO_ARN), region("us-east-1")))).check();
            assertThat(codes(outcome)).doesNotContain(PERM_MISSING_PUSH_ACTIONS, PERM_MISSING_AUTH_TOKEN);
        }

        @Test
        void a_deny_for_another_region_does_not_block_the_push() {
            CheckOutcome<PermissionsChange> outcome = baselineRole().inline("no-eu", policy(
                    statement("Deny", "Action", List.of("ecr:*"), "Resource", List.of("*"), region("eu-west-1")))).check();
            assertThat(outcome.findings()).isEmpty();
        }

        @Test
        void a_grant_pinned_to_another_principal_exposes_nothing() {
            String otherRole = "{\"StringEquals\":{\"aws:PrincipalArn\":\"arn:aws:iam::123456789012:role/other\"}}";
            CheckOutcome<PermissionsChange> outcome = baselineRole().inline("other", policy(
                    statement("Allow", "Action", List.of("ecr:*"), "Resource", List.of("*"), otherRole))).check();
            assertThat(outcome.findings()).isEmpty();
        }

        @Test
        void an_unknown_key_is_possibly_false_for_usability_and_the_finding_says_so() {
            String tag = "{\"StringEquals\":{\"ecr:ResourceTag/team\":\"web\"}}";
            CheckOutcome<PermissionsChange> outcome = role().inline("tagged", policy(allow("ecr:GetAuthorizationToken", "*"),
                    statement("Allow", "Action", pushPull(), "Resource", List.of(REPO_ARN), tag))).check();
            assertThat(codes(outcome)).containsExactly(PERM_MISSING_PUSH_ACTIONS);
            assertThat(PermissionsCheckTest.finding(outcome, PERM_MISSING_PUSH_ACTIONS).message())
                    .contains("allowed only under a condition on keys the analysis cannot know");
        }

        /** A request on a repository ARN is made in that repository's region: another region's condition never holds there. */
        @Test
        void a_grant_for_another_region_exposes_nothing_in_this_one() {
            CheckOutcome<PermissionsChange> outcome = baselineRole().inline("eu-only", policy(statement("Allow", "Action",
                    List.of("ecr:PutImage", "ecr:DeleteRepository"), "Resource", List.of("arn:aws:ecr:us-east-1:123456789012:repository/*"),
                    region("eu-west-1")))).check();
            assertThat(outcome.findings()).isEmpty();
        }

        @Test
        void a_grant_on_every_resource_for_another_region_exposes_that_region_s_repositories_only() {
            CheckOutcome<PermissionsChange> outcome = baselineRole().inline("eu-only", policy(
                    statement("Allow", "Action", List.of("ecr:PutImage"), "Resource", List.of("*"), region("eu-west-1")))).check();
            assertThat(codes(outcome)).containsExactly(PERM_ECR_REPO_WILDCARD);
            Witness.Request w = (Witness.Request) witness(outcome, PERM_ECR_REPO_WILDCARD);
            assertThat(w.resource()).startsWith("arn:aws:ecr:eu-west-1:");
            assertThat(PermissionsCheckTest.finding(outcome, PERM_ECR_REPO_WILDCARD).message()).doesNotContain("possibly true");
        }

        @Test
        void a_deny_in_the_repository_s_region_cuts_the_exposure_and_the_push() {
            CheckOutcome<PermissionsChange> outcome = role().inline("p", policy(allow("ecr:GetAuthorizationToken", "*"),
                    allow(List.of("ecr:*"), "arn:aws:ecr:us-east-1:123456789012:repository/*"),
                    statement("Deny", "Action", List.of("ecr:*"), "Resource", List.of("*"), region("us-east-1")))).check();
            assertThat(codes(outcome)).containsExactlyInAnyOrder(PERM_MISSING_PUSH_ACTIONS, PERM_MISSING_AUTH_TOKEN);
        }

        @Test
        void an_unknown_key_is_possibly_true_for_exposure_and_the_finding_says_so() {
            String tag = "{\"StringEquals\":{\"aws:ResourceTag/team\":\"web\"}}";
            CheckOutcome<PermissionsChange> outcome = baselineRole().inline("tagged", policy(
                    statement("Allow", "Action", List.of("ecr:PutImage"), "Resource", List.of("arn:aws:ecr:us-east-1:123456789012:repository/*"),
                            tag))).check();
            assertThat(codes(outcome)).containsExactly(PERM_ECR_ALL_REPOS_WRITE);
            assertThat(PermissionsCheckTest.finding(outcome, PERM_ECR_ALL_REPOS_WRITE).message())
                    .contains("taken as possibly true for exposure");
        }
    }
}
