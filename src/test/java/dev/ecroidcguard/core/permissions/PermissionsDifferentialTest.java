package dev.ecroidcguard.core.permissions;

import dev.ecroidcguard.core.analysis.Baseline;
import dev.ecroidcguard.core.analysis.CheckOutcome;
import dev.ecroidcguard.core.analysis.EcrActions;
import dev.ecroidcguard.core.finding.Finding;
import dev.ecroidcguard.core.finding.FindingCode;
import dev.ecroidcguard.core.finding.Witness;
import dev.ecroidcguard.core.fix.PermissionsChange;
import dev.ecroidcguard.testing.Generated;
import dev.ecroidcguard.testing.IndependentIamEvaluator;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;

import static dev.ecroidcguard.core.finding.FindingCode.*;
import static dev.ecroidcguard.core.permissions.Policies.*;
import static dev.ecroidcguard.core.permissions.RoleFixture.*;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Differential test (issue 11): generated identity policies and boundaries (conditions on aws:RequestedRegion
 * only, see docs/differential-test.md) are judged by the permissions check and by
 * {@link IndependentIamEvaluator} on concrete requests: every real ECR action and a few others, on this
 * repository, other repositories (one in another region) and {@code *}. A request on a regional ARN is made in
 * that ARN's region; the repository's workflows make their requests on {@code *} in the repository's region, and
 * an exposure witness on a resource without a region counts as replayed when some region admits it. Its seeds are those of {@link Generated}; {@code -Dproperty.seed=N} replays one.
 */
class PermissionsDifferentialTest {

    private static final List<String> ECR_ACTIONS = EcrActions.catalogue().stream().map(a -> "ecr:" + a.name()).toList();
    private static final List<String> ECR_REPOSITORY_WRITES = EcrActions.catalogue().stream()
            .filter(a -> a.kind() == EcrActions.Kind.REPOSITORY_WRITE).map(a -> "ecr:" + a.name()).toList();
    private static final List<String> OTHER_ACTIONS = List.of("s3:GetObject", "iam:PassRole", "sts:AssumeRole");
    private static final String SIBLING = "arn:aws:ecr:us-east-1:" + ACCOUNT + ":repository/web-api-x";
    private static final List<String> OTHER_REPOSITORIES = List.of(OTHER_REPO_ARN, SIBLING, "arn:aws:ecr:us-east-1:" + ACCOUNT + ":repository/team/app",
            "arn:aws:ecr:eu-west-1:" + ACCOUNT + ":repository/web-api");
    private static final String REPOSITORY_REGION = "us-east-1";
    private static final List<String> REGIONS = List.of(REPOSITORY_REGION, "eu-west-1", "ap-south-1");
    /** aws:RequestedRegion conditions: the repository's region, another one, negated, by pattern, and one with IfExists. */
    private static final List<String> REGION_CONDITIONS = List.of(
            "{\"StringEquals\":{\"aws:RequestedRegion\":\"us-east-1\"}}",
            "{\"StringEquals\":{\"aws:RequestedRegion\":\"eu-west-1\"}}",
            "{\"StringNotEquals\":{\"aws:RequestedRegion\":\"us-east-1\"}}",
            "{\"StringLike\":{\"aws:RequestedRegion\":\"eu-*\"}}",
            "{\"StringEqualsIgnoreCase\":{\"aws:RequestedRegion\":[\"US-EAST-1\",\"ap-south-1\"]}}",
            "{\"StringNotLikeIfExists\":{\"aws:RequestedRegion\":\"us-*\"}}");
    private static final List<String> PATTERNS = List.of("ecr:*", "ecr:Describe*", "ecr:Get*", "ecr:List*", "ecr:Put*", "ecr:*Image*",
            "ecr:Batch*", "ecr:?utImage", "ecr:Delete*", "*", "s3:GetObject", "iam:PassRole", "ecr:describe", "ECR:PUTIMAGE",
            "ecr:GetAuthorizationToken", "ecr:PutImage", "ecr:BatchGetImage", "ecr:InitiateLayerUpload", "ecr:UploadLayerPart",
            "ecr:CompleteLayerUpload", "ecr:BatchCheckLayerAvailability", "ecr:GetDownloadUrlForLayer", "ecr:SetRepositoryPolicy");
    private static final List<String> RESOURCES = List.of(REPO_ARN, REPO_ARN, "*", OTHER_REPO_ARN,
            "arn:aws:ecr:us-east-1:" + ACCOUNT + ":repository/*", "arn:aws:ecr:us-east-1:" + ACCOUNT + ":repository/web-api*",
            "arn:aws:ecr:us-east-1:" + ACCOUNT + ":repository/Web-Api", "arn:aws:ecr:*:*:*", "arn:aws:s3:::bucket/*", "arn:aws:*");
    /** Codes that say the role may write to a repository other than its own. */
    private static final Set<FindingCode> OTHER_REPOSITORY_WRITE = Set.of(PERM_ADMIN, PERM_ECR_ALL_REPOS_WRITE, PERM_ECR_WRONG_REPO,
            PERM_ECR_REPO_WILDCARD, PERM_NOT_RESOURCE);
    private static final Set<FindingCode> EXCESS = Set.of(PERM_ADMIN, PERM_NON_ECR_ACTIONS, PERM_ECR_ALL_REPOS_WRITE, PERM_ECR_WRONG_REPO,
            PERM_ECR_REPO_WILDCARD, PERM_ECR_EXCESSIVE_ACTIONS, PERM_ECR_READ_ALL_REPOS, PERM_NOT_RESOURCE);

