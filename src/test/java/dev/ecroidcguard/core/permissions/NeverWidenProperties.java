package dev.ecroidcguard.core.permissions;

import dev.ecroidcguard.core.analysis.Baseline;
import dev.ecroidcguard.core.analysis.CheckOutcome;
import dev.ecroidcguard.core.analysis.EcrActions;
import dev.ecroidcguard.core.finding.Finding;
import dev.ecroidcguard.core.fix.PermissionsChange;
import dev.ecroidcguard.core.lang.Wildcards;
import dk.brics.automaton.Automaton;
import dk.brics.automaton.SpecialOperations;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;
import net.jqwik.api.Tuple;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import static dev.ecroidcguard.core.permissions.EffectivePermissions.Bound.LOWER;
import static dev.ecroidcguard.core.permissions.EffectivePermissions.Bound.UPPER;
import static dev.ecroidcguard.core.permissions.RoleFixture.*;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The fix never widens: for random identity policies (and boundaries) drawn from a vocabulary of the
 * patterns seen in the catalogue, whatever the rewritten role may do the old role surely could, and the
 * rewritten role has nothing in excess left to report.
 */
class NeverWidenProperties {

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

    @Property(tries = 150)
    void the_rewritten_role_allows_nothing_the_old_role_did_not_surely_allow(@ForAll("roles") RoleFixture role) {
        CheckOutcome<PermissionsChange> outcome = role.check();
        collectKindOfChange(outcome.change());
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

    @Property(tries = 150)
    void the_rewritten_role_has_no_excess_findings(@ForAll("roles") RoleFixture role) {
        PermissionsChange change = role.check().change();
        collectKindOfChange(change);
        if (change instanceof PermissionsChange.Rewrite rewrite) {
            assertThat(excess(role.applying(rewrite).check())).isEmpty();
        } else if (change instanceof PermissionsChange.Unchanged) {
            assertThat(excess(role.check())).isEmpty();
        }
    }

    /** Keeps the properties honest: a fair share of the generated roles must get a rewrite to check. */
    private static void collectKindOfChange(PermissionsChange change) {
        Statistics.label("change").collect(change.getClass().getSimpleName())
                .coverage(c -> c.check("Rewrite").percentage(p -> p >= 10.0));
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

    private static List<Finding> excess(CheckOutcome<PermissionsChange> outcome) {
        return outcome.findings().stream().filter(f -> ExcessFindings.CODES.contains(f.code())).toList();
    }

    @Provide
    Arbitrary<RoleFixture> roles() {
        Arbitrary<List<String>> inlinePolicies = statement(true).list().ofMinSize(1).ofMaxSize(3)
                .map(s -> Policies.policy(s.toArray(String[]::new))).list().ofMinSize(1).ofMaxSize(2);
        Arbitrary<Optional<String>> boundary = statement(false).list().ofMinSize(1).ofMaxSize(2)
                .map(s -> Policies.policy(s.toArray(String[]::new))).optional(0.4);
        return Combinators.combine(inlinePolicies, boundary).as((policies, boundaryDocument) -> {
            RoleFixture role = RoleFixture.role();
            for (int i = 0; i < policies.size(); i++) {
                role.inline("policy-" + i, policies.get(i));
            }
            boundaryDocument.ifPresent(b -> role.boundary(BOUNDARY_ARN, b));
            return role;
        });
    }

    /** A statement from the vocabulary; boundaries get no NotAction/NotResource, just Allow and Deny. */
    private static Arbitrary<String> statement(boolean identity) {
        Arbitrary<String> effect = Arbitraries.frequency(Tuple.of(4, "Allow"), Tuple.of(1, "Deny"));
        Arbitrary<Boolean> notAction = identity ? Arbitraries.frequency(Tuple.of(9, false), Tuple.of(1, true)) : Arbitraries.just(false);
        Arbitrary<Boolean> notResource = identity ? Arbitraries.frequency(Tuple.of(9, false), Tuple.of(1, true)) : Arbitraries.just(false);
        Arbitrary<Boolean> conditioned = Arbitraries.frequency(Tuple.of(5, false), Tuple.of(1, true));
        Arbitrary<List<String>> actions = Arbitraries.of(ACTIONS).list().ofMinSize(1).ofMaxSize(3).uniqueElements();
        Arbitrary<List<String>> resources = Arbitraries.of(RESOURCES).list().ofMinSize(1).ofMaxSize(2).uniqueElements();
        return Combinators.combine(effect, notAction, actions, notResource, resources, conditioned).as((e, na, a, nr, r, c) ->
                Policies.statement(e, na ? "NotAction" : "Action", a, nr ? "NotResource" : "Resource", new ArrayList<>(r),
                        c ? Policies.sourceIpCondition() : ""));
    }
}
