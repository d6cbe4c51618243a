package dev.ecroidcguard.core.inventory;

/** The snapshot as a whole is unusable (not JSON, a required field missing); the message says which. */
public final class SnapshotException extends Exception {
    public SnapshotException(String message) {
        super(message);
    }
}
