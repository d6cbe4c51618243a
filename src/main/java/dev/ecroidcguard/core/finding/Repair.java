package dev.ecroidcguard.core.finding;

/** How a finding of a code gets repaired: by its category's fix class, or only by a person. */
public enum Repair {
    /**
     * The fix class of the code's category writes it away without allowing anything new (creating a missing role,
     * narrowing a document). A person is needed only where the plan cannot prove that for a particular document.
     */
    AUTOMATIC,
    /** Any repair would allow something the current documents do not (a grant): a plan never widens, a person decides. */
    NEEDS_A_GRANT,
    /** What was meant cannot be read from the account (unparsable, misspelled, unreadable, not allowed): a person decides. */
    NEEDS_A_DECISION
}
