package dev.ecroidcguard.core.inventory;

import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/** An ECR repository, its repository policy (JSON text) if it has one, and its tags. */
public record EcrRepository(String name, String arn, Optional<String> policyText, Map<String, String> tags) {

    /** ECR's rule for repository names (CreateRepository's repositoryName): 2 to 256 characters of this shape. */
    private static final Pattern NAME = Pattern.compile("(?:[a-z0-9]+(?:[._-][a-z0-9]+)*/)*[a-z0-9]+(?:[._-][a-z0-9]+)*");

    public EcrRepository {
        tags = Map.copyOf(tags);
    }

    /**
     * Why {@code name} cannot be an ECR repository's name, if it cannot: names derived from elsewhere (a role name
     * through the naming template) must be checked before ECR is asked about them, which it answers with an error.
     */
    public static Optional<String> nameInvalidBecause(String name) {
        if (name.length() < 2 || name.length() > 256) {
            return Optional.of("'" + name + "' is " + name.length() + " characters; ECR repository names have 2 to 256");
        }
        if (!NAME.matcher(name).matches()) {
            return Optional.of("'" + name + "' is not an ECR repository name (lowercase letters, digits, and '.', '_', '-' or '/' "
                    + "between them)");
        }
        return Optional.empty();
    }
}
