package dev.ecroidcguard.core.report;

/** A repository tagged {@code ecr-oidc-guard:ignore=true}: not audited, not changed, listed with who can lift it. */
public record Suppressed(String repository, String repositoryArn, String reason, String whoCanLift) {
}
