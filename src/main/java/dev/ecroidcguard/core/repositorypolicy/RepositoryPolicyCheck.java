package dev.ecroidcguard.core.repositorypolicy;

import dev.ecroidcguard.core.analysis.CheckOutcome;
import dev.ecroidcguard.core.analysis.RepositoryContext;
import dev.ecroidcguard.core.finding.Finding;
import dev.ecroidcguard.core.finding.FindingCode;
import dev.ecroidcguard.core.finding.Witness;
import dev.ecroidcguard.core.fix.DocumentChange;
import dev.ecroidcguard.core.inventory.IamRole;
import dev.ecroidcguard.core.inventory.ManagedPolicy;
import dev.ecroidcguard.core.lang.Wildcards;
import dev.ecroidcguard.core.policy.PolicyDocument;
import dev.ecroidcguard.core.policy.PolicyParseException;
import dev.ecroidcguard.core.policy.Statement;

import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Who the repository policy lets in (catalogue §4.3). In the same account a repository policy is a grant of
 * its own: whoever it names may push no matter how tightly that principal's identity policy is scoped, so
 * anything but this repository's CI role (or the account, which delegates to IAM) is a finding.
 */
public final class RepositoryPolicyCheck {
    private RepositoryPolicyCheck() {
    }

    public static CheckOutcome<DocumentChange> check(RepositoryContext ctx) {
        Optional<String> text = ctx.repository().policyText();
        if (text.isEmpty()) {
            return new CheckOutcome<>(List.of(), DocumentChange.UNCHANGED);
        }
        String resource = ctx.repository().arn();
        PolicyDocument policy;
        try {
            policy = PolicyDocument.parse(text.get());
        } catch (PolicyParseException e) {
            Finding malformed = Finding.of(FindingCode.POLICY_MALFORMED, resource, e.getMessage(),
                    new Witness.Detail("repository policy of " + ctx.repository().name()));
            return new CheckOutcome<>(List.of(malformed), new DocumentChange.NeedsHuman(
                    "the repository policy cannot be evaluated (" + e.getMessage() + "); correct it by hand"));
        }
        PairedRole role = PairedRole.of(ctx.roleArn(), ctx.accountId());
        List<Problem> problems = new RepositoryPolicyClassifier(role, ctx.account().roles(), boundaryAllows(ctx)).classify(policy);
        List<Finding> findings = problems.stream()
                .map(p -> Finding.of(p.code(), resource, p.message(), p.witness()))
                .distinct()
                .toList();
        return new CheckOutcome<>(findings, RepositoryPolicyFix.plan(policy, problems));
    }

    /**
     * Which actions the CI role's permissions boundary allows on the repository (issue 11, R3): a same-account
     * repository-policy grant to the role ARN is effective only within the boundary. Without a boundary, or
     * with one the inventory cannot read or parse, every action may be allowed. The boundary's conditioned
     * Allows count and its conditioned Denies do not (what may be allowed).
     */
    private static Predicate<String> boundaryAllows(RepositoryContext ctx) {
        Optional<PolicyDocument> boundary = ctx.role().flatMap(IamRole::permissionsBoundaryArn).flatMap(ctx.account()::managedPolicy)
                .flatMap(ManagedPolicy::defaultDocument).flatMap(text -> {
                    try {
                        return Optional.of(PolicyDocument.parse(text));
                    } catch (PolicyParseException e) {
                        return Optional.empty();
                    }
                });
        if (boundary.isEmpty()) {
            return action -> true;
        }
        String repository = ctx.repository().arn();
        List<Statement> statements = boundary.get().statements();
        return action -> statements.stream().anyMatch(st -> st.isAllow() && covers(st, action, repository))
                && statements.stream().noneMatch(st -> !st.isAllow() && st.conditions().isEmpty() && covers(st, action, repository));
    }

    private static boolean covers(Statement st, String action, String resource) {
        String lower = Wildcards.lower(action);
        boolean actionListed = st.actions().stream().anyMatch(a -> Wildcards.matches(Wildcards.lower(a), lower));
        boolean resourceListed = st.resources().stream().anyMatch(r -> Wildcards.matches(r, resource));
        return actionListed != st.notAction() && resourceListed != st.notResource();
    }
}
