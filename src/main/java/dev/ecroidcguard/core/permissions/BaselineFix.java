package dev.ecroidcguard.core.permissions;

import dev.ecroidcguard.core.analysis.Baseline;
import dev.ecroidcguard.core.finding.Finding;
import dev.ecroidcguard.core.finding.FindingCode;
import dev.ecroidcguard.core.fix.PermissionsChange;
import dev.ecroidcguard.core.inventory.IamRole;
import dev.ecroidcguard.core.policy.Effect;
import dev.ecroidcguard.core.policy.PolicyWriter;
import dev.ecroidcguard.core.policy.Statement;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The never-widening repair of a role's identity policies: replace them all with one inline policy holding
 * exactly the baseline pairs ({@code ecr:GetAuthorizationToken} on {@code *}, the seven push/pull actions on
 * the repository) that the old policies surely allow within the boundary and despite every deny. A read-only
 * role therefore stays read-only; the boundary is kept. Whatever the old policies allow only under a
 * condition, or cannot be read, is a person's decision.
 */
final class BaselineFix {

    /** One baseline (action, resource) pair. */
    record Pair(String action, String resource) {
    }

    private BaselineFix() {
    }

    static List<Pair> baselinePairs(String repositoryArn) {
        List<Pair> pairs = new ArrayList<>();
        pairs.add(new Pair(Baseline.AUTH_TOKEN_ACTION, "*"));
        Baseline.PUSH_PULL_ACTIONS.forEach(a -> pairs.add(new Pair(a, repositoryArn)));
        return pairs;
    }

    static PermissionsChange plan(IamRole role, RolePolicies policies, EffectivePermissions upper, EffectivePermissions lower,
                                  RepositoryScope scope, List<Finding> excess, List<Finding> missing) {
        if (!policies.unreadable().isEmpty()) {
            return new PermissionsChange.NeedsHuman("cannot prove a rewrite never widens the role's permissions while documents "
                    + "are unreadable: " + String.join("; ", policies.unreadable()));
        }
        if (excess.isEmpty()) {
            return missing.isEmpty()
                    ? PermissionsChange.UNCHANGED
                    : new PermissionsChange.NeedsHuman("the role lacks permissions it needs (" + codes(missing) + "); adding them "
                    + "widens its permissions, which a fix plan never does: grant them deliberately");
        }
        List<Pair> pairs = baselinePairs(scope.repositoryArn());
        List<Pair> conditional = pairs.stream().filter(p -> upper.allows(p.action(), p.resource()) && !lower.allows(p.action(), p.resource()))
                .toList();
        if (!conditional.isEmpty()) {
            return new PermissionsChange.NeedsHuman("the role's policies allow " + describe(conditional) + " only depending on "
                    + "conditions; decide whether the rewritten policy should grant them");
        }
        List<Pair> kept = pairs.stream().filter(p -> lower.allows(p.action(), p.resource())).toList();
        if (kept.isEmpty()) {
            return new PermissionsChange.NeedsHuman("the role's policies allow none of the baseline push/pull permissions on "
                    + scope.repositoryArn() + "; a rewrite would leave the role with nothing: decide what it is for");
        }
        List<String> reasons = new ArrayList<>();
        excess.forEach(f -> reasons.add("removes " + f.code() + ": " + f.message()));
        missing.forEach(f -> reasons.add(f.code() + " remains: " + f.message() + " (the old policies did not allow it and this "
                + "fix never widens)"));
        List<String> deleteInline = role.inlinePolicies().stream().map(IamRole.InlinePolicy::name)
                .filter(name -> !name.equals(Baseline.INLINE_POLICY_NAME)).toList();
        // What was missing stays missing: the rewrite keeps only pairs the old policies surely allowed.
        Set<FindingCode> remaining = missing.stream().map(Finding::code).collect(Collectors.toSet());
        return new PermissionsChange.Rewrite(Map.of(Baseline.INLINE_POLICY_NAME, document(kept)), deleteInline,
                role.attachedPolicyArns(), reasons, remaining);
    }

    /** The baseline document restricted to {@code kept}, in the baseline's statement and action order. */
    static String document(List<Pair> kept) {
        List<Statement> statements = new ArrayList<>();
        List<String> token = kept.stream().filter(p -> p.resource().equals("*")).map(Pair::action).toList();
        List<Pair> onRepository = kept.stream().filter(p -> !p.resource().equals("*")).toList();
        if (!token.isEmpty()) {
            statements.add(allow("GetAuthorizationToken", token, "*"));
        }
        if (!onRepository.isEmpty()) {
            statements.add(allow("PushPull", onRepository.stream().map(Pair::action).toList(), onRepository.get(0).resource()));
        }
        return PolicyWriter.write(statements);
    }

    private static Statement allow(String sid, List<String> actions, String resource) {
        return new Statement(Optional.of(sid), Effect.ALLOW, Optional.empty(), false, actions, false, List.of(resource), false, List.of());
    }

    private static String describe(List<Pair> pairs) {
        return String.join(", ", pairs.stream().map(p -> p.action() + " on " + p.resource()).toList());
    }

    private static String codes(List<Finding> findings) {
        return String.join(", ", findings.stream().map(f -> f.code().name()).toList());
    }
}
