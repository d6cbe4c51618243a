package dev.ecroidcguard.core.finding;

import java.util.Objects;

/**
 * One violation: catalogue code, severity (normally the code's own), the resource it is about, a one-line
 * message and the witness (null only for findings about something absent).
 */
public record Finding(FindingCode code, Severity severity, String resource, String message, Witness witness) {

    public Finding {
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(severity, "severity");
        Objects.requireNonNull(resource, "resource");
        Objects.requireNonNull(message, "message");
    }

    public static Finding of(FindingCode code, String resource, String message, Witness witness) {
        return new Finding(code, code.severity(), resource, message, witness);
    }
}
