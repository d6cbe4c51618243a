package dev.ecroidcguard.core.repositorypolicy;

import dev.ecroidcguard.core.finding.FindingCode;
import dev.ecroidcguard.core.finding.Witness;

/**
 * One distinct problem of a repository policy: its code, the statement (by position) it is in, the
 * never-widening repair it calls for, and the principal/action that proves it.
 */
record Problem(FindingCode code, int statement, Remedy remedy, String message, Witness.Principal witness) {

    /** How to repair the problem without granting anything new. */
    sealed interface Remedy {

        /** Drop the whole Allow statement (its principal element cannot be narrowed value by value). */
        record RemoveStatement() implements Remedy {
        }

        /** Drop one value of the statement's Principal element, keeping the other principals. */
        record RemovePrincipal(String type, String value) implements Remedy {
        }

        /** Cut the statement's actions down to the push/pull actions it already grants. */
        record NarrowToPushPull() implements Remedy {
        }

        /** Any automatic change would widen the policy (e.g. removing a Deny): a person decides. */
        record LeaveToHuman() implements Remedy {
        }
    }
}
