package dev.ecroidcguard.core.trust;

import dev.ecroidcguard.core.finding.Finding;
import dev.ecroidcguard.core.finding.FindingCode;
import dev.ecroidcguard.core.finding.Witness;
import dev.ecroidcguard.core.lang.Wildcards;
import dev.ecroidcguard.core.policy.Condition;
import dev.ecroidcguard.core.trust.TokenSolver.TokenClass;
import dk.brics.automaton.Automaton;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Conditions of an Allow statement that do not mean what they say: misspelled keys, another issuer's keys, qualifiers and operators that open the role. */
final class ConditionRules {

    private ConditionRules() {
    }

    static List<Finding> findings(TrustFacts facts, TrustModel.AllowRule rule, TrustModel.Issuer issuer) {
        List<Finding> findings = new ArrayList<>();
        String where = "trust policy " + rule.statement().label(rule.index());
        Set<String> otherIssuerKeys = new LinkedHashSet<>();
        for (Condition c : rule.statement().conditions()) {
            ConditionKeys.Kind kind = ConditionKeys.classify(c.key(), issuer.issuer());
            switch (kind) {
                case ConditionKeys.Kind.Malformed m -> findings.add(facts.finding(FindingCode.TRUST_CONDITION_KEY_MALFORMED,
                        where + " tests '" + c.key() + "', which is no condition key STS provides for a GitHub token (it provides "
                                + issuer.issuer() + ": followed by one of " + String.join(", ", new java.util.TreeSet<>(ConditionKeys.CLAIMS)) + ")",
                        new Witness.Detail(c.operatorText() + " on absent key '" + c.key() + "' is " + (TrustModel.constraintOf(c).absentOk() ? "always true" : "never true"))));
                case ConditionKeys.Kind.OtherIssuer o -> otherIssuerKeys.add(c.key());
                case ConditionKeys.Kind.Claim claim -> findings.addAll(claimFindings(facts, rule, issuer, c, claim.name(), where));
                case ConditionKeys.Kind.NotTokenKey n -> {
                }
            }
        }
        if (!otherIssuerKeys.isEmpty()) {
            // One finding per statement: the keys share one cause (the statement was written for another issuer).
            findings.add(facts.finding(FindingCode.TRUST_PROVIDER_MISMATCH, where + " trusts provider " + issuer.issuer() + " but tests "
                    + (otherIssuerKeys.size() == 1 ? "a key" : otherIssuerKeys.size() + " keys") + " of another issuer: "
                    + otherIssuerKeys.stream().map(k -> "'" + k + "'").collect(java.util.stream.Collectors.joining(", ")),
                    new Witness.Detail("keys must be prefixed with " + issuer.issuer() + ":")));
        }
        return findings;
    }

    private static List<Finding> claimFindings(TrustFacts facts, TrustModel.AllowRule rule, TrustModel.Issuer issuer, Condition c, String claim,
                                               String where) {
        List<Finding> findings = new ArrayList<>();
        for (String v : c.values()) {
            List<String> unresolvable = PolicyVariables.unresolvable(v);
            if (!unresolvable.isEmpty()) {
                findings.add(facts.finding(FindingCode.TRUST_CONDITION_KEY_MALFORMED, where + " compares " + claim + " with '" + v + "', whose policy variable "
                        + String.join(", ", unresolvable.stream().map(k -> "${" + k + "}").toList())
                        + " names a key no request to STS carries, so the value matches nothing", new Witness.Detail("IAM substitutes "
                        + "policy variables from the request; a key the request lacks, without a default, leaves no value to match")));
            }
        }
        if (c.qualifier() == Condition.SetQualifier.FOR_ALL_VALUES) {
            findings.add(facts.finding(FindingCode.TRUST_FORALLVALUES, where + " uses " + c.operatorText() + " on the single-valued claim " + claim
                    + ": true whenever the claim is absent", absentClaimWitness(facts, rule, issuer, claim)));
        } else if (c.qualifier() == Condition.SetQualifier.FOR_ANY_VALUE) {
            findings.add(facts.finding(FindingCode.TRUST_SET_OPERATOR_SINGLE_VALUED, where + " uses " + c.operatorText() + " on the single-valued claim " + claim,
                    new Witness.Detail("set operators are for multivalued keys; use " + c.operator().name())));
        }
        if (c.ifExists() && ConditionKeys.SCOPING.contains(claim)) {
            findings.add(facts.finding(FindingCode.TRUST_IFEXISTS_CONDITION, where + " uses " + c.operatorText() + " on " + claim
                    + ": the condition is true whenever the claim is absent", absentClaimWitness(facts, rule, issuer, claim)));
        }
        if (claim.equals("sub") && !c.operator().usesWildcards() && c.operator().isStringLike()) {
            for (String v : c.values()) {
                if (Wildcards.hasWildcard(v)) {
                    findings.add(facts.finding(FindingCode.TRUST_SUB_STRINGEQUALS_WILDCARD, where + " compares sub with " + c.operator().name() + " to '" + v
                            + "': the wildcard is a literal character, so no token matches it (use StringLike)",
                            new Witness.Detail("'" + v + "' matches only a subject containing a literal '" + (v.contains("*") ? "*" : "?") + "'")));
                }
            }
        }
        return findings;
    }

    /** A token without the claim that gets in, when the claim may be absent; otherwise what the operator does. */
    private static Witness absentClaimWitness(TrustFacts facts, TrustModel.AllowRule rule, TrustModel.Issuer issuer, String claim) {
        if (ConditionKeys.OPTIONAL.contains(claim)) {
            List<Conjunct> withoutClaim = rule.admitted().stream()
                    .map(c -> c.get(claim).filter(KeyConstraint::absentOk).map(k -> c.with(claim, new KeyConstraint(Automaton.makeEmpty(), true))).orElse(null))
                    .filter(java.util.Objects::nonNull).toList();
            TokenClasses tokens = facts.tokens();
            for (TokenClass candidates : List.of(tokens.otherOwners(), tokens.sameOwner(), tokens.self())) {
                Optional<Witness.Token> w = TokenSolver.witness(withoutClaim, candidates, issuer.audiences());
                if (w.isPresent()) {
                    return w.get();
                }
            }
        }
        if (ConditionKeys.OPTIONAL.contains(claim)) {
            return new Witness.Detail("no token without " + claim + " satisfies the statement's other conditions, so the operator has no effect yet; "
                    + "with a misspelled key or other conditions it opens the role");
        }
        return new Witness.Detail(claim + " is present in every GitHub token today, so the operator has no effect yet; "
                + "with a misspelled key or a claim GitHub omits it opens the role");
    }
}
