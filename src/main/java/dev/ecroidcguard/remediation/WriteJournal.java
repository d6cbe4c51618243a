package dev.ecroidcguard.remediation;

import dev.ecroidcguard.core.finding.RemediationClass;

/**
 * Where each write is recorded as it is made, with the documents it replaces (the backup): the function's log. The
 * report lists the changes too, but only once every write was verified; the journal is what remains when an
 * invocation dies in between (a timeout, a crash).
 */
@FunctionalInterface
public interface WriteJournal {

    void writing(RemediationClass cls, Operation operation, Documents before);

    WriteJournal NONE = (cls, operation, before) -> { };
}
