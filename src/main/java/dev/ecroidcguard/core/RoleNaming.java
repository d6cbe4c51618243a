package dev.ecroidcguard.core;

import java.util.Optional;
import java.util.regex.Pattern;

/** The role-name template, e.g. {@code github-actions-{repository}}: repository name to role name and back. */
public record RoleNaming(String template, String prefix, String suffix) {

    public static final String PLACEHOLDER = "{repository}";
    /** IAM role names: at most 64 characters of {@code [\w+=,.@-]}. */
    private static final Pattern ROLE_NAME = Pattern.compile("[\\w+=,.@-]{1,64}");

    public static RoleNaming of(String template) throws GuardConfig.ConfigException {
        int at = template.indexOf(PLACEHOLDER);
        if (at < 0 || template.indexOf(PLACEHOLDER, at + 1) >= 0) {
            throw new GuardConfig.ConfigException("ROLE_NAME_TEMPLATE='" + template + "' must contain " + PLACEHOLDER + " exactly once");
        }
        String prefix = template.substring(0, at);
        String suffix = template.substring(at + PLACEHOLDER.length());
        if (!(prefix + "x" + suffix).matches("[\\w+=,.@-]+")) {
            throw new GuardConfig.ConfigException("ROLE_NAME_TEMPLATE='" + template + "' has characters IAM role names cannot contain");
        }
        return new RoleNaming(template, prefix, suffix);
    }

    /** The role name for a repository, or why there is none (a name IAM would reject is never mangled). */
    public RoleName roleNameFor(String repositoryName) {
        String name = prefix + repositoryName + suffix;
        if (name.length() > 64) {
            return new RoleName(name, Optional.of("role name '" + name + "' is " + name.length()
                    + " characters; IAM allows at most 64"));
        }
        if (!ROLE_NAME.matcher(name).matches()) {
            return new RoleName(name, Optional.of("role name '" + name + "' contains characters IAM role names cannot contain"
                    + " (ECR namespaces use '/'; IAM role names do not)"));
        }
        return new RoleName(name, Optional.empty());
    }

    /** The repository a role name refers to, when it follows the template. */
    public Optional<String> repositoryFor(String roleName) {
        if (roleName.length() > prefix.length() + suffix.length() && roleName.startsWith(prefix) && roleName.endsWith(suffix)) {
            return Optional.of(roleName.substring(prefix.length(), roleName.length() - suffix.length()));
        }
        return Optional.empty();
    }

    /** A role name derived from the template, with the reason it cannot be used, if any. */
    public record RoleName(String name, Optional<String> invalidBecause) {
        public boolean isValid() {
            return invalidBecause.isEmpty();
        }
    }
}
