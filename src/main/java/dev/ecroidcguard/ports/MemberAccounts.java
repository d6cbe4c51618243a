package dev.ecroidcguard.ports;

/**
 * The member accounts of an organization scan, reached through the role the hub assumes in each: one
 * {@link #open} per account (one role assumption, shared by its regions), then the scan's adapters per region.
 */
public interface MemberAccounts {

    /** Assumes the member role in {@code accountId}; {@link Unreachable} says why it could not. */
    Member open(String accountId) throws Unreachable;

    /**
     * One account, with the hub's credentials exchanged for the member role's. Closed when the account's scan ends:
     * a warm worker scans many accounts, and each one's clients must not outlive it.
     */
    interface Member extends AutoCloseable {
        /** The adapters of a scan of this account in {@code region}; notifications still go to the hub's topic. */
        Adapters adapters(String region);

        /** Releases what {@link #adapters} opened (nothing, unless said otherwise); never throws. */
        @Override
        default void close() {
        }
    }

    /**
     * The account cannot be scanned: its role is missing, or its trust does not admit the hub ({@code retryable}
     * false), or the call was throttled or failed on AWS's side ({@code retryable} true: the message is retried).
     */
    final class Unreachable extends Exception {
        private final boolean retryable;

        public Unreachable(String reason, boolean retryable) {
            super(reason);
            this.retryable = retryable;
        }

        public boolean retryable() {
            return retryable;
        }
    }
}
