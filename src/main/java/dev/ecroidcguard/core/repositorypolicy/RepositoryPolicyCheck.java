package dev.ecroidcguard.core.repositorypolicy;

import dev.ecroidcguard.core.analysis.CheckOutcome;
import dev.ecroidcguard.core.analysis.RepositoryContext;
import dev.ecroidcguard.core.finding.Finding;
import dev.ecroidcguard.core.finding.FindingCode;
import dev.ecroidcguard.core.finding.Witness;
import dev.ecroidcguard.core.fix.DocumentChange;
import dev.ecroidcguard.core.policy.PolicyDocument;
import dev.ecroidcguard.core.policy.PolicyParseException;

import java.util.List;
import java.util.Optional;

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
        List<Problem> problems = new RepositoryPolicyClassifier(role, ctx.account().roles()).classify(policy);
        List<Finding> findings = problems.stream()
                .map(p -> Finding.of(p.code(), resource, p.message(), p.witness()))
                .distinct()
                .toList();
        return new CheckOutcome<>(findings, RepositoryPolicyFix.plan(policy, problems));
    }
}
