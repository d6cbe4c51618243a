package dev.ecroidcguard.core.permissions;

import dev.ecroidcguard.core.analysis.Baseline;
import dev.ecroidcguard.core.analysis.CheckOutcome;
import dev.ecroidcguard.core.analysis.RepositoryContext;
import dev.ecroidcguard.core.finding.Finding;
import dev.ecroidcguard.core.finding.FindingCode;
import dev.ecroidcguard.core.finding.Witness;
import dev.ecroidcguard.core.fix.PermissionsChange;
import dev.ecroidcguard.core.inventory.IamRole;
import dev.ecroidcguard.core.lang.Wildcards;
import dev.ecroidcguard.core.permissions.EffectivePermissions.Bound;
import dev.ecroidcguard.core.policy.PolicyDocument;
import dev.ecroidcguard.core.policy.PolicyParseException;
import dev.ecroidcguard.core.repositorypolicy.RepositoryPolicyGrants;
import dk.brics.automaton.Automaton;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * What the repository's role may do with ECR (catalogue §4.2): its effective permissions are the union of its
 * identity policies' Allow statements, cut by its permissions boundary, minus explicit denies; for push
 * actions, same-account repository-policy grants to the role count too (§1.4). Excess findings come from the
 * upper bound of those permissions and missing-permission findings from the lower bound (see
 * {@link Bound}); the proposed fix never widens them ({@link BaselineFix}).
 */
public final class PermissionsCheck {

    private static final RepositoryPolicyGrants.Granted NO_GRANTS = new RepositoryPolicyGrants.Granted(Set.of(), Set.of());

    private PermissionsCheck() {
    }

    public static CheckOutcome<PermissionsChange> check(RepositoryContext ctx) {
        if (ctx.role().isEmpty()) {
            // The analyzer reports the missing role and proposes creating it.
            return new CheckOutcome<>(List.of(), PermissionsChange.UNCHANGED);
        }
        IamRole role = ctx.role().get();
        RolePolicies policies = RolePolicies.load(ctx.account(), role);
        RepositoryScope scope = RepositoryScope.of(ctx.repository().arn(), ctx.account().partition(), ctx.account().region(),
                ctx.accountId());
        RequestKeys keys = RequestKeys.of(role.arn(), ctx.accountId(), scope.region());
        EffectivePermissions upper = EffectivePermissions.of(policies.identity(), policies.boundary(), Bound.UPPER, keys);
        EffectivePermissions lower = EffectivePermissions.of(policies.identity(), policies.boundary(), Bound.LOWER, keys);

        List<Finding> excess = ExcessFindings.of(upper, scope, role.arn());
        // An unreadable identity policy may grant what seems missing: claim nothing missing then (its own
        // finding already makes the role non-compliant).
        List<Finding> missing = policies.identityComplete()
                ? missing(ctx, role.arn(), upper, lower, scope)
                : List.of();
        List<Finding> findings = new ArrayList<>(policies.problems());
        findings.addAll(excess);
        findings.addAll(missing);
        return new CheckOutcome<>(findings, BaselineFix.plan(role, policies, upper, lower, scope, excess, missing));
    }

    private static List<Finding> missing(RepositoryContext ctx, String roleArn, EffectivePermissions upper, EffectivePermissions lower,
                                         RepositoryScope scope) {
        List<Finding> out = new ArrayList<>();
        if (!lower.allows(Baseline.AUTH_TOKEN_ACTION, "*")) {
            out.add(Finding.of(FindingCode.PERM_MISSING_AUTH_TOKEN, roleArn, "no identity policy surely allows "
                    + Baseline.AUTH_TOKEN_ACTION + " on \"*\" (a repository policy cannot grant it), so docker login to ECR fails",
                    authTokenEvidence(upper, scope)));
        }
        List<String> missingPush = missingPushActions(lower, repositoryGrants(ctx, roleArn), scope.repositoryArn());
        if (!missingPush.isEmpty()) {
            boolean onlyConditioned = missingPush.stream().allMatch(a -> upper.allows(a, scope.repositoryArn()));
            out.add(Finding.of(FindingCode.PERM_MISSING_PUSH_ACTIONS, roleArn, "effective permissions on " + scope.repositoryArn()
                    + " lack " + String.join(", ", missingPush) + ", so docker push fails" + (onlyConditioned
                    ? " (they are allowed only under a condition on keys the analysis cannot know for the request, taken as "
                    + "possibly false for usability; known: aws:RequestedRegion, aws:PrincipalArn, aws:PrincipalAccount, "
                    + "aws:PrincipalType, aws:SecureTransport)" : ""), null));
        }
        return out;
    }

    /** Why the token is missing when something close to it is there (a conditioned grant, the wrong resource). */
    private static Witness authTokenEvidence(EffectivePermissions upper, RepositoryScope scope) {
        if (upper.allows(Baseline.AUTH_TOKEN_ACTION, "*")) {
            return new Witness.Detail(Baseline.AUTH_TOKEN_ACTION + " on \"*\" is allowed only under a condition (or denied under one)");
        }
        Automaton elsewhere = upper.resourcesFor(Baseline.AUTH_TOKEN_ACTION);
        if (!elsewhere.isEmpty()) {
            return new Witness.Detail(Baseline.AUTH_TOKEN_ACTION + " is allowed only on " + scope.resourceExample(elsewhere)
                    + "; the action has no resource type, so only Resource \"*\" matches it");
        }
        return null;
    }

    /**
     * The push actions the role cannot surely perform on the repository. A repository-policy grant to the role
     * ARN counts within the boundary; a grant to the role's sessions counts regardless of it; explicit denies of
     * the role's own policies win over both.
     */
    static List<String> missingPushActions(EffectivePermissions lower, RepositoryPolicyGrants.Granted granted, String repositoryArn) {
        List<String> missing = new ArrayList<>();
        for (String action : Baseline.PUSH_ACTIONS) {
            String lowerAction = Wildcards.lower(action);
            boolean viaRepositoryPolicy = !lower.denies(action, repositoryArn) && (granted.viaSession().contains(lowerAction)
                    || (granted.viaRoleArn().contains(lowerAction) && lower.boundaryAllows(action, repositoryArn)));
            if (!lower.allows(action, repositoryArn) && !viaRepositoryPolicy) {
                missing.add(action);
            }
        }
        return missing;
    }

    /** Same-account grants of the repository policy; a malformed one grants nothing here (its own check reports it). */
    private static RepositoryPolicyGrants.Granted repositoryGrants(RepositoryContext ctx, String roleArn) {
        if (ctx.repository().policyText().isEmpty()) {
            return NO_GRANTS;
        }
        try {
            PolicyDocument policy = PolicyDocument.parse(ctx.repository().policyText().get());
            return RepositoryPolicyGrants.grantsTo(policy, roleArn, ctx.accountId());
        } catch (PolicyParseException e) {
            return NO_GRANTS;
        }
    }
}
