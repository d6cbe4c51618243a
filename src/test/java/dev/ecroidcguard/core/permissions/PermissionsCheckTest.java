package dev.ecroidcguard.core.permissions;

import dev.ecroidcguard.core.analysis.Baseline;
import dev.ecroidcguard.core.analysis.CheckOutcome;
import dev.ecroidcguard.core.analysis.EcrActions;
import dev.ecroidcguard.core.finding.Finding;
import dev.ecroidcguard.core.finding.FindingCode;
import dev.ecroidcguard.core.finding.Witness;
import dev.ecroidcguard.core.fix.PermissionsChange;
import dev.ecroidcguard.testing.IndependentIamEvaluator;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import static dev.ecroidcguard.core.finding.FindingCode.*;
import static dev.ecroidcguard.core.permissions.Policies.*;
import static dev.ecroidcguard.core.permissions.RoleFixture.*;
import static org.assertj.core.api.Assertions.assertThat;

/** Catalogue §4.2, entry by entry: a failing variant (code and witness) and a passing variant for each. */
class PermissionsCheckTest {

    private static final String ADMIN_POLICY = "arn:aws:iam::aws:policy/AdministratorAccess";

    @Nested
    class Baseline_ {
        @Test
        void the_origin_posts_policy_is_compliant_and_left_alone() {
            CheckOutcome<PermissionsChange> outcome = baselineRole().check();
            assertThat(outcome.findings()).isEmpty();
            assertThat(outcome.change()).isEqualTo(PermissionsChange.UNCHANGED);
        }

        @Test
        void read_only_describe_and_list_on_the_repository_are_tolerated() {
            CheckOutcome<PermissionsChange> outcome = baselineRole()
                    .inline("describe", policy(allow(List.of("ecr:DescribeImages", "ecr:ListImages", "ecr:DescribeRepositories"), REPO_ARN)))
                    .check();
            assertThat(outcome.findings()).isEmpty();
        }

        @Test
        void action_names_are_case_insensitive() {
            CheckOutcome<PermissionsChange> outcome = role().inline("lower", policy(allow("ECR:getauthorizationtoken", "*"),
                    allow(Baseline.PUSH_PULL_ACTIONS.stream().map(String::toUpperCase).toList(), REPO_ARN))).check();
            assertThat(outcome.findings()).isEmpty();
        }
    }

    @Nested
    class Admin {
        @Test
        void action_star_is_admin_and_subsumes_the_narrower_codes() {
            CheckOutcome<PermissionsChange> outcome = role().inline("everything", policy(allow("*", "*"))).check();
            assertThat(codes(outcome)).containsExactly(PERM_ADMIN);
            assertThat(witness(outcome, PERM_ADMIN)).isEqualTo(new Witness.Request("iam:PassRole", "*", "everything"));
        }

        @Test
        void allow_with_not_action_is_admin() {
            CheckOutcome<PermissionsChange> outcome = baselineRole()
                    .inline("all-but-iam", policy(statement("Allow", "NotAction", List.of("iam:*"), "Resource", List.of("*"), "")))
                    .check();
            assertThat(codes(outcome)).containsExactly(PERM_ADMIN);
            assertThat(witness(outcome, PERM_ADMIN)).isEqualTo(new Witness.Request("sts:AssumeRole", "*", "all-but-iam"));
        }

        @Test
        void aws_managed_administrator_access_is_admin_even_without_its_document() {
            CheckOutcome<PermissionsChange> outcome = baselineRole().attachedWithoutDocument(ADMIN_POLICY).check();
            assertThat(codes(outcome)).containsExactly(PERM_ADMIN);
            assertThat(witness(outcome, PERM_ADMIN)).isEqualTo(new Witness.Request("iam:PassRole", "*", ADMIN_POLICY));
        }

