package dev.ecroidcguard.remediation;

import dev.ecroidcguard.core.GuardConfig.ConfigException;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/** The classes of fixes {@code REMEDIATE} can enable; each matches a part of the core's fix plan. */
public enum RemediationClass {
    MISSING_ROLE("missing-role", "role"),
    TRUST("trust", "trust"),
    PERMISSIONS("permissions", "permissions"),
    REPOSITORY_POLICY("repository-policy", "repository-policy");

    private final String configName;
    private final String findingCategory;

    RemediationClass(String configName, String findingCategory) {
        this.configName = configName;
        this.findingCategory = findingCategory;
    }

    /** The spelling in {@code REMEDIATE}, the logs and the report. */
    public String configName() {
        return configName;
    }

    /** The {@link dev.ecroidcguard.core.finding.FindingCode#category()} of the findings this class fixes. */
    public String findingCategory() {
        return findingCategory;
    }

    /** {@code all}, {@code none}, or a comma list of class names; blank means {@code defaultValue}. */
    public static Set<RemediationClass> parse(String value, String defaultValue) throws ConfigException {
        String v = value == null || value.isBlank() ? defaultValue : value.strip();
        if (v.equals("all")) {
            return EnumSet.allOf(RemediationClass.class);
        }
        if (v.equals("none")) {
            return EnumSet.noneOf(RemediationClass.class);
        }
        Set<RemediationClass> out = EnumSet.noneOf(RemediationClass.class);
        for (String part : v.split(",")) {
            String name = part.strip().toLowerCase(Locale.ROOT);
            out.add(Arrays.stream(values()).filter(c -> c.configName.equals(name)).findFirst()
                    .orElseThrow(() -> new ConfigException("REMEDIATE='" + v + "': '" + name + "' is not a remediation class; use all, none, "
                            + "or a comma list of " + Arrays.stream(values()).map(RemediationClass::configName).collect(Collectors.joining(", ")))));
        }
        return out;
    }
}
