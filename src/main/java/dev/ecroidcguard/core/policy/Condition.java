package dev.ecroidcguard.core.policy;

import java.util.List;
import java.util.Locale;

/**
 * One key test of a Condition block, e.g. {@code "ForAllValues:StringLikeIfExists": {"k": ["a","b"]}} gives
 * operator StringLike, qualifier FOR_ALL_VALUES, ifExists true, key "k", values [a, b] (ORed).
 * {@code key} keeps the spelling of the document; {@link #normalizedKey()} is how IAM compares it.
 */
public record Condition(String operatorText, ConditionOperator operator, SetQualifier qualifier, boolean ifExists,
                        String key, List<String> values) {

    public enum SetQualifier { NONE, FOR_ALL_VALUES, FOR_ANY_VALUE }

    public Condition {
        values = List.copyOf(values);
    }

    /** Condition key names are case-insensitive; values are not. */
    public String normalizedKey() {
        return key.toLowerCase(Locale.ROOT);
    }
}