        @Test
        void iam_full_access_is_admin_although_it_names_only_iam_actions() {
            String arn = "arn:aws:iam::aws:policy/IAMFullAccess";
            CheckOutcome<PermissionsChange> outcome = baselineRole().attachedWithoutDocument(arn).check();
            assertThat(codes(outcome)).containsExactly(PERM_ADMIN);
            assertThat(witness(outcome, PERM_ADMIN)).isEqualTo(new Witness.Request("iam:PassRole", "*", arn));
        }

        @Test
        void a_boundary_that_cuts_action_star_down_to_the_baseline_leaves_nothing_to_report() {
            CheckOutcome<PermissionsChange> outcome = role().inline("everything", policy(allow("*", "*")))
                    .boundary(BOUNDARY_ARN, baseline()).check();
            assertThat(outcome.findings()).isEmpty();
        }

        @Test
        void an_admin_rewrite_replaces_every_policy_with_the_baseline() {
            RoleFixture admin = role().inline("everything", policy(allow("*", "*"))).attachedWithoutDocument(ADMIN_POLICY);
            PermissionsChange.Rewrite rewrite = (PermissionsChange.Rewrite) admin.check().change();
            assertThat(rewrite.putInline()).containsOnlyKeys(Baseline.INLINE_POLICY_NAME);
            assertThat(rewrite.deleteInline()).containsExactly("everything");
            assertThat(rewrite.detachManaged()).containsExactly(ADMIN_POLICY);
            assertThat(rewrite.reasons()).singleElement().asString().startsWith("removes PERM_ADMIN: ");
            assertThat(rewrite.remaining()).isEmpty();
            assertThat(admin.applying(rewrite).check().findings()).isEmpty();
        }
    }

    @Nested
    class NonEcrActions {
        @Test
        void s3_access_is_reported_with_the_bucket_as_witness() {
            CheckOutcome<PermissionsChange> outcome = baselineRole()
                    .inline("artifacts", policy(allow("s3:GetObject", "arn:aws:s3:::artifacts"))).check();
            assertThat(codes(outcome)).containsExactly(PERM_NON_ECR_ACTIONS);
            assertThat(witness(outcome, PERM_NON_ECR_ACTIONS))
                    .isEqualTo(new Witness.Request("s3:GetObject", "arn:aws:s3:::artifacts", "artifacts"));
        }

        @Test
        void a_deny_that_covers_the_non_ecr_grant_removes_it() {
            CheckOutcome<PermissionsChange> outcome = baselineRole()
                    .inline("artifacts", policy(allow("s3:GetObject", "arn:aws:s3:::artifacts"), deny(List.of("s3:*"), "*"))).check();
            assertThat(outcome.findings()).isEmpty();
        }
    }

    @Nested
    class AllRepositoriesWrite {
        @Test
        void push_on_star_reaches_every_repository_and_subsumes_read_all() {
            CheckOutcome<PermissionsChange> outcome = role().inline("broad", policy(allow("ecr:GetAuthorizationToken", "*"),
                    allow(pushPull(), "*"))).check();
            assertThat(codes(outcome)).containsExactly(PERM_ECR_ALL_REPOS_WRITE);
            assertThat(witness(outcome, PERM_ECR_ALL_REPOS_WRITE)).isEqualTo(new Witness.Request("ecr:PutImage", OTHER_REPO_ARN, "broad"));
        }

        @Test
        void the_power_user_managed_policy_writes_everywhere() {
            String arn = "arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryPowerUser";
            CheckOutcome<PermissionsChange> outcome = role().attachedWithoutDocument(arn).check();
            assertThat(codes(outcome)).containsExactly(PERM_ECR_ALL_REPOS_WRITE);
            assertThat(witness(outcome, PERM_ECR_ALL_REPOS_WRITE)).isEqualTo(new Witness.Request("ecr:PutImage", OTHER_REPO_ARN, arn));
        }

