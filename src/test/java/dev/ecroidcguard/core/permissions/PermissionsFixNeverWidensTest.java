package dev.ecroidcguard.core.permissions;

import dev.ecroidcguard.core.analysis.Baseline;
import dev.ecroidcguard.core.analysis.CheckOutcome;
import dev.ecroidcguard.core.analysis.EcrActions;
import dev.ecroidcguard.core.finding.Finding;
import dev.ecroidcguard.core.finding.RemediationClass;
import dev.ecroidcguard.core.fix.PermissionsChange;
import dev.ecroidcguard.core.lang.Wildcards;
import dev.ecroidcguard.testing.IndependentIamEvaluator;
import dk.brics.automaton.Automaton;
import dk.brics.automaton.SpecialOperations;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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
 * patterns seen in the catalogue, whatever the rewritten role may do the old role surely could (judged on
 * concrete requests by {@link IndependentIamEvaluator}, and exactly by the analysis' automata), and the
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
    /** The request contexts the generated conditions tell apart: no source IP, one inside their block, one outside. */
    private static final List<Map<String, String>> REQUEST_CONTEXTS = List.of(Map.of(), Map.of("aws:sourceip", "203.0.113.7"),
            Map.of("aws:sourceip", "198.51.100.7"));
    private static final List<String> REQUEST_ACTIONS = Stream.concat(EcrActions.names().stream(),
            Stream.of("s3:GetObject", "iam:PassRole", "sts:AssumeRole")).toList();

    @Test
    void the_rewritten_role_allows_nothing_the_old_role_did_not_surely_allow() {
        int[] allowedAfter = new int[1];
        List<GeneratedRole> checked = forAll(TRIES, PermissionsFixNeverWidensTest::role,
                generated -> allowedAfter[0] += rewrittenRoleAllowsNothingNew(generated));
        assertFairShareOfRewrites(checked);
        assertThat(allowedAfter[0]).as("requests the rewritten roles allow, each checked against the old role").isGreaterThan(TRIES);
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

    /**
     * Judged by {@link IndependentIamEvaluator}, which reads the documents itself (not {@link EffectivePermissions}):
     * every concrete request the rewritten role allows in some request context the old role allowed in every
     * context (a conditional Allow of the old role is not "surely"). Then, exactly, by the analysis' own automata: the
     * resources each action of the new grants reaches are contained in those it surely reached before. Returns how many
     * requests the rewritten role allows.
     */
    private static int rewrittenRoleAllowsNothingNew(GeneratedRole generated) {
        RoleFixture role = generated.fixture();
        CheckOutcome<PermissionsChange> outcome = role.check();
        if (!(outcome.change() instanceof PermissionsChange.Rewrite rewrite)) {
            return 0;
        }
        RoleFixture fixed = role.applying(rewrite);
        int allowedAfter = 0;
        for (String action : REQUEST_ACTIONS) {
            for (String resource : REQUEST_RESOURCES) {
                if (!isRealRequest(action, resource)) {
                    continue;
                }
                Optional<Map<String, String>> allowedIn = REQUEST_CONTEXTS.stream()
                        .filter(context -> independentlyAllows(fixed, action, resource, context)).findFirst();
                if (allowedIn.isPresent()) {
                    allowedAfter++;
                    for (Map<String, String> before : REQUEST_CONTEXTS) {
                        assertThat(independentlyAllows(role, action, resource, before))
                                .as("%s on %s is allowed after the fix (context %s), so it must have been before (context %s)",
                                        action, resource, allowedIn.get(), before).isTrue();
                    }
                }
            }
        }
        EffectivePermissions surelyBefore = role.permissions(LOWER);
        EffectivePermissions possiblyAfter = fixed.permissions(UPPER);
        for (EffectivePermissions.Grant grant : possiblyAfter.grants()) {
            for (String action : SpecialOperations.getFiniteStrings(grant.actions())) {
                Automaton now = possiblyAfter.resourcesFor(action);
                Automaton then = surelyBefore.resourcesFor(action);
                if (isResourceless(action)) {
                    assertThat(!now.run("*") || then.run("*")).as("%s on *", action).isTrue();
                } else {
                    assertThat(Wildcards.subsetOf(now, then)).as("resources of %s", action).isTrue();
                }
            }
        }
        return allowedAfter;
    }

    private static boolean independentlyAllows(RoleFixture role, String action, String resource, Map<String, String> context) {
        return IndependentIamEvaluator.allows(role.identityDocuments(), role.boundaryDocument(),
                new IndependentIamEvaluator.Request("AWS", ROLE_ARN, action, resource, context));
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
