package dev.ecroidcguard.core;

import java.util.Optional;

/**
 * Whether a scan may still start another repository. The Lambda says no once its remaining time falls under a
 * safety margin, so the invocation ends with a report instead of a timeout; the analysis itself reads no clock.
 */
@FunctionalInterface
public interface TimeBudget {

    /** Why no further repository may be started, or empty while there is time. */
    Optional<String> exhausted();

    /** No limit: the CLI and tests. */
    TimeBudget UNLIMITED = Optional::empty;
}
