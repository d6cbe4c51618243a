package dev.ecroidcguard.ports;

import java.time.Instant;
import java.util.List;

/**
 * The record of a scheduled organization run (a DynamoDB table in production): how many of its units of work are
 * still pending, each finished unit's result, and whether the run's roll-up was published. Every step is idempotent
 * per unit, so a message delivered twice neither counts twice nor publishes twice: a unit is counted by the first
 * {@link #record} only, and only the one {@link #claimPublication} that finds the run finished and unclaimed wins.
 */
public interface RunLedger {

    /** Opens the run with {@code units} pending; false when it is open already (the schedule delivered twice). */
    boolean open(String runId, int units, Instant at);

    /**
     * Records the unit's {@code result} and the units it hands on ({@code followUps}, message bodies: an account's
     * chunks), which become pending as the unit stops being so. A unit recorded before keeps its first result and
     * follow-ups, and is not counted again; the answer carries the follow-ups as first recorded, to be sent (again:
     * each is idempotent too) and where the run stands.
     */
    Recorded record(String runId, String unitId, String result, List<String> followUps, Instant at);

    /** Every result recorded for the run. */
    List<String> results(String runId);

    /** Claims the roll-up of a finished run for this worker; false when it is not finished or another worker has it. */
    boolean claimPublication(String runId, Instant at);

    /** Gives the claim back after the roll-up could not be published, so the unit's next delivery publishes it. */
    void releasePublication(String runId);

    /** The follow-ups to send, the units still pending after this one, and whether the roll-up is claimed already. */
    record Recorded(List<String> followUps, long pending, boolean published) {
        public Recorded {
            followUps = List.copyOf(followUps);
        }

        /** Every unit is in and nobody has published the roll-up. */
        public boolean finished() {
            return pending == 0 && !published;
        }
    }
}
