package dev.ecroidcguard.core;

import dev.ecroidcguard.core.inventory.EcrRepository;
import dev.ecroidcguard.core.report.Suppressed;

/**
 * The repository tag {@code ecr-oidc-guard:ignore=true}: the owner's way to take a repository out of the audit.
 * Such a repository is neither analysed nor changed, and every report lists it as suppressed with who can lift it.
 */
public final class IgnoreTag {

    public static final String KEY = "ecr-oidc-guard:ignore";

    private IgnoreTag() {
    }

    public static boolean isSet(EcrRepository repository) {
        return "true".equalsIgnoreCase(repository.tags().getOrDefault(KEY, "").strip());
    }

    public static Suppressed suppressed(EcrRepository repository) {
        return new Suppressed(repository.name(), repository.arn(), "tagged " + KEY + "=true: not audited, not remediated",
                "anyone allowed ecr:UntagResource on " + repository.arn() + " (remove the tag to audit it again)");
    }
}
