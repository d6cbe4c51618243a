package dev.ecroidcguard.core.finding;

import java.util.Arrays;
import java.util.Optional;

/**
 * The classes of fixes {@code REMEDIATE} can enable; each writes one part of the core's fix plan and repairs the
 * findings of one {@link Category} ({@link Category#remediationClass()}).
 */
public enum RemediationClass {
    MISSING_ROLE("missing-role"),
    TRUST("trust"),
    PERMISSIONS("permissions"),
    REPOSITORY_POLICY("repository-policy");

    private final String configName;

    RemediationClass(String configName) {
        this.configName = configName;
    }

    /** The spelling in {@code REMEDIATE}, the template's {@code Remediate} parameter, the logs and the report. */
    public String configName() {
        return configName;
    }

    public static Optional<RemediationClass> ofConfigName(String name) {
        return Arrays.stream(values()).filter(c -> c.configName.equals(name)).findFirst();
    }

    /** Whether findings of {@code category} are this class's to repair. */
    public boolean repairs(Category category) {
        return category.remediationClass().orElse(null) == this;
    }
}
