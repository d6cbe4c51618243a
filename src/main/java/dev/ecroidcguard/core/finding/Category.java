package dev.ecroidcguard.core.finding;

import java.util.Optional;

/** What a finding is about; the report's {@code category} field carries {@link #jsonName()}. */
public enum Category {
    ROLE("role"),
    TRUST("trust"),
    PERMISSIONS("permissions"),
    REPOSITORY_POLICY("repository-policy"),
    INPUT("input");

    private final String jsonName;

    Category(String jsonName) {
        this.jsonName = jsonName;
    }

    /** The spelling in the JSON report and {@code finding-codes.json}: a contract, never renamed. */
    public String jsonName() {
        return jsonName;
    }

    /** The fix class that writes documents of this category; input problems have none. */
    public Optional<RemediationClass> remediationClass() {
        return switch (this) {
            case ROLE -> Optional.of(RemediationClass.MISSING_ROLE);
            case TRUST -> Optional.of(RemediationClass.TRUST);
            case PERMISSIONS -> Optional.of(RemediationClass.PERMISSIONS);
            case REPOSITORY_POLICY -> Optional.of(RemediationClass.REPOSITORY_POLICY);
            case INPUT -> Optional.empty();
        };
    }
}