    record Case(List<String> identity, Optional<String> boundary) {
    }

    @Test
    void the_check_agrees_with_the_independent_evaluator_on_generated_policies() {
        List<String> disagreements = new ArrayList<>();
        int[] counts = new int[3];
        Generated.forAll(1000, PermissionsDifferentialTest::generate, c -> disagreements.addAll(compare(c, counts)));
        System.out.println("PermissionsDifferentialTest: " + counts[0] + " roles, " + counts[1] + " writing to another repository, "
                + counts[2] + " witnesses replayed");
        assertThat(counts[1]).as("the generator reaches roles that write elsewhere").isGreaterThan(100);
        assertThat(disagreements).isEmpty();
    }

    static Case generate(Random r) {
        List<String> identity = new ArrayList<>();
        int statements = 1 + r.nextInt(3);
        List<String> one = new ArrayList<>();
        for (int i = 0; i < statements; i++) {
            one.add(statement(r, Generated.chance(r, 0.8) ? "Allow" : "Deny"));
        }
        identity.add(policy(one.toArray(String[]::new)));
        if (Generated.chance(r, 0.5)) {
            identity.add(baseline());
        }
        Optional<String> boundary = Generated.chance(r, 0.3) ? Optional.of(policy(statement(r, "Allow"),
                allow(List.of("ecr:GetAuthorizationToken"), "*"))) : Optional.empty();
        return new Case(identity, boundary);
    }

    private static String statement(Random r, String effect) {
        List<String> actions = Generated.distinctListOf(r, 1, 3, PATTERNS);
        List<String> resources = Generated.distinctListOf(r, 1, 2, RESOURCES);
        boolean notResource = Generated.chance(r, 0.1);
        String condition = Generated.chance(r, 0.3) ? Generated.oneOf(r, REGION_CONDITIONS) : "";
        return Policies.statement(effect, "Action", actions, notResource ? "NotResource" : "Resource", resources, condition);
    }

    static List<String> compare(Case c, int[] counts) {
        counts[0]++;
        RoleFixture role = role();
        for (int i = 0; i < c.identity().size(); i++) {
            role.inline("p" + i, c.identity().get(i));
        }
        c.boundary().ifPresent(b -> role.boundary(BOUNDARY_ARN, b));
        CheckOutcome<PermissionsChange> outcome = role.check();
        Set<FindingCode> codes = outcome.findings().stream().map(Finding::code).collect(Collectors.toSet());
        List<String> out = new ArrayList<>();
        String where = " | identity " + c.identity() + " boundary " + c.boundary();

        List<String> missingPush = Baseline.PUSH_ACTIONS.stream().filter(a -> !allows(c, a, REPO_ARN)).toList();
        if (missingPush.isEmpty() == codes.contains(PERM_MISSING_PUSH_ACTIONS)) {
            out.add("push: evaluator misses " + missingPush + ", analysis " + codes + where);
        }
        if (allows(c, Baseline.AUTH_TOKEN_ACTION, "*") == codes.contains(PERM_MISSING_AUTH_TOKEN)) {
            out.add("auth token: evaluator " + allows(c, Baseline.AUTH_TOKEN_ACTION, "*") + ", analysis " + codes + where);
        }
        Optional<String> write = ECR_REPOSITORY_WRITES.stream()
                .flatMap(a -> OTHER_REPOSITORIES.stream().filter(r -> allows(c, a, r)).map(r -> a + " on " + r)).findFirst();
        counts[1] += write.isPresent() ? 1 : 0;
        if (write.isPresent() && codes.stream().noneMatch(OTHER_REPOSITORY_WRITE::contains)) {
            out.add("missed write elsewhere: " + write.get() + ", analysis " + codes + where);
        }
        for (Finding f : outcome.findings()) {
            if (EXCESS.contains(f.code()) && f.witness() instanceof Witness.Request w) {
                counts[2]++;
                if (w.action().toLowerCase(java.util.Locale.ROOT).startsWith("ecr:") && !ECR_ACTIONS.contains(w.action())) {
                    out.add("witness action does not exist: " + f.code() + " " + w + where);
                } else if (!allowsSomewhere(c, w.action(), w.resource())) {
                    out.add("witness not allowed: " + f.code() + " " + w + where);
                }
            }
        }
        return out;
    }

    /** What IAM decides for the request made from the repository's workflows (on a regional ARN: in its region). */
    private static boolean allows(Case c, String action, String resource) {
        return allows(c, action, resource, regionOf(resource).orElse(REPOSITORY_REGION));
    }

    /** Whether the request is allowed in some region it can be made in: its ARN's, or any for a resource without one. */
    private static boolean allowsSomewhere(Case c, String action, String resource) {
        return regionOf(resource).map(region -> allows(c, action, resource, region))
                .orElseGet(() -> REGIONS.stream().anyMatch(region -> allows(c, action, resource, region)));
    }

    private static boolean allows(Case c, String action, String resource, String region) {
        return IndependentIamEvaluator.allows(c.identity(), c.boundary(),
                new IndependentIamEvaluator.Request("AWS", ROLE_ARN, action, resource, Map.of("aws:requestedregion", region)));
    }

    /** The region field of an ARN, when it has a non-empty one. */
    private static Optional<String> regionOf(String resource) {
        String[] fields = resource.split(":", 6);
        return fields.length == 6 && fields[0].equals("arn") && !fields[3].isEmpty() ? Optional.of(fields[3]) : Optional.empty();
    }
}