        @Test
        void ecr_star_on_star_is_both_a_scope_and_an_action_problem() {
            CheckOutcome<PermissionsChange> outcome = role().inline("ecr-admin", policy(allow("ecr:*", "*"))).check();
            assertThat(codes(outcome)).containsExactlyInAnyOrder(PERM_ECR_ALL_REPOS_WRITE, PERM_ECR_EXCESSIVE_ACTIONS);
            assertThat(witness(outcome, PERM_ECR_EXCESSIVE_ACTIONS))
                    .isEqualTo(new Witness.Request("ecr:SetRepositoryPolicy", REPO_ARN, "ecr-admin"));
        }

        @Test
        void repository_star_in_the_account_is_all_repositories() {
            CheckOutcome<PermissionsChange> outcome = baselineRole()
                    .inline("all", policy(allow("ecr:PutImage", "arn:aws:ecr:us-east-1:123456789012:repository/*"))).check();
            assertThat(codes(outcome)).containsExactly(PERM_ECR_ALL_REPOS_WRITE);
        }

        @Test
        void the_rewrite_narrows_to_the_repository_and_keeps_the_token() {
            RoleFixture broad = role().inline("broad", policy(allow("ecr:GetAuthorizationToken", "*"), allow(pushPull(), "*")));
            PermissionsChange.Rewrite rewrite = (PermissionsChange.Rewrite) broad.check().change();
            assertThat(broad.applying(rewrite).check().findings()).isEmpty();
            assertThat(rewrite.putInline().get(Baseline.INLINE_POLICY_NAME)).contains(REPO_ARN).doesNotContain("repository/*");
        }
    }

    @Nested
    class WrongRepository {
        @Test
        void push_on_another_repository_names_it() {
            CheckOutcome<PermissionsChange> outcome = baselineRole().inline("copy-paste", policy(allow(pushPull(), OTHER_REPO_ARN))).check();
            assertThat(codes(outcome)).containsExactly(PERM_ECR_WRONG_REPO);
            assertThat(witness(outcome, PERM_ECR_WRONG_REPO)).isEqualTo(new Witness.Request("ecr:PutImage", OTHER_REPO_ARN, "copy-paste"));
        }

        @Test
        void pulling_a_base_image_from_another_repository_is_not_a_wrong_repository() {
            CheckOutcome<PermissionsChange> outcome = baselineRole()
                    .inline("base-image", policy(allow(List.of("ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"), OTHER_REPO_ARN))).check();
            assertThat(outcome.findings()).isEmpty();
        }
    }

    @Nested
    class RepositoryWildcard {
        @Test
        void a_name_wildcard_admits_sibling_repositories() {
            CheckOutcome<PermissionsChange> outcome = role().inline("prefix", policy(allow("ecr:GetAuthorizationToken", "*"),
                    allow(pushPull(), REPO_ARN + "*"))).check();
            assertThat(codes(outcome)).containsExactly(PERM_ECR_REPO_WILDCARD);
            assertThat(witness(outcome, PERM_ECR_REPO_WILDCARD)).isEqualTo(new Witness.Request("ecr:PutImage", REPO_ARN + "-x", "prefix"));
        }

        @Test
        void a_region_wildcard_admits_the_same_name_in_other_regions() {
            CheckOutcome<PermissionsChange> outcome = baselineRole()
                    .inline("any-region", policy(allow("ecr:PutImage", "arn:aws:ecr:*:123456789012:repository/web-api"))).check();
            assertThat(codes(outcome)).containsExactly(PERM_ECR_REPO_WILDCARD);
            assertThat(witness(outcome, PERM_ECR_REPO_WILDCARD)).isEqualTo(new Witness.Request("ecr:PutImage",
                    "arn:aws:ecr:eu-west-1:123456789012:repository/web-api", "any-region"));
        }

        @Test
        void a_wildcard_that_only_this_repositorys_arn_can_match_is_not_reported() {
            CheckOutcome<PermissionsChange> outcome = role().inline("odd", policy(allow("ecr:GetAuthorizationToken", "*"),
                    allow(pushPull(), "arn:aws:ecr:us-east-1:123456789012:repositor?/web-api"))).check();
            assertThat(outcome.findings()).isEmpty();
        }
    }

