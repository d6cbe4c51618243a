package dev.ecroidcguard.core.trust;

import dev.ecroidcguard.core.analysis.Baseline;
import dev.ecroidcguard.core.finding.Finding;
import dev.ecroidcguard.core.finding.FindingCode;
import dev.ecroidcguard.core.finding.Witness;
import dev.ecroidcguard.core.policy.Condition;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Whether an Allow statement limits the token's audience, and to one the provider accepts. */
final class AudienceRules {

    private static final String AUDIENCE_PROBE = "urn:ecr-oidc-guard:unlisted-audience";

    private AudienceRules() {
    }

    static Optional<Finding> finding(TrustFacts facts, TrustModel.AllowRule rule, TrustModel.Issuer issuer) {
        String where = "trust policy " + rule.statement().label(rule.index());
        if (neverSatisfied(rule, issuer)) {
            return Optional.empty(); // no token satisfies the statement (e.g. every key of another issuer): its aud cannot let anything in
        }
        List<Condition> audConditions = rule.statement().conditions().stream()
                .filter(c -> ConditionKeys.classify(c.key(), issuer.issuer()) instanceof ConditionKeys.Kind.Claim claim && claim.name().equals("aud"))
                .toList();
        List<String> accepted = issuer.audiences().isEmpty() ? List.of(Baseline.AUDIENCE) : issuer.audiences();
        Optional<Boolean> probePasses = audiencePasses(audConditions, issuer, AUDIENCE_PROBE);
        if (probePasses.isEmpty()) {
            return Optional.empty(); // an operator that does not compare strings: nothing to say about audiences
        }
        if (audConditions.isEmpty() || probePasses.get()) {
            return Optional.of(facts.finding(FindingCode.TRUST_AUD_MISSING, where + " has no effective aud condition; only the provider's client-ID list limits audiences",
                    new Witness.Detail("a token for audience '" + AUDIENCE_PROBE + "' would pass this statement if the provider listed it")));
        } else if (accepted.stream().noneMatch(a -> audiencePasses(audConditions, issuer, a).orElse(true))) {
            return Optional.of(facts.finding(FindingCode.TRUST_AUD_WRONG, where + " requires an aud the provider does not accept (provider client IDs: " + accepted + ")",
                    new Witness.Detail("no token with aud in " + accepted + " satisfies the aud condition")));
        }
        return Optional.empty();
    }

    /** Do the (ANDed) aud conditions accept this audience? Empty when one of them cannot be evaluated on a string. */
    private static Optional<Boolean> audiencePasses(List<Condition> audConditions, TrustModel.Issuer issuer, String audience) {
        boolean all = true;
        for (Condition c : audConditions) {
            Optional<Boolean> one = ConcreteEvaluation.holds(c, issuer.issuer(), Map.of("aud", audience));
            if (one.isEmpty()) {
                return Optional.empty();
            }
            all &= one.get();
        }
        return Optional.of(all);
    }

    /** A positive test of a key no token of this issuer carries: the statement never matches. */
    private static boolean neverSatisfied(TrustModel.AllowRule rule, TrustModel.Issuer issuer) {
        for (Condition c : rule.statement().conditions()) {
            ConditionKeys.Kind kind = ConditionKeys.classify(c.key(), issuer.issuer());
            boolean absentKey = kind instanceof ConditionKeys.Kind.Malformed || kind instanceof ConditionKeys.Kind.OtherIssuer;
            if (absentKey && !ConcreteEvaluation.holds(c, issuer.issuer(), Map.of()).orElse(true)) {
                return true;
            }
        }
        return false;
    }
}
