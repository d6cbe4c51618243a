package dev.ecroidcguard.core.permissions;

import dev.ecroidcguard.core.analysis.Baseline;
import dev.ecroidcguard.core.analysis.CheckOutcome;
import dev.ecroidcguard.core.analysis.EcrActions;
import dev.ecroidcguard.core.finding.Finding;
import dev.ecroidcguard.core.finding.RemediationClass;
import dev.ecroidcguard.core.fix.PermissionsChange;
import dev.ecroidcguard.core.lang.Wildcards;
import dk.brics.automaton.Automaton;
import dk.brics.automaton.SpecialOperations;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.stream.Stream;

import static dev.ecroidcguard.testing.Generated.chance;
import static dev.ecroidcguard.testing.Generated.distinctListOf;
import static dev.ecroidcguard.testing.Generated.forAll;
import static dev.ecroidcguard.testing.Generated.listOf;
import static dev.ecroidcguard.testing.Generated.percentage;

import static dev.ecroidcguard.core.permissions.EffectivePermissions.Bound.LOWER;
import static dev.ecroidcguard.core.permissions.EffectivePermissions.Bound.UPPER;
import static dev.ecroidcguard.core.permissions.RoleFixture.*;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The fix never widens: for random identity policies (and boundaries) drawn from a vocabulary of the
 * patterns seen in the catalogue, whatever the rewritten role may do the old role surely could, and the
 * rewritten role has nothing in excess left to report.
 */
class PermissionsFixNeverWidensTest {

    private static final int TRIES = 150;

    private static final List<String> ACTIONS = List.of("ecr:*", "ecr:Put*", "ecr:PutImage", "ECR:putimage", "ecr:BatchGetImage",
            "ecr:Batch?etImage", "ecr:*Layer*", "ecr:GetAuthorizationToken", "ecr:InitiateLayerUpload", "ecr:UploadLayerPart",
            "ecr:CompleteLayerUpload", "ecr:BatchCheckLayerAvailability", "ecr:GetDownloadUrlForLayer", "ecr:SetRepositoryPolicy",
            "ecr:DescribeImages", "s3:GetObject", "iam:*", "*");
    private static final List<String> RESOURCES = List.of("*", REPO_ARN, OTHER_REPO_ARN, "arn:aws:ecr:us-east-1:123456789012:repository/*",
            REPO_ARN + "*", "arn:aws:ecr:*:123456789012:repository/web-api", "arn:aws:ecr:*:*:*", "arn:aws:s3:::artifacts/*");
    /** Concrete requests to compare old and new permissions on. */
    private static final List<String> REQUEST_RESOURCES = List.of("*", REPO_ARN, OTHER_REPO_ARN, REPO_ARN + "-x",
            "arn:aws:ecr:eu-west-1:123456789012:repository/web-api", "arn:aws:s3:::artifacts/build.zip");
    private static final List<String> REQUEST_ACTIONS = Stream.concat(EcrActions.names().stream(),
            Stream.of("s3:GetObject", "iam:PassRole", "sts:AssumeRole")).toList();

    @Test
    void the_rewritten_role_allows_nothing_the_old_role_did_not_surely_allow() {
        List<GeneratedRole> checked = forAll(TRIES, PermissionsFixNeverWidensTest::role,
                PermissionsFixNeverWidensTest::rewrittenRoleAllowsNothingNew);
        assertFairShareOfRewrites(checked);
    }

    @Test
    void the_rewritten_role_has_no_excess_findings() {
        List<GeneratedRole> checked = forAll(TRIES, PermissionsFixNeverWidensTest::role, generated -> {
            RoleFixture role = generated.fixture();
            PermissionsChange change = role.check().change();
            if (change instanceof PermissionsChange.Rewrite rewrite) {
                assertThat(excess(role.applying(rewrite).check())).isEmpty();
            } else if (change instanceof PermissionsChange.Unchanged) {
                assertThat(excess(role.check())).isEmpty();
            }
        });
        assertFairShareOfRewrites(checked);
    }

