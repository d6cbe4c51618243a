package dev.ecroidcguard.ports;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What the guard last knew about each finding it has seen, kept between scans (a DynamoDB table in production, a map
 * in unit tests), so a scan can say what is new, changed or resolved since the last one. Every write is a
 * compare-and-set on the record's {@code revision}: of two scans that read the same record and both want to move it
 * on (two workers on the same account, a message delivered twice), exactly one succeeds, and only that one alerts.
 */
public interface FindingState {

    /** Every record of the account and region, open or resolved. */
    List<Recorded> recorded(String accountId, String region);

    /**
     * Writes {@code next} if the stored record is still {@code expected} (same revision; empty: no record yet);
     * false when another scan wrote it first, in which case nothing is written.
     */
    boolean replace(Optional<Recorded> expected, Recorded next);

    /** Whether findings are tracked at all; {@link #UNTRACKED} (no table configured) is not. */
    default boolean tracks() {
        return true;
    }

    /** No state: every scan stands alone ({@code NOTIFY_ON=findings} or {@code always} without a table). */
    FindingState UNTRACKED = new FindingState() {
        @Override
        public List<Recorded> recorded(String accountId, String region) {
            throw new IllegalStateException("no finding state configured");
        }

        @Override
        public boolean replace(Optional<Recorded> expected, Recorded next) {
            throw new IllegalStateException("no finding state configured");
        }

        @Override
        public boolean tracks() {
            return false;
        }
    };

    /**
     * {@code RESOLVED_NOT_FILED}: resolved and told, but the hub (Security Hub) refused its archiving: the next scan files
     * it as archived again (without telling it again) and then records it {@code RESOLVED}.
     */
    enum Status { OPEN, RESOLVED, RESOLVED_NOT_FILED }

    /**
     * One finding as last recorded: its stable id ({@code FindingId}), where it is, its code, severity and the resource it
     * is about (a role or the repository), whether it is
     * open, the fingerprint of what it said, the text it was reported with (so a resolution can say what went away), when
     * it was first and last seen and last notified, and the revision every write increments.
     */
    record Recorded(String findingId, String accountId, String region, String repository, String repositoryArn, String code,
                    String severity, String resource, Status status, String fingerprint, String summary, Instant firstSeen, Instant lastSeen, Instant lastNotified,
                    long revision) {

        public Recorded {
            Objects.requireNonNull(findingId, "findingId");
            Objects.requireNonNull(status, "status");
            Objects.requireNonNull(firstSeen, "firstSeen");
            Objects.requireNonNull(lastSeen, "lastSeen");
            Objects.requireNonNull(lastNotified, "lastNotified");
        }

        /** The same record in another status. */
        public Recorded withStatus(Status other) {
            return new Recorded(findingId, accountId, region, repository, repositoryArn, code, severity, resource, other, fingerprint,
                    summary, firstSeen, lastSeen, lastNotified, revision);
        }

        /** The partition of the lookup by account and region. */
        public String target() {
            return accountId + "/" + region;
        }
    }
}
