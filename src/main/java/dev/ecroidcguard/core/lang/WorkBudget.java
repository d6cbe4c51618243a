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

    /**
     * The limits of one analysis: work in automaton states (states built or walked, weighted by what they cost,
     * see {@link Lang#determinize} and {@link Lang#min}) and wall time.
     */
    public record Limits(long states, long millis) {
        /**
         * Ordinary documents charge a few thousand states (the largest of the benchmark accounts about 2,000); a
         * document at IAM's size limit of literal values about 70,000. Past this, dk.brics' minimisation alone
         * takes seconds on a loaded machine. The deadline is generous, so that a loaded machine does not turn an
         * ordinary document into a finding: it only stops work that no state count sees.
         */
        public static final Limits PER_DOCUMENT = new Limits(100_000, 5_000);
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
    private long deadline;
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
            exceeded("automaton work exceeded " + limits.states() + " states");
        }
        sinceClock += newStates;
        if (sinceClock >= CLOCK_EVERY) {
            sinceClock = 0;
            checkClock();
        }
    }

    private void checkClock() {
        if (System.nanoTime() - deadline > 0) {
            exceeded("analysis exceeded " + limits.millis() + " ms");
        }
    }

    /**
     * Throws, unless a class is being initialised: grammar constants are built on first use, which may be inside
     * the first analysis; they are shared work, not this document's, and an exception there would leave the class
     * unusable. The budget then starts afresh (it is looked at only when it runs out, so this costs nothing before).
     */
    private void exceeded(String why) {
        boolean initialisingClass = StackWalker.getInstance().walk(frames -> frames.anyMatch(f -> f.getMethodName().equals("<clinit>")));
        if (!initialisingClass) {
            throw new ExceededException(why);
        }
        states = 0;
        deadline = System.nanoTime() + limits.millis() * 1_000_000L;
    }
}
