package dev.ecroidcguard.core.trust;

import dev.ecroidcguard.core.analysis.CheckOutcome;
import dev.ecroidcguard.core.analysis.RepositoryContext;
import dev.ecroidcguard.core.finding.Finding;
import dev.ecroidcguard.core.finding.FindingCode;
import dev.ecroidcguard.core.finding.Witness;
import dev.ecroidcguard.core.fix.DocumentChange;
import dev.ecroidcguard.core.inventory.IamRole;
import dev.ecroidcguard.core.policy.PolicyDocument;
import dev.ecroidcguard.core.policy.PolicyParseException;

import java.util.List;

/**
 * Who can assume the repository's role: the trust-policy findings (see {@link TrustAnalysis}) and a fix that
 * is compliant and admits nothing the old policy did not (see {@link TrustFixPlanner}).
 */
public final class TrustCheck {

    private TrustCheck() {
    }

    /** {@code languages}: the token-class languages of the running scan, shared by its trust checks (one thread). */
    public static CheckOutcome<DocumentChange> check(RepositoryContext ctx, TrustLanguageCache languages) {
        IamRole role = ctx.role().orElseThrow(() -> new IllegalArgumentException("trust check needs the role"));
        PolicyDocument doc;
        try {
            doc = PolicyDocument.parse(role.trustPolicy());
        } catch (PolicyParseException e) {
            return new CheckOutcome<>(List.of(Finding.of(FindingCode.POLICY_MALFORMED, role.arn(),
                    "trust policy of " + role.name() + " was not evaluated: " + e.getMessage(), new Witness.Detail(e.getMessage()))),
                    new DocumentChange.NeedsHuman("the trust policy cannot be parsed: " + e.getMessage()));
        }
        TrustFacts facts = TrustFacts.of(ctx, doc, languages);
        List<Finding> findings = TrustAnalysis.findings(facts);
        DocumentChange change = findings.isEmpty() ? DocumentChange.UNCHANGED : TrustFixPlanner.plan(facts, findings, languages);
        return new CheckOutcome<>(findings, change);
    }

    /** The findings for a parsed trust policy of the repository's role. */
    static List<Finding> findings(RepositoryContext ctx, PolicyDocument doc, TrustLanguageCache languages) {
        return TrustAnalysis.findings(TrustFacts.of(ctx, doc, languages));
    }
}
