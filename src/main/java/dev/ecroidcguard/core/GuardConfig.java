package dev.ecroidcguard.core;

import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * The naming contract, from the same environment variables the Lambda reads: {@code GITHUB_ORG} (required,
 * GitHub's exact casing), {@code GITHUB_ALLOWED_OWNERS} (optional: further GitHub owners a repository's
 * {@code github:repository} tag may name) and {@code ROLE_NAME_TEMPLATE} (default {@code github-actions-{repository}}).
 *
 * <p>Why an allow-list: ECR tags can be set by anyone with {@code ecr:TagResource} or {@code ecr:CreateRepository},
 * so a tag must never bring a GitHub owner into a trust policy that the deployer did not name here.
 */
public record GuardConfig(String githubOrg, Set<String> allowedOwners, RoleNaming roleNaming) {

    public static final String DEFAULT_ROLE_NAME_TEMPLATE = "github-actions-{repository}";
    private static final String OWNER_NAME = "[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})";

    public GuardConfig {
        LinkedHashSet<String> owners = new LinkedHashSet<>();
        owners.add(githubOrg);
        owners.addAll(allowedOwners);
        allowedOwners = Set.copyOf(owners);
    }

    /** Only {@code githubOrg} may be named by a tag. */
    public GuardConfig(String githubOrg, RoleNaming roleNaming) {
        this(githubOrg, Set.of(), roleNaming);
    }

    /**
     * Whether a {@code github:repository} tag may name {@code owner}. GitHub owner names are unique regardless of
     * case, so {@code Acme} is the owner {@code acme}: a different casing brings in nobody new (a casing that
     * differs from what GitHub mints is a usability problem, reported by the trust check).
     */
    public boolean ownerAllowed(String owner) {
        return allowedOwners.stream().anyMatch(owner::equalsIgnoreCase);
    }

    public static GuardConfig fromEnvironment(Map<String, String> env) throws ConfigException {
        String org = env.getOrDefault("GITHUB_ORG", "").strip();
        if (org.isEmpty()) {
            throw new ConfigException("GITHUB_ORG is not set: give the GitHub organisation or user that owns the repositories, "
                    + "in GitHub's exact casing (e.g. GITHUB_ORG=AcmeCorp)");
        }
        if (!org.matches(OWNER_NAME)) {
            throw new ConfigException("GITHUB_ORG='" + org + "' is not a GitHub owner name (letters, digits and '-', at most 39)");
        }
        Set<String> allowed = new LinkedHashSet<>();
        for (String owner : Arrays.stream(env.getOrDefault("GITHUB_ALLOWED_OWNERS", "").split(",")).map(String::strip).toList()) {
            if (owner.isEmpty()) {
                continue;
            }
            if (!owner.matches(OWNER_NAME)) {
                throw new ConfigException("GITHUB_ALLOWED_OWNERS names '" + owner + "', which is not a GitHub owner name "
                        + "(a comma-separated list of owners, GitHub's exact casing)");
            }
            allowed.add(owner);
        }
        String template = env.getOrDefault("ROLE_NAME_TEMPLATE", "").strip();
        return new GuardConfig(org, allowed, RoleNaming.of(template.isEmpty() ? DEFAULT_ROLE_NAME_TEMPLATE : template));
    }

    /** A configuration that cannot work; the message names the variable and the fix. */
    public static final class ConfigException extends Exception {
        public ConfigException(String message) {
            super(message);
        }
    }
}