    @Nested
    class ExcessiveActions {
        @Test
        void set_repository_policy_on_the_repository() {
            CheckOutcome<PermissionsChange> outcome = baselineRole()
                    .inline("admin-ish", policy(allow("ecr:SetRepositoryPolicy", REPO_ARN))).check();
            assertThat(codes(outcome)).containsExactly(PERM_ECR_EXCESSIVE_ACTIONS);
            assertThat(witness(outcome, PERM_ECR_EXCESSIVE_ACTIONS))
                    .isEqualTo(new Witness.Request("ecr:SetRepositoryPolicy", REPO_ARN, "admin-ish"));
        }

        @Test
        void a_put_wildcard_includes_more_than_put_image() {
            CheckOutcome<PermissionsChange> outcome = baselineRole().inline("puts", policy(allow("ecr:Put*", REPO_ARN))).check();
            assertThat(codes(outcome)).containsExactly(PERM_ECR_EXCESSIVE_ACTIONS);
            assertThat(witness(outcome, PERM_ECR_EXCESSIVE_ACTIONS))
                    .isEqualTo(new Witness.Request("ecr:PutRegistryPolicy", REPO_ARN, "puts"));
        }

        @Test
        void the_rewrite_drops_the_extra_actions() {
            RoleFixture role = baselineRole().inline("admin-ish", policy(allow("ecr:*", REPO_ARN)));
            PermissionsChange.Rewrite rewrite = (PermissionsChange.Rewrite) role.check().change();
            assertThat(rewrite.deleteInline()).containsExactly("admin-ish");
            assertThat(role.applying(rewrite).check().findings()).isEmpty();
        }
    }

    @Nested
    class ReadAllRepositories {
        @Test
        void batch_get_image_on_star() {
            CheckOutcome<PermissionsChange> outcome = baselineRole().inline("pull-all", policy(allow("ecr:BatchGetImage", "*"))).check();
            assertThat(codes(outcome)).containsExactly(PERM_ECR_READ_ALL_REPOS);
            assertThat(witness(outcome, PERM_ECR_READ_ALL_REPOS))
                    .isEqualTo(new Witness.Request("ecr:BatchGetImage", OTHER_REPO_ARN, "pull-all"));
        }

        @Test
        void the_read_only_managed_policy_keeps_a_read_only_role_read_only() {
            String arn = "arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryReadOnly";
            RoleFixture role = role().attachedWithoutDocument(arn);
            CheckOutcome<PermissionsChange> outcome = role.check();
            assertThat(codes(outcome)).containsExactlyInAnyOrder(PERM_ECR_READ_ALL_REPOS, PERM_MISSING_PUSH_ACTIONS);
            assertThat(witness(outcome, PERM_ECR_READ_ALL_REPOS)).isEqualTo(new Witness.Request("ecr:BatchGetImage", OTHER_REPO_ARN, arn));

            PermissionsChange.Rewrite rewrite = (PermissionsChange.Rewrite) outcome.change();
            assertThat(rewrite.detachManaged()).containsExactly(arn);
            assertThat(rewrite.reasons()).anyMatch(r -> r.startsWith("PERM_MISSING_PUSH_ACTIONS remains"));
            assertThat(rewrite.remaining()).containsExactly(PERM_MISSING_PUSH_ACTIONS);
            EffectivePermissions fixed = role.applying(rewrite).permissions(EffectivePermissions.Bound.UPPER);
            assertThat(fixed.allows("ecr:GetAuthorizationToken", "*")).isTrue();
            assertThat(fixed.allows("ecr:BatchGetImage", REPO_ARN)).isTrue();
            assertThat(fixed.allows("ecr:PutImage", REPO_ARN)).isFalse();
            assertThat(codes(role.applying(rewrite).check())).containsExactly(PERM_MISSING_PUSH_ACTIONS);
        }
    }

