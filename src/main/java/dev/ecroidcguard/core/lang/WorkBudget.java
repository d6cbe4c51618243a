package dev.ecroidcguard.core.lang;

import java.util.function.Supplier;

/**
 * How much automaton work one analysis may do. Wildcard patterns within IAM's size limits can have
 * exponentially large automata ({@code *a} followed by 18 {@code ?} needs 2^19 deterministic states), and anyone
 * who can set a repository policy writes them; so every determinisation and product walk in this package charges
 * the states it creates to the budget of the running analysis, and every operation here checks its deadline.
 * Going over either throws {@link ExceededException}, which the analyzer turns into a finding for that document.
 *
 * <p>The state budget is the bound that decides (it does not depend on the machine); the deadline is a backstop
 * for work done between the operations of this package, so that no document can stall a scan. Ordinary
 * documents stay far below both. Outside {@link #within} (grammar constants built at class load, tests) nothing
 * is limited.
 */
public final class WorkBudget {

    /** The limits of one analysis: states created by determinisation and product walks, and wall time. */
    public record Limits(long states, long millis) {
        /** Ordinary accounts need a few thousand states per document; this is a hundred times that. */
        public static final Limits PER_DOCUMENT = new Limits(400_000, 2_000);
    }

    /** The budget of the running analysis ran out; {@link #getMessage} says which limit. */
    public static final class ExceededException extends RuntimeException {
        public ExceededException(String message) {
            super(message, null, false, false);
        }
    }

    private static final ThreadLocal<WorkBudget> CURRENT = new ThreadLocal<>();

    /** The deadline is read once per this many states charged, and at the start of every operation. */
    private static final int CLOCK_EVERY = 4_096;

    private final Limits limits;
    private final long deadline;
    private long states;
    private long sinceClock;

    private WorkBudget(Limits limits) {
        this.limits = limits;
        this.deadline = System.nanoTime() + limits.millis() * 1_000_000L;
    }

    /** Runs {@code work} under a fresh budget of {@code limits} (nested calls get their own and restore the outer). */
    public static <T> T within(Limits limits, Supplier<T> work) {
        WorkBudget outer = CURRENT.get();
        CURRENT.set(new WorkBudget(limits));
        try {
            return work.get();
        } finally {
            if (outer == null) {
                CURRENT.remove();
            } else {
                CURRENT.set(outer);
            }
        }
    }

    /** Charges {@code newStates} created states to the running analysis, if any. */
    static void charge(long newStates) {
        WorkBudget budget = CURRENT.get();
        if (budget != null) {
            budget.spend(newStates);
        }
    }

    /** Checks the deadline of the running analysis, if any: called at the start of every operation. */
    static void checkDeadline() {
        WorkBudget budget = CURRENT.get();
        if (budget != null) {
            budget.checkClock();
        }
    }

    private void spend(long newStates) {
        states += newStates;
        if (states > limits.states()) {
            throw new ExceededException("automaton work exceeded " + limits.states() + " states");
        }
        sinceClock += newStates;
        if (sinceClock >= CLOCK_EVERY) {
            sinceClock = 0;
            checkClock();
        }
    }

    private void checkClock() {
        if (System.nanoTime() - deadline > 0) {
            throw new ExceededException("analysis exceeded " + limits.millis() + " ms");
        }
    }
}