    private static void rewrittenRoleAllowsNothingNew(GeneratedRole generated) {
        RoleFixture role = generated.fixture();
        CheckOutcome<PermissionsChange> outcome = role.check();
        if (!(outcome.change() instanceof PermissionsChange.Rewrite rewrite)) {
            return;
        }
        EffectivePermissions before = role.permissions(LOWER);
        EffectivePermissions after = role.applying(rewrite).permissions(UPPER);
        for (String action : REQUEST_ACTIONS) {
            for (String resource : REQUEST_RESOURCES) {
                if (isRealRequest(action, resource) && after.allows(action, resource)) {
                    assertThat(before.allows(action, resource)).as("%s on %s", action, resource).isTrue();
                }
            }
        }
        // Exactly, not only on samples: every action of the new grants is a finite word, and for each the
        // resources it may reach now are contained in the resources it surely reached before.
        for (EffectivePermissions.Grant grant : after.grants()) {
            for (String action : SpecialOperations.getFiniteStrings(grant.actions())) {
                Automaton now = after.resourcesFor(action);
                Automaton then = before.resourcesFor(action);
                if (isResourceless(action)) {
                    assertThat(!now.run("*") || then.run("*")).as("%s on *", action).isTrue();
                } else {
                    assertThat(Wildcards.subsetOf(now, then)).as("resources of %s", action).isTrue();
                }
            }
        }
    }

    /** Keeps the properties honest: a fair share of the generated roles must get a rewrite to check. */
    private static void assertFairShareOfRewrites(List<GeneratedRole> checked) {
        assertThat(percentage(checked, g -> g.fixture().check().change().getClass().getSimpleName(), "Rewrite"))
                .as("share of generated roles whose fix is a Rewrite").isGreaterThanOrEqualTo(10.0);
    }

    /**
     * ecr:GetAuthorizationToken has no resource type: AWS authorises every request for it against "*", so the
     * token's statement on "*" also matching other words is no request anybody can make.
     */
    private static boolean isResourceless(String action) {
        return Wildcards.lower(action).equals(Wildcards.lower(Baseline.AUTH_TOKEN_ACTION));
    }

    private static boolean isRealRequest(String action, String resource) {
        return !isResourceless(action) || resource.equals("*");
    }

    /** The findings the permissions rewrite removes, by the catalogue. */
    private static List<Finding> excess(CheckOutcome<PermissionsChange> outcome) {
        return outcome.findings().stream().filter(f -> f.code().fixedBy().equals(Optional.of(RemediationClass.PERMISSIONS))).toList();
    }

    /** A generated role: its inline policies and optional boundary, printed as documents when a property fails. */
    record GeneratedRole(List<String> inlinePolicies, Optional<String> boundary) {
        RoleFixture fixture() {
            RoleFixture role = RoleFixture.role();
            for (int i = 0; i < inlinePolicies.size(); i++) {
                role.inline("policy-" + i, inlinePolicies.get(i));
            }
            boundary.ifPresent(b -> role.boundary(BOUNDARY_ARN, b));
            return role;
        }
    }

    static GeneratedRole role(Random random) {
        List<String> inlinePolicies = listOf(random, 1, 2,
                r -> Policies.policy(listOf(r, 1, 3, s -> statement(s, true)).toArray(String[]::new)));
        Optional<String> boundary = chance(random, 0.4)
                ? Optional.of(Policies.policy(listOf(random, 1, 2, s -> statement(s, false)).toArray(String[]::new)))
                : Optional.empty();
        return new GeneratedRole(inlinePolicies, boundary);
    }

    /** A statement from the vocabulary; boundaries get no NotAction/NotResource, just Allow and Deny. */
    private static String statement(Random random, boolean identity) {
        String effect = random.nextInt(5) < 4 ? "Allow" : "Deny";
        boolean notAction = identity && random.nextInt(10) == 0;
        List<String> actions = distinctListOf(random, 1, 3, ACTIONS);
        boolean notResource = identity && random.nextInt(10) == 0;
        List<String> resources = distinctListOf(random, 1, 2, RESOURCES);
        boolean conditioned = random.nextInt(6) == 0;
        return Policies.statement(effect, notAction ? "NotAction" : "Action", actions, notResource ? "NotResource" : "Resource",
                new ArrayList<>(resources), conditioned ? Policies.sourceIpCondition() : "");
    }
}