    @Nested
    class NotResource {
        @Test
        void allow_with_not_resource_reaches_other_repositories() {
            CheckOutcome<PermissionsChange> outcome = baselineRole()
                    .inline("inverted", policy(statement("Allow", "Action", List.of("ecr:PutImage"), "NotResource", List.of(REPO_ARN), "")))
                    .check();
            assertThat(codes(outcome)).containsExactlyInAnyOrder(PERM_NOT_RESOURCE, PERM_ECR_ALL_REPOS_WRITE);
            assertThat(witness(outcome, PERM_NOT_RESOURCE)).isEqualTo(new Witness.Request("ecr:PutImage", OTHER_REPO_ARN, "inverted"));
        }

        @Test
        void deny_with_not_resource_is_a_legitimate_guard() {
            CheckOutcome<PermissionsChange> outcome = baselineRole()
                    .inline("guard", policy(statement("Deny", "Action", List.of("ecr:*"), "NotResource", List.of(REPO_ARN, "*"), "")))
                    .check();
            assertThat(outcome.findings()).isEmpty();
        }

        @Test
        void deny_with_not_resource_listing_star_spares_every_resource() {
            // "*" in NotResource is a pattern matching every resource, so this Deny applies to nothing: the broad allow
            // still writes to every repository, as the independent evaluator agrees on the witness.
            String broad = policy(allow("ecr:GetAuthorizationToken", "*"), allow(pushPull(), "*"),
                    statement("Deny", "Action", List.of("ecr:*"), "NotResource", List.of(REPO_ARN, "*"), ""));
            CheckOutcome<PermissionsChange> outcome = role().inline("broad", broad).check();
            assertThat(codes(outcome)).containsExactly(PERM_ECR_ALL_REPOS_WRITE);
            assertThat(witness(outcome, PERM_ECR_ALL_REPOS_WRITE)).isInstanceOfSatisfying(Witness.Request.class, w -> {
                assertThat(w.resource()).isEqualTo(OTHER_REPO_ARN);
                assertThat(w.action()).as("a repository write").isIn(EcrActions.catalogue().stream()
                        .filter(a -> a.kind() == EcrActions.Kind.REPOSITORY_WRITE).map(a -> "ecr:" + a.name()).toList());
                assertThat(w.grantedBy()).isEqualTo("broad");
                assertThat(IndependentIamEvaluator.allows(List.of(broad), Optional.empty(),
                        new IndependentIamEvaluator.Request("AWS", ROLE_ARN, w.action(), w.resource(), Map.of()))).as("IAM allows %s", w).isTrue();
            });
        }
    }

    @Nested
    class MissingAuthToken {
        @Test
        void no_token_at_all() {
            CheckOutcome<PermissionsChange> outcome = role().inline("push", policy(allow(pushPull(), REPO_ARN))).check();
            assertThat(codes(outcome)).containsExactly(PERM_MISSING_AUTH_TOKEN);
            assertThat(finding(outcome, PERM_MISSING_AUTH_TOKEN).witness()).isNull();
            assertThat(outcome.change()).isInstanceOf(PermissionsChange.NeedsHuman.class);
        }

        @Test
        void token_placed_in_the_repository_statement_never_matches() {
            List<String> actions = new java.util.ArrayList<>(pushPull());
            actions.add("ecr:GetAuthorizationToken");
            CheckOutcome<PermissionsChange> outcome = role().inline("one-statement", policy(allow(actions, REPO_ARN))).check();
            assertThat(codes(outcome)).containsExactly(PERM_MISSING_AUTH_TOKEN);
            assertThat(finding(outcome, PERM_MISSING_AUTH_TOKEN).witness()).isInstanceOfSatisfying(Witness.Detail.class,
                    d -> assertThat(d.text()).contains("allowed only on " + REPO_ARN));
        }

        @Test
        void token_on_star_passes() {
            assertThat(codes(baselineRole().check())).doesNotContain(PERM_MISSING_AUTH_TOKEN);
        }
    }

