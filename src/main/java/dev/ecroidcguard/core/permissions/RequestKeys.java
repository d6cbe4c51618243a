package dev.ecroidcguard.core.permissions;

import dev.ecroidcguard.core.lang.Wildcards;
import dev.ecroidcguard.core.policy.Condition;
import dev.ecroidcguard.core.policy.ConditionOperator;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The condition keys whose values the analysis knows for the requests it reasons about, and a three-valued
 * evaluation of a statement's conditions on them (issue 11, P2). Every request of the role carries its
 * principal keys ({@code aws:PrincipalArn} is the role ARN for its sessions, {@code aws:PrincipalAccount}, and
 * {@code aws:PrincipalType} {@code AssumedRole}); ECR is reached only over TLS ({@code aws:SecureTransport}).
 * The requests that decide usability (push to this repository, the token for docker login) are made in the
 * repository's region ({@code aws:RequestedRegion}); exposure also concerns repositories of other regions, so
 * the region is known only for usability. Any other key is unknown: taken as possibly true for exposure and as
 * possibly false for usability.
 */
record RequestKeys(Map<String, String> forExposure, Map<String, String> forUsability) {

    enum Truth { TRUE, FALSE, UNKNOWN }

    static RequestKeys of(String roleArn, String accountId, String region) {
        Map<String, String> principal = Map.of("aws:principalarn", roleArn, "aws:principalaccount", accountId,
                "aws:principaltype", "AssumedRole", "aws:securetransport", "true");
        Map<String, String> usability = new java.util.HashMap<>(principal);
        usability.put("aws:requestedregion", region);
        return new RequestKeys(principal, Map.copyOf(usability));
    }

    /** The conditions (ANDed) on the keys known for {@code bound}'s requests. */
    Truth evaluate(List<Condition> conditions, EffectivePermissions.Bound bound) {
        Map<String, String> known = bound == EffectivePermissions.Bound.UPPER ? forExposure : forUsability;
        Truth result = Truth.TRUE;
        for (Condition c : conditions) {
            Truth one = evaluate(c, known);
            if (one == Truth.FALSE) {
                return Truth.FALSE;
            }
            if (one == Truth.UNKNOWN) {
                result = Truth.UNKNOWN;
            }
        }
        return result;
    }

    private static Truth evaluate(Condition c, Map<String, String> known) {
        String value = known.get(c.key().toLowerCase(Locale.ROOT));
        if (value == null) {
            return Truth.UNKNOWN;
        }
        ConditionOperator op = c.operator();
        if (op == ConditionOperator.Null) {
            // The key is present for these requests: "Null": "false" holds, "Null": "true" does not.
            boolean holds = c.values().stream().anyMatch(v -> v.equalsIgnoreCase("false"));
            return holds ? Truth.TRUE : Truth.FALSE;
        }
        boolean matched;
        if (op == ConditionOperator.Bool) {
            matched = c.values().stream().anyMatch(v -> v.equalsIgnoreCase(value));
        } else if (op.isStringLike()) {
            // Single-valued keys that are present: IfExists and the set qualifiers do not change the outcome.
            matched = c.values().stream().anyMatch(v -> op.usesWildcards() ? Wildcards.matches(v, value)
                    : op.ignoresCase() ? v.equalsIgnoreCase(value) : v.equals(value));
        } else {
            return Truth.UNKNOWN;
        }
        return matched != op.isNegated() ? Truth.TRUE : Truth.FALSE;
    }
}
