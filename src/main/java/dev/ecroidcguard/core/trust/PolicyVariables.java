package dev.ecroidcguard.core.trust;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * IAM policy variables in condition values (IAM User Guide, "IAM policy elements: Variables and tags"): in a
 * policy of version 2012-10-17, {@code ${key}} is replaced by the request's value of {@code key} before the
 * comparison; {@code ${key, 'default'}} uses the default when the key is absent; {@code ${*}}, {@code ${?}} and
 * {@code ${$}} stand for the literal characters. Without a value or a default, the value can match nothing.
 *
 * <p>A value {@code repo:${token.actions.githubusercontent.com:repository}:*} therefore admits every repository
 * on GitHub: each token supplies its own repository. The analysis models a variable whose key a web-identity
 * request carries (a documented GitHub claim key, an {@code aws:} or {@code sts:} key) as any value, which
 * over-approximates who gets in (never under) and keeps the repository's own tokens in.
 */
final class PolicyVariables {

    /** A piece of a condition value. */
    sealed interface Part {
        /** Text as written (wildcards keep their meaning under StringLike). */
        record Text(String text) implements Part {
        }

        /** {@code ${*}}, {@code ${?}}, {@code ${$}}: a literal character, never a wildcard. */
        record Literal(String text) implements Part {
        }

        /** {@code ${key}} or {@code ${key, 'default'}}. */
        record Variable(String key, Optional<String> defaultValue) implements Part {
        }
    }

    private PolicyVariables() {
    }

    static boolean hasVariable(String value) {
        return value.contains("${");
    }

    /** The value split into text, literal characters and variables. */
    static List<Part> parse(String value) {
        List<Part> parts = new ArrayList<>();
        int i = 0;
        while (i < value.length()) {
            int open = value.indexOf("${", i);
            int close = open < 0 ? -1 : value.indexOf('}', open + 2);
            if (open < 0 || close < 0) {
                parts.add(new Part.Text(value.substring(i)));
                break;
            }
            if (open > i) {
                parts.add(new Part.Text(value.substring(i, open)));
            }
            String inner = value.substring(open + 2, close);
            if (inner.equals("*") || inner.equals("?") || inner.equals("$")) {
                parts.add(new Part.Literal(inner));
            } else {
                int comma = inner.indexOf(',');
                String key = (comma < 0 ? inner : inner.substring(0, comma)).strip();
                Optional<String> defaultValue = comma < 0 ? Optional.empty() : Optional.of(unquote(inner.substring(comma + 1).strip()));
                parts.add(new Part.Variable(key, defaultValue));
            }
            i = close + 1;
        }
        return parts;
    }

    /** Does a web-identity request for a GitHub token carry this key (so the variable takes the request's value)? */
    static boolean suppliedByRequest(String key) {
        String lower = key.toLowerCase(Locale.ROOT);
        if (ConditionKeys.isRequestKey(lower)) {
            return true;
        }
        int colon = lower.lastIndexOf(':');
        return colon > 0 && ConditionKeys.isGitHubKey(lower) && ConditionKeys.classify(key, key.substring(0, colon)) instanceof ConditionKeys.Kind.Claim;
    }

    /** The variables of a value that no request carries and that have no default: the value then matches nothing. */
    static List<String> unresolvable(String value) {
        return parse(value).stream().filter(p -> p instanceof Part.Variable v && v.defaultValue().isEmpty() && !suppliedByRequest(v.key()))
                .map(p -> ((Part.Variable) p).key()).toList();
    }

    private static String unquote(String s) {
        return s.length() >= 2 && s.startsWith("'") && s.endsWith("'") ? s.substring(1, s.length() - 1) : s;
    }
}