    @Nested
    class MissingPushActions {
        @Test
        void a_pull_only_policy_lacks_the_layer_upload_actions() {
            CheckOutcome<PermissionsChange> outcome = role().inline("pull", policy(allow("ecr:GetAuthorizationToken", "*"),
                    allow(Baseline.PULL_ACTIONS, REPO_ARN))).check();
            assertThat(codes(outcome)).containsExactly(PERM_MISSING_PUSH_ACTIONS);
            Finding f = finding(outcome, PERM_MISSING_PUSH_ACTIONS);
            assertThat(f.witness()).isNull();
            assertThat(f.message()).contains("ecr:InitiateLayerUpload, ecr:UploadLayerPart, ecr:CompleteLayerUpload, ecr:PutImage");
            assertThat(outcome.change()).isInstanceOfSatisfying(PermissionsChange.NeedsHuman.class,
                    n -> assertThat(n.reason()).contains("never does"));
        }

        @Test
        void an_explicit_deny_wins_over_the_allow() {
            CheckOutcome<PermissionsChange> outcome = baselineRole()
                    .inline("freeze", policy(deny(List.of("ecr:PutImage"), REPO_ARN))).check();
            assertThat(codes(outcome)).containsExactly(PERM_MISSING_PUSH_ACTIONS);
            assertThat(finding(outcome, PERM_MISSING_PUSH_ACTIONS).message()).contains("lack ecr:PutImage,").doesNotContain("UploadLayerPart");
        }

        @Test
        void a_boundary_without_push_actions_caps_the_identity_policy() {
            CheckOutcome<PermissionsChange> outcome = baselineRole().boundary(BOUNDARY_ARN,
                    policy(allow(List.of("ecr:GetAuthorizationToken", "ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer",
                            "ecr:BatchCheckLayerAvailability"), "*"))).check();
            assertThat(codes(outcome)).containsExactly(PERM_MISSING_PUSH_ACTIONS);
        }

        @Test
        void the_full_baseline_passes() {
            assertThat(codes(baselineRole().check())).doesNotContain(PERM_MISSING_PUSH_ACTIONS);
        }
    }

    @Nested
    class Conditions {
        @Test
        void a_conditioned_allow_still_counts_as_excess_but_not_as_a_grant() {
            RoleFixture role = role().inline("ip-pinned", policy(statement("Allow", "Action", List.of("ecr:*"), "Resource", List.of("*"),
                    sourceIpCondition())));
            CheckOutcome<PermissionsChange> outcome = role.check();
            assertThat(codes(outcome)).containsExactlyInAnyOrder(PERM_ECR_ALL_REPOS_WRITE, PERM_ECR_EXCESSIVE_ACTIONS,
                    PERM_MISSING_AUTH_TOKEN, PERM_MISSING_PUSH_ACTIONS);
            assertThat(outcome.change()).isInstanceOfSatisfying(PermissionsChange.NeedsHuman.class,
                    n -> assertThat(n.reason()).contains("conditions"));
        }

        @Test
        void a_conditioned_deny_does_not_remove_excess_but_does_remove_a_grant() {
            CheckOutcome<PermissionsChange> outcome = role().inline("broad", policy(allow("ecr:*", "*"),
                    statement("Deny", "Action", List.of("ecr:*"), "Resource", List.of("*"), sourceIpCondition()))).check();
            assertThat(codes(outcome)).containsExactlyInAnyOrder(PERM_ECR_ALL_REPOS_WRITE, PERM_ECR_EXCESSIVE_ACTIONS,
                    PERM_MISSING_AUTH_TOKEN, PERM_MISSING_PUSH_ACTIONS);
            assertThat(finding(outcome, PERM_MISSING_AUTH_TOKEN).witness()).isInstanceOf(Witness.Detail.class);
        }
    }

