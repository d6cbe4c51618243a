package dev.ecroidcguard.core.trust;

import dev.ecroidcguard.core.finding.Finding;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Decides, as sets, which GitHub Actions tokens may assume a repository's role, and names every way the
 * trust policy departs from "exactly this repository's workflows" with a catalogue code and a witness.
 *
 * <p>Three classes of tokens are tested against every Allow statement (after Denies): tokens of other
 * owners' repositories (anyone on GitHub; they choose their own subject template), tokens of the owner's
 * other repositories (any member who can create a repository), and the repository's own tokens. The trust is
 * confined when no token of the first two classes gets in; it works when one of the last does.
 *
 * <p>The facts about the policy are worked out once ({@link TrustFacts}); the rule groups run over them and each
 * returns its findings, in this order: principals and actions ({@link PrincipalRules}), then per issuer and Allow
 * statement the conditions ({@link ConditionRules}), who gets in ({@link ExposureRules}) and the audience
 * ({@link AudienceRules}), and last, when no statement admits the repository, why not ({@link UsabilityRules}).
 */
final class TrustAnalysis {

    private TrustAnalysis() {
    }

    static List<Finding> findings(TrustFacts facts) {
        List<Finding> findings = new ArrayList<>(PrincipalRules.findings(facts));
        boolean anyRule = false;
        boolean selfAdmitted = false;
        Set<String> missingProviders = new LinkedHashSet<>();
        for (TrustFacts.IssuerRules rules : facts.issuerRules()) {
            TrustModel.Issuer issuer = rules.issuer();
            for (TrustModel.AllowRule rule : rules.allowRules()) {
                if (!rules.existsInAccount()) {
                    // STS rejects every token of a provider the account does not have: the statement admits nothing,
                    // so it exposes nothing and its conditions mean nothing yet (it is named when the role is unusable).
                    missingProviders.add(issuer.providerArn());
                    continue;
                }
                anyRule = true;
                findings.addAll(ConditionRules.findings(facts, rule, issuer));
                findings.addAll(ExposureRules.findings(facts, rule, issuer));
                AudienceRules.finding(facts, rule, issuer).ifPresent(findings::add);
                if (UsabilityRules.admitsSelf(facts, rule, issuer)) {
                    selfAdmitted = true;
                }
            }
        }
        if (!selfAdmitted) {
            findings.addAll(UsabilityRules.findings(facts, List.copyOf(findings), anyRule, missingProviders));
        }
        return List.copyOf(findings);
    }
}
