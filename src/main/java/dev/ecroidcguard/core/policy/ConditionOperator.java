package dev.ecroidcguard.core.policy;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** IAM condition operators without their {@code ...IfExists} suffix and set qualifier. */
public enum ConditionOperator {
    StringEquals, StringNotEquals, StringEqualsIgnoreCase, StringNotEqualsIgnoreCase, StringLike, StringNotLike,
    NumericEquals, NumericNotEquals, NumericLessThan, NumericLessThanEquals, NumericGreaterThan, NumericGreaterThanEquals,
    DateEquals, DateNotEquals, DateLessThan, DateLessThanEquals, DateGreaterThan, DateGreaterThanEquals,
    Bool, BinaryEquals, IpAddress, NotIpAddress, ArnEquals, ArnLike, ArnNotEquals, ArnNotLike, Null;

    private static final Map<String, ConditionOperator> BY_LOWER_NAME = Stream.of(values())
            .collect(Collectors.toUnmodifiableMap(o -> o.name().toLowerCase(Locale.ROOT), Function.identity()));

    /** Operator names are matched case-insensitively, as IAM does. */
    public static Optional<ConditionOperator> byName(String name) {
        return Optional.ofNullable(BY_LOWER_NAME.get(name.toLowerCase(Locale.ROOT)));
    }

    /** StringNotEquals, StringNotLike, ArnNotLike, ...: true when the key is absent. */
    public boolean isNegated() {
        return switch (this) {
            case StringNotEquals, StringNotEqualsIgnoreCase, StringNotLike, NumericNotEquals, DateNotEquals,
                 NotIpAddress, ArnNotEquals, ArnNotLike -> true;
            default -> false;
        };
    }

    /** Operators whose values are IAM wildcard patterns ({@code *}, {@code ?}). */
    public boolean usesWildcards() {
        return this == StringLike || this == StringNotLike || this == ArnLike || this == ArnNotLike
                || this == ArnEquals || this == ArnNotEquals;
    }

    public boolean ignoresCase() {
        return this == StringEqualsIgnoreCase || this == StringNotEqualsIgnoreCase;
    }

    /** Operators that compare strings (the ones a GitHub claim can meaningfully be tested with). */
    public boolean isStringLike() {
        return switch (this) {
            case StringEquals, StringNotEquals, StringEqualsIgnoreCase, StringNotEqualsIgnoreCase, StringLike,
                 StringNotLike, ArnEquals, ArnLike, ArnNotEquals, ArnNotLike -> true;
            default -> false;
        };
    }
}