    @Nested
    class Unreadable {
        @Test
        void an_unresolved_customer_policy_is_reported_and_left_to_a_person() {
            CheckOutcome<PermissionsChange> outcome = role().attachedWithoutDocument(CUSTOMER_POLICY_ARN).check();
            assertThat(codes(outcome)).containsExactly(PERM_POLICY_UNRESOLVED);
            Finding f = finding(outcome, PERM_POLICY_UNRESOLVED);
            assertThat(f.resource()).isEqualTo(CUSTOMER_POLICY_ARN);
            assertThat(f.witness()).isInstanceOf(Witness.Detail.class);
            assertThat(outcome.change()).isInstanceOf(PermissionsChange.NeedsHuman.class);
        }

        @Test
        void an_unresolved_boundary_cuts_nothing() {
            CheckOutcome<PermissionsChange> outcome = role().inline("everything", policy(allow("*", "*")))
                    .boundaryWithoutDocument(BOUNDARY_ARN).check();
            assertThat(codes(outcome)).containsExactlyInAnyOrder(PERM_POLICY_UNRESOLVED, PERM_ADMIN);
            assertThat(outcome.change()).isInstanceOf(PermissionsChange.NeedsHuman.class);
        }

        @Test
        void a_malformed_inline_policy_is_a_finding_not_an_exception() {
            CheckOutcome<PermissionsChange> outcome = baselineRole().inline("broken", "{\"Statement\":").check();
            assertThat(codes(outcome)).containsExactly(POLICY_MALFORMED);
            Finding f = finding(outcome, POLICY_MALFORMED);
            assertThat(f.resource()).isEqualTo(ROLE_ARN + "#broken");
            assertThat(f.message()).startsWith("policy document is not valid JSON");
            assertThat(outcome.change()).isInstanceOfSatisfying(PermissionsChange.NeedsHuman.class,
                    n -> assertThat(n.reason()).contains("inline policy broken is malformed"));
        }

        @Test
        void a_malformed_boundary_names_its_arn() {
            CheckOutcome<PermissionsChange> outcome = baselineRole().boundary(BOUNDARY_ARN, "{\"Statement\":[{\"Effect\":\"Maybe\"}]}").check();
            assertThat(codes(outcome)).containsExactly(POLICY_MALFORMED);
            assertThat(finding(outcome, POLICY_MALFORMED).resource()).isEqualTo(BOUNDARY_ARN);
        }

        @Test
        void a_malformed_repository_policy_is_left_to_the_repository_policy_check() {
            CheckOutcome<PermissionsChange> outcome = baselineRole().repositoryPolicy("not json").check();
            assertThat(outcome.findings()).isEmpty();
        }
    }

    @Nested
    class Rewrites {
        @Test
        void an_existing_inline_policy_with_the_tools_name_is_overwritten_not_deleted() {
            RoleFixture role = role().inline(Baseline.INLINE_POLICY_NAME, policy(allow("ecr:*", "*")));
            PermissionsChange.Rewrite rewrite = (PermissionsChange.Rewrite) role.check().change();
            assertThat(rewrite.deleteInline()).isEmpty();
            assertThat(role.applying(rewrite).check().findings()).isEmpty();
        }

        @Test
        void a_role_with_nothing_of_the_baseline_needs_a_person() {
            CheckOutcome<PermissionsChange> outcome = role().inline("s3", policy(allow("s3:*", "*"))).check();
            assertThat(outcome.change()).isInstanceOfSatisfying(PermissionsChange.NeedsHuman.class,
                    n -> assertThat(n.reason()).contains("none of the baseline"));
        }

        @Test
        void a_baseline_pair_granted_only_under_a_condition_needs_a_person() {
            CheckOutcome<PermissionsChange> outcome = role().inline("mixed", policy(allow("ecr:*", "*"),
                    statement("Deny", "Action", List.of("ecr:PutImage"), "Resource", List.of("*"), sourceIpCondition()))).check();
            assertThat(outcome.change()).isInstanceOfSatisfying(PermissionsChange.NeedsHuman.class,
                    n -> assertThat(n.reason()).contains("ecr:PutImage on " + REPO_ARN));
        }

