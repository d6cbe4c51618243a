package dev.ecroidcguard.core.policy;

/** A policy document that cannot be evaluated; the message says why in one line a user can act on. */
public final class PolicyParseException extends Exception {
    public PolicyParseException(String message) {
        super(message);
    }
}
