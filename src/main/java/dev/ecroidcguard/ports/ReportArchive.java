package dev.ecroidcguard.ports;

import java.time.Instant;

/**
 * Where the full report of a scan goes when someone wants it (every repository, compliant ones too, and the whole
 * documents of every change): an S3 object in production ({@code FULL_REPORT_BUCKET}), linked from the notification,
 * which carries only what needs attention. {@link #NONE} (the default) keeps nothing.
 */
public interface ReportArchive {

    /** Stores {@code json}, the report of the scan of {@code accountId}/{@code region} at {@code at}; returns where (a URI). */
    String store(String accountId, String region, Instant at, String json);

    /** Whether reports are kept at all; {@link #NONE} does not. */
    default boolean stores() {
        return true;
    }

    /** No archive: the notification and the function's log are the report. */
    ReportArchive NONE = new ReportArchive() {
        @Override
        public String store(String accountId, String region, Instant at, String json) {
            throw new IllegalStateException("no report archive configured");
        }

        @Override
        public boolean stores() {
            return false;
        }
    };
}
