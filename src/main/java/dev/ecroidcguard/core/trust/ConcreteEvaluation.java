package dev.ecroidcguard.core.trust;

import dev.ecroidcguard.core.lang.Wildcards;
import dev.ecroidcguard.core.policy.Condition;
import dev.ecroidcguard.core.policy.ConditionOperator;
import dev.ecroidcguard.core.policy.Statement;

import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * IAM condition evaluation for one concrete token (claims by name; a missing optional claim is absent, a missing
 * claim GitHub always sends is present with an unknown value). It answers the
 * common questions — does this repository's own token get in, which audiences pass — without building any
 * language. Keys outside the token (e.g. {@code aws:SourceIp}) and operators that do not compare strings make
 * the answer unknown (empty), and the caller falls back to the set analysis.
 */
final class ConcreteEvaluation {

    /** What IAM takes for an ARN (TrustModel.ARN_SHAPE as a regular expression), compiled once: every concrete test of a token reads it. */
    private static final Pattern ARN = Pattern.compile("arn:[^:]*:[^:]*:[^:]*:[^:]*:.*");

    private ConcreteEvaluation() {
    }

    /** All of the statement's conditions hold for the token (conditions are ANDed). */
    static Optional<Boolean> holds(Statement s, String issuer, Map<String, String> claims) {
        boolean all = true;
        for (Condition c : s.conditions()) {
            Optional<Boolean> one = holds(c, issuer, claims);
            if (one.isEmpty()) {
                return Optional.empty();
            }
            all &= one.get();
        }
        return Optional.of(all);
    }

    static Optional<Boolean> holds(Condition c, String issuer, Map<String, String> claims) {
        ConditionKeys.Kind kind = ConditionKeys.classify(c.key(), issuer);
        if (kind instanceof ConditionKeys.Kind.Claim claim && !claims.containsKey(claim.name())
                && !ConditionKeys.OPTIONAL.contains(claim.name())) {
            // GitHub sends this claim in every token, with a value the token map does not state: present, value unknown.
            return c.operator() == ConditionOperator.Null
                    ? Optional.of(c.values().stream().anyMatch(v -> v.equalsIgnoreCase("false")))
                    : Optional.empty();
        }
        String value = switch (kind) {
            case ConditionKeys.Kind.Claim claim -> claims.get(claim.name());
            case ConditionKeys.Kind.Malformed m -> null;
            case ConditionKeys.Kind.OtherIssuer o -> null;
            case ConditionKeys.Kind.NotTokenKey n -> {
                yield "\u0000unknown";
            }
        };
        if ("\u0000unknown".equals(value)) {
            return Optional.empty();
        }
        ConditionOperator op = c.operator();
        if (op == ConditionOperator.Null) {
            return Optional.of(c.values().stream().anyMatch(v -> v.equalsIgnoreCase(value == null ? "true" : "false")));
        }
        if (value == null) {
            return Optional.of(switch (c.qualifier()) {
                case FOR_ALL_VALUES -> true;
                case FOR_ANY_VALUE -> false;
                case NONE -> c.ifExists() || op.isNegated();
            });
        }
        if (!op.isStringLike() && op != ConditionOperator.NumericEquals && op != ConditionOperator.NumericNotEquals) {
            return Optional.empty();
        }
        if (c.values().stream().anyMatch(PolicyVariables::hasVariable)) {
            return Optional.empty(); // the value depends on the request: let the set analysis decide
        }
        boolean arnOperator = switch (op) {
            case ArnLike, ArnNotLike, ArnEquals, ArnNotEquals -> true;
            default -> false;
        };
        boolean arn = arnOperator && ARN.matcher(value).matches(); // read only by the Arn* operators
        boolean matched = c.values().stream().anyMatch(v -> switch (op) {
            case StringLike, StringNotLike -> Wildcards.matches(v, value);
            // Arn* operators never match a value that is not an ARN (see TrustModel.ARN_SHAPE).
            case ArnLike, ArnNotLike, ArnEquals, ArnNotEquals -> arn && Wildcards.matches(v, value);
            case StringEqualsIgnoreCase, StringNotEqualsIgnoreCase -> v.equalsIgnoreCase(value);
            default -> v.equals(value);
        });
        return Optional.of(op.isNegated() != matched);
    }
}