        @Test
        void a_complete_rewrite_leaves_nothing_remaining() {
            RoleFixture role = role().inline("ecr", policy(allow("ecr:*", "*")));
            PermissionsChange.Rewrite rewrite = (PermissionsChange.Rewrite) role.check().change();
            assertThat(rewrite.remaining()).isEmpty();
            assertThat(role.applying(rewrite).check().findings()).isEmpty();
        }

        @Test
        void a_rewrite_of_a_role_without_push_actions_says_they_remain_missing() {
            RoleFixture role = role().inline("pull-everywhere", policy(allow("ecr:GetAuthorizationToken", "*"),
                    allow(List.of("ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer", "ecr:BatchCheckLayerAvailability"), "*")));
            CheckOutcome<PermissionsChange> outcome = role.check();
            assertThat(codes(outcome)).containsExactlyInAnyOrder(PERM_ECR_READ_ALL_REPOS, PERM_MISSING_PUSH_ACTIONS);
            PermissionsChange.Rewrite rewrite = (PermissionsChange.Rewrite) outcome.change();
            assertThat(rewrite.remaining()).containsExactly(PERM_MISSING_PUSH_ACTIONS);
            // remaining is exactly what the analysis finds once the rewrite is applied.
            assertThat(codes(role.applying(rewrite).check())).containsExactlyInAnyOrderElementsOf(rewrite.remaining());
        }

        @Test
        void a_rewrite_that_cannot_add_the_token_or_push_says_both_remain() {
            RoleFixture role = role().inline("pull-everywhere",
                    policy(allow(List.of("ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer", "ecr:BatchCheckLayerAvailability"), "*")));
            PermissionsChange.Rewrite rewrite = (PermissionsChange.Rewrite) role.check().change();
            assertThat(rewrite.remaining()).containsExactlyInAnyOrder(PERM_MISSING_AUTH_TOKEN, PERM_MISSING_PUSH_ACTIONS);
            assertThat(codes(role.applying(rewrite).check())).containsExactlyInAnyOrderElementsOf(rewrite.remaining());
        }

        @Test
        void the_remaining_codes_are_an_immutable_copy() {
            java.util.Set<FindingCode> codes = new java.util.HashSet<>(java.util.Set.of(PERM_MISSING_PUSH_ACTIONS));
            PermissionsChange.Rewrite rewrite = new PermissionsChange.Rewrite(java.util.Map.of(), List.of(), List.of(), List.of(), codes);
            codes.add(PERM_MISSING_AUTH_TOKEN);
            assertThat(rewrite.remaining()).containsExactly(PERM_MISSING_PUSH_ACTIONS);
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> rewrite.remaining().add(PERM_ADMIN))
                    .isInstanceOf(UnsupportedOperationException.class);
        }

        @Test
        void the_rewritten_document_is_the_baseline_when_everything_was_allowed() throws Exception {
            PermissionsChange.Rewrite rewrite = (PermissionsChange.Rewrite) role().inline("ecr", policy(allow("ecr:*", "*"))).check().change();
            var written = dev.ecroidcguard.core.policy.PolicyDocument.parse(rewrite.putInline().get(Baseline.INLINE_POLICY_NAME));
            var baseline = dev.ecroidcguard.core.policy.PolicyDocument.parse(baseline());
            assertThat(written.statements()).isEqualTo(baseline.statements());
        }
    }

    static List<FindingCode> codes(CheckOutcome<PermissionsChange> outcome) {
        return outcome.findings().stream().map(Finding::code).toList();
    }

    static Finding finding(CheckOutcome<PermissionsChange> outcome, FindingCode code) {
        return outcome.findings().stream().filter(f -> f.code() == code).findFirst().orElseThrow(() ->
                new AssertionError("no " + code + " in " + outcome.findings()));
    }

    static Witness witness(CheckOutcome<PermissionsChange> outcome, FindingCode code) {
        return finding(outcome, code).witness();
    }
}
