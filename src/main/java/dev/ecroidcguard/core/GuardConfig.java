package dev.ecroidcguard.core;

import java.util.Map;

/**
 * The naming contract, from the same environment variables the Lambda reads: {@code GITHUB_ORG} (required,
 * GitHub's exact casing) and {@code ROLE_NAME_TEMPLATE} (default {@code github-actions-{repository}}).
 */
public record GuardConfig(String githubOrg, RoleNaming roleNaming) {

    public static final String DEFAULT_ROLE_NAME_TEMPLATE = "github-actions-{repository}";

    public static GuardConfig fromEnvironment(Map<String, String> env) throws ConfigException {
        String org = env.getOrDefault("GITHUB_ORG", "").strip();
        if (org.isEmpty()) {
            throw new ConfigException("GITHUB_ORG is not set: give the GitHub organisation or user that owns the repositories, "
                    + "in GitHub's exact casing (e.g. GITHUB_ORG=AcmeCorp)");
        }
        if (!org.matches("[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})")) {
            throw new ConfigException("GITHUB_ORG='" + org + "' is not a GitHub owner name (letters, digits and '-', at most 39)");
        }
        String template = env.getOrDefault("ROLE_NAME_TEMPLATE", "").strip();
        return new GuardConfig(org, RoleNaming.of(template.isEmpty() ? DEFAULT_ROLE_NAME_TEMPLATE : template));
    }

    /** A configuration that cannot work; the message names the variable and the fix. */
    public static final class ConfigException extends Exception {
        public ConfigException(String message) {
            super(message);
        }
    }
}
