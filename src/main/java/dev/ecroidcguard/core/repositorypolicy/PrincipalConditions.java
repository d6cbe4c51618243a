package dev.ecroidcguard.core.repositorypolicy;

import dev.ecroidcguard.core.lang.Wildcards;
import dev.ecroidcguard.core.policy.Condition;
import dev.ecroidcguard.core.policy.ConditionOperator;
import dk.brics.automaton.Automaton;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a statement's Condition element says about who the caller is. Two uses: which principals a
 * {@code Principal "*"} statement is narrowed to ({@link Pins}), and whether a statement applies to one
 * known caller, the CI role ({@link #evaluate}).
 */
final class PrincipalConditions {

    static final String PRINCIPAL_ARN = "aws:principalarn";
    static final String PRINCIPAL_ACCOUNT = "aws:principalaccount";
    static final String FEDERATED_PROVIDER = "aws:federatedprovider";

    private PrincipalConditions() {
    }

    /**
     * The narrowing a {@code Principal "*"} statement gets from its conditions. Only positive operators
     * without IfExists or ForAllValues narrow: negated operators and IfExists are true when the key is absent
     * (anonymous callers have no principal keys), ForAllValues is vacuously true. IP, VPC and other request
     * conditions never pin the principal (GitHub-hosted runner ranges are shared by everyone).
     *
     * @param principalArns the ARNs allowed by every aws:PrincipalArn test (ANDed), when there is one
     * @param accountOrOrg  aws:PrincipalAccount, aws:PrincipalOrgID or aws:PrincipalOrgPaths narrows the grant
     * @param federatedProviders the values allowed by every aws:FederatedProvider test (ANDed), when there is one:
     *                     only sessions of roles assumed with AssumeRoleWithWebIdentity carry that key (its value is
     *                     the IAM OIDC provider's ARN, or the name of a public identity provider such as
     *                     {@code cognito-identity.amazonaws.com}); IAM users, other role sessions, services and
     *                     anonymous callers never do
     * @param sourceScoped  aws:SourceArn / aws:SourceAccount scopes a service principal to its resource; IAM sets
     *                      these keys only when a service acts for a resource, never for an IAM or anonymous caller
     * @param organisation  aws:PrincipalOrgID / aws:PrincipalOrgPaths: keys of IAM principals, which a service
     *                      principal never carries
     */
    record Pins(Optional<Automaton> principalArns, boolean accountOrOrg, Optional<Automaton> federatedProviders, boolean sourceScoped,
                boolean organisation) {

        static Pins of(List<Condition> conditions) {
            Automaton arns = null;
            boolean accountOrOrg = false;
            Automaton providers = null;
            boolean source = false;
            boolean organisation = false;
            for (Condition c : conditions) {
                if (!narrows(c)) {
                    continue;
                }
                switch (c.normalizedKey()) {
                    case PRINCIPAL_ARN -> {
                        if (c.operator().isStringLike()) {
                            Automaton values = values(c);
                            arns = arns == null ? values : arns.intersection(values);
                        }
                    }
                    case PRINCIPAL_ACCOUNT -> accountOrOrg = true;
                    case "aws:principalorgid", "aws:principalorgpaths" -> {
                        accountOrOrg = true;
                        organisation = true;
                    }
                    case FEDERATED_PROVIDER -> {
                        if (c.operator().isStringLike()) {
                            Automaton values = values(c);
                            providers = providers == null ? values : providers.intersection(values);
                        }
                    }
                    case "aws:sourcearn", "aws:sourceaccount" -> source = true;
                    default -> {
                    }
                }
            }
            return new Pins(Optional.ofNullable(arns), accountOrOrg, Optional.ofNullable(providers), source, organisation);
        }

        private static boolean narrows(Condition c) {
            return !c.operator().isNegated() && c.operator() != ConditionOperator.Null && !c.ifExists()
                    && c.qualifier() != Condition.SetQualifier.FOR_ALL_VALUES;
        }
    }

    /** Three-valued truth: a condition on a key we do not know for the caller is UNKNOWN. */
    enum Truth {
        TRUE, FALSE, UNKNOWN;

        Truth and(Truth other) {
            if (this == FALSE || other == FALSE) {
                return FALSE;
            }
            return this == TRUE && other == TRUE ? TRUE : UNKNOWN;
        }
    }

    /** Whether all of {@code conditions} hold for a caller whose principal keys are {@code known} (lower-case names). */
    static Truth evaluate(List<Condition> conditions, Map<String, String> known) {
        Truth result = Truth.TRUE;
        for (Condition c : conditions) {
            result = result.and(evaluate(c, known));
        }
        return result;
    }

    /** The principal keys IAM sets for the CI role or any of its sessions (PrincipalArn is the role ARN for both). */
    static Map<String, String> knownKeysOf(PairedRole role) {
        return Map.of(PRINCIPAL_ARN, role.arn(), PRINCIPAL_ACCOUNT, role.accountId());
    }

    private static Truth evaluate(Condition c, Map<String, String> known) {
        String value = known.get(c.normalizedKey());
        if (value == null) {
            return Truth.UNKNOWN;
        }
        if (c.operator() == ConditionOperator.Null) {
            // "Null": "true" asks for the key to be absent; the key is present for this caller.
            return c.values().stream().allMatch("false"::equalsIgnoreCase) ? Truth.TRUE
                    : c.values().stream().allMatch("true"::equalsIgnoreCase) ? Truth.FALSE : Truth.UNKNOWN;
        }
        if (!c.operator().isStringLike()) {
            return Truth.UNKNOWN;
        }
        // Single-valued key that is present: set qualifiers and IfExists do not change the outcome. One word
        // against each value: matched directly, as building the values' automaton can cost exponentially more.
        ConditionOperator op = c.operator();
        boolean matches = c.values().stream().anyMatch(v -> op.usesWildcards() ? Wildcards.matches(v, value)
                : op.ignoresCase() ? v.equalsIgnoreCase(value) : v.equals(value));
        return matches != c.operator().isNegated() ? Truth.TRUE : Truth.FALSE;
    }

    /** The language of a string/ARN condition's values (ORed), honouring the operator's wildcard and case rules. */
    private static Automaton values(Condition c) {
        ConditionOperator op = c.operator();
        List<Automaton> each = c.values().stream().map(v -> op.usesWildcards() ? Wildcards.pattern(v)
                : op.ignoresCase() ? Wildcards.ignoringCase(v) : Wildcards.literal(v)).toList();
        return Wildcards.union(each);
    }
}
