package dev.ecroidcguard.core.permissions;

import dev.ecroidcguard.core.analysis.Baseline;
import dev.ecroidcguard.core.repositorypolicy.RepositoryPolicyGrants.Granted;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static dev.ecroidcguard.core.permissions.EffectivePermissions.Bound.LOWER;
import static dev.ecroidcguard.core.permissions.Policies.*;
import static dev.ecroidcguard.core.permissions.RoleFixture.*;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Catalogue §1.4 and PERM_MISSING_PUSH_ACTIONS: a same-account repository-policy grant to the role ARN is
 * enough, but still capped by the permissions boundary; a grant to the role's sessions is not capped by it.
 */
class RepositoryPolicyGrantTest {

    private static final Set<String> PUSH = Baseline.PUSH_ACTIONS.stream().map(String::toLowerCase).collect(Collectors.toSet());
    private static final Granted NOTHING = new Granted(Set.of(), Set.of());

    private static final RoleFixture TOKEN_ONLY = role().inline("token", policy(allow("ecr:GetAuthorizationToken", "*")));
    private static final RoleFixture TOKEN_ONLY_WITHIN_TOKEN_BOUNDARY = role().inline("token", policy(allow("ecr:GetAuthorizationToken", "*")))
            .boundary(BOUNDARY_ARN, policy(allow("ecr:GetAuthorizationToken", "*")));

    @Test
    void without_any_grant_every_push_action_is_missing() {
        assertThat(PermissionsCheck.missingPushActions(TOKEN_ONLY.permissions(LOWER), NOTHING, REPO_ARN))
                .isEqualTo(Baseline.PUSH_ACTIONS);
    }

    @Test
    void a_grant_to_the_role_arn_supplies_the_push_actions() {
        assertThat(PermissionsCheck.missingPushActions(TOKEN_ONLY.permissions(LOWER), new Granted(PUSH, Set.of()), REPO_ARN)).isEmpty();
    }

    @Test
    void a_grant_to_the_role_arn_is_capped_by_the_boundary() {
        assertThat(PermissionsCheck.missingPushActions(TOKEN_ONLY_WITHIN_TOKEN_BOUNDARY.permissions(LOWER), new Granted(PUSH, Set.of()),
                REPO_ARN)).isEqualTo(Baseline.PUSH_ACTIONS);
    }

    @Test
    void a_grant_to_the_roles_sessions_is_not_capped_by_the_boundary() {
        assertThat(PermissionsCheck.missingPushActions(TOKEN_ONLY_WITHIN_TOKEN_BOUNDARY.permissions(LOWER), new Granted(Set.of(), PUSH),
                REPO_ARN)).isEmpty();
    }

    @Test
    void an_explicit_deny_in_the_roles_policies_wins_over_a_session_grant() {
        RoleFixture denying = role().inline("token", policy(allow("ecr:GetAuthorizationToken", "*"), deny(List.of("ecr:PutImage"), "*")));
        assertThat(PermissionsCheck.missingPushActions(denying.permissions(LOWER), new Granted(Set.of(), PUSH), REPO_ARN))
                .containsExactly("ecr:PutImage");
    }
}
