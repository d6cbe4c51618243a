package dev.ecroidcguard.core.trust;

import dk.brics.automaton.Automaton;

/**
 * What a condition (or several, ANDed) demands of one request-context key: the values it accepts when the key
 * is present, and whether it holds when the key is absent. Everything IAM condition logic needs — AND, NOT,
 * IfExists, ForAllValues, Null, negated operators — is closed over this pair. {@code present} is only read: it may
 * be a cached pattern itself (see {@link TrustModel#valuesLanguage}).
 */
record KeyConstraint(Automaton present, boolean absentOk) {

    static KeyConstraint anything() {
        return new KeyConstraint(Automaton.makeAnyString(), true);
    }

    KeyConstraint and(KeyConstraint other) {
        return new KeyConstraint(present.intersection(other.present), absentOk && other.absentOk);
    }

    KeyConstraint not() {
        return new KeyConstraint(present.complement(), !absentOk);
    }

    /** Satisfiable by some request, if the key may be present or absent at will. */
    boolean satisfiable() {
        return absentOk || !present.isEmpty();
    }
}
