package dev.ecroidcguard.core.permissions;

import dev.ecroidcguard.core.lang.Wildcards;
import dev.ecroidcguard.core.policy.Condition;
import dev.ecroidcguard.core.policy.ConditionOperator;
import dk.brics.automaton.Automaton;
import dk.brics.automaton.BasicAutomata;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The condition keys whose values the analysis knows for the requests it reasons about, and a three-valued
 * evaluation of a statement's conditions on them (issue 11, P2). Every request of the role carries its
 * principal keys ({@code aws:PrincipalArn} is the role ARN for its sessions, {@code aws:PrincipalAccount}, and
 * {@code aws:PrincipalType} {@code AssumedRole}); ECR is reached only over TLS ({@code aws:SecureTransport}).
 *
 * <p>{@code aws:RequestedRegion} depends on the request, so it is read as a restriction of the statement's
 * resources ({@link #regions}): a request on a regional ARN (every ECR repository ARN) is made in that ARN's
 * region, ECR being a regional service; a request on a resource without a region ({@code *}, which
 * {@code ecr:GetAuthorizationToken} needs, or a global service's ARN) is made wherever the caller chooses, which
 * for the requests that decide usability (docker login and push from the repository's workflows) is the
 * repository's region. Any other key is unknown: taken as possibly true for exposure and as possibly false for
 * usability.
 */
record RequestKeys(Map<String, String> principal, String region) {

    enum Truth { TRUE, FALSE, UNKNOWN }

    static final String REQUESTED_REGION = "aws:requestedregion";

    /** What a region name can be: a non-empty ARN field (no {@code :}). Shared: read only. */
    private static final Automaton REGION_WORDS = minimal(BasicAutomata.makeCharRange(' ', '~').minus(BasicAutomata.makeChar(':')).repeat(1));

    /** How a statement's aws:RequestedRegion conditions read: absent, the regions they allow, or not decidable here. */
    sealed interface Regions {
        record Unconditioned() implements Regions {
        }

        /** The region names for which every aws:RequestedRegion condition holds (a fresh automaton). */
        record Allowed(Automaton names) implements Regions {
        }

        /** An operator the analysis does not evaluate on this key: the condition stays unknown. */
        record Undecided() implements Regions {
        }
    }

    static RequestKeys of(String roleArn, String accountId, String region) {
        return new RequestKeys(Map.of("aws:principalarn", roleArn, "aws:principalaccount", accountId,
                "aws:principaltype", "AssumedRole", "aws:securetransport", "true"), region);
    }

    /** The conditions (ANDed) other than aws:RequestedRegion's, on the principal keys every request carries. */
    Truth evaluate(List<Condition> conditions) {
        Truth result = Truth.TRUE;
        for (Condition c : conditions) {
            if (c.key().toLowerCase(Locale.ROOT).equals(REQUESTED_REGION)) {
                continue;
            }
            Truth one = evaluate(c, principal);
            if (one == Truth.FALSE) {
                return Truth.FALSE;
            }
            if (one == Truth.UNKNOWN) {
                result = Truth.UNKNOWN;
            }
        }
        return result;
    }

    /**
     * The regions the statement's aws:RequestedRegion conditions (ANDed) allow. The key is present in every
     * request, so IfExists and the set qualifiers do not change a test, {@code Null: false} holds and
     * {@code Null: true} does not; an ARN operator never matches a region name (not an ARN).
     */
    static Regions regions(List<Condition> conditions) {
        Automaton allowed = null;
        for (Condition c : conditions) {
            if (!c.key().toLowerCase(Locale.ROOT).equals(REQUESTED_REGION)) {
                continue;
            }
            ConditionOperator op = c.operator();
            Automaton one;
            if (op == ConditionOperator.Null) {
                one = c.values().stream().anyMatch(v -> v.equalsIgnoreCase("false")) ? REGION_WORDS.clone() : BasicAutomata.makeEmpty();
            } else if (!op.isStringLike()) {
                return new Regions.Undecided();
            } else {
                boolean arnOperator = op.name().startsWith("Arn");
                Automaton matched = arnOperator ? BasicAutomata.makeEmpty() : Wildcards.union(c.values().stream()
                        .map(v -> op.usesWildcards() ? Wildcards.pattern(v) : op.ignoresCase() ? Wildcards.ignoringCase(v) : Wildcards.literal(v))
                        .toList()).intersection(REGION_WORDS);
                one = op.isNegated() ? REGION_WORDS.minus(matched) : matched;
            }
            allowed = allowed == null ? one : allowed.intersection(one);
        }
        return allowed == null ? new Regions.Unconditioned() : new Regions.Allowed(minimal(allowed));
    }

    /** Every region name. Shared: read only. */
    static Automaton regionWords() {
        return REGION_WORDS;
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

    private static Automaton minimal(Automaton a) {
        a.minimize();
        return a;
    }
}
