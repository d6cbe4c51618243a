package dev.ecroidcguard.core.trust;

import dev.ecroidcguard.core.github.SubjectGrammar;
import dev.ecroidcguard.core.lang.Lang;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A conjunction of key constraints: the condition of one statement, possibly ANDed with negated Deny blocks.
 * Keys are GitHub claim names ({@code sub}, {@code aud}, {@code repository_id}, ...) or, for keys no GitHub
 * token carries (misspelled, another issuer's prefix), {@link #absentKey(String)} names. Keys outside the
 * token (e.g. {@code aws:SourceIp}) are not modelled: a caller can satisfy or dodge them.
 */
record Conjunct(Map<String, KeyConstraint> constraints) {

    static final String ABSENT_PREFIX = "!";

    Conjunct {
        constraints = Map.copyOf(constraints);
    }

    static Conjunct unconditional() {
        return new Conjunct(Map.of());
    }

    static String absentKey(String rawKey) {
        return ABSENT_PREFIX + rawKey;
    }

    static boolean isAbsentKey(String key) {
        return key.startsWith(ABSENT_PREFIX);
    }

    Conjunct and(String key, KeyConstraint constraint) {
        Map<String, KeyConstraint> next = new LinkedHashMap<>(constraints);
        next.merge(key, constraint, KeyConstraint::and);
        return new Conjunct(next);
    }

    Conjunct and(Conjunct other) {
        Conjunct result = this;
        for (Map.Entry<String, KeyConstraint> e : other.constraints.entrySet()) {
            result = result.and(e.getKey(), e.getValue());
        }
        return result;
    }

    Conjunct with(String key, KeyConstraint constraint) {
        Map<String, KeyConstraint> next = new LinkedHashMap<>(constraints);
        next.put(key, constraint);
        return new Conjunct(next);
    }

    Optional<KeyConstraint> get(String key) {
        return Optional.ofNullable(constraints.get(key));
    }

    /**
     * Some GitHub token satisfies every constraint taken alone: claims every token carries must take an accepted
     * value GitHub can issue, keys no token carries must tolerate absence, optional claims may do either. (How the
     * claims of one token tie together is the {@link TokenSolver}'s to decide.)
     */
    boolean satisfiable() {
        for (Map.Entry<String, KeyConstraint> e : constraints.entrySet()) {
            String key = e.getKey();
            KeyConstraint kc = e.getValue();
            boolean ok;
            if (isAbsentKey(key)) {
                ok = kc.absentOk();
            } else {
                boolean someValue = key.equals("sub") ? !kc.present().isEmpty() : Lang.intersects(kc.present(), SubjectGrammar.values(key));
                ok = someValue || (kc.absentOk() && ConditionKeys.OPTIONAL.contains(key));
            }
            if (!ok) {
                return false;
            }
        }
        return true;
    }
}
