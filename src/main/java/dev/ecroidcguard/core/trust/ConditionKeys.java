package dev.ecroidcguard.core.trust;

import java.util.Locale;
import java.util.Set;

/**
 * Classifies a condition key against the issuer of the statement's Federated principal. Key names are
 * compared case-insensitively (IAM does); {@code Token.Actions.GitHubUserContent.com:Sub} is {@code sub}.
 */
final class ConditionKeys {

    /** Claims of a GitHub Actions token usable as trust-policy condition keys (GitHub OIDC reference, STS 2026). */
    static final Set<String> CLAIMS = Set.of("sub", "aud", "iss", "actor", "actor_id", "base_ref", "head_ref", "environment",
            "event_name", "job_workflow_ref", "job_workflow_sha", "ref", "ref_type", "ref_protected", "repository",
            "repository_id", "repository_owner", "repository_owner_id", "repository_visibility", "run_id", "run_number",
            "run_attempt", "runner_environment", "sha", "workflow", "workflow_ref", "workflow_sha", "enterprise",
            "enterprise_id", "amr");
    /** Claims a token may lack (environment only on jobs that reference one; enterprise only for enterprise owners). */
    static final Set<String> OPTIONAL = Set.of("environment", "enterprise", "enterprise_id", "base_ref", "head_ref");
    /** Claims that narrow who may assume the role; IfExists / ForAllValues on them opens the role. */
    static final Set<String> SCOPING = Set.of("sub", "repository", "repository_id", "repository_owner", "repository_owner_id",
            "job_workflow_ref", "environment", "ref", "workflow", "workflow_ref", "actor", "actor_id", "enterprise", "enterprise_id");

    sealed interface Kind {
        /** A claim of this issuer's tokens. */
        record Claim(String name) implements Kind {
        }

        /** A key in this issuer's namespace that no token carries: misspelled or with whitespace. */
        record Malformed(String rawKey) implements Kind {
        }

        /** A key of another GitHub issuer (public vs enterprise): absent from this issuer's tokens. */
        record OtherIssuer(String rawKey) implements Kind {
        }

        /** A key outside the token (aws:SourceIp, ...): the caller can satisfy or dodge it. */
        record NotTokenKey(String rawKey) implements Kind {
        }
    }

    private ConditionKeys() {
    }

    static Kind classify(String rawKey, String issuer) {
        String key = rawKey.toLowerCase(Locale.ROOT);
        String prefix = issuer.toLowerCase(Locale.ROOT) + ":";
        if (key.startsWith(prefix)) {
            String claim = key.substring(prefix.length());
            return CLAIMS.contains(claim) ? new Kind.Claim(claim) : new Kind.Malformed(rawKey);
        }
        String compact = key.strip().replaceAll("\\s+", "");
        if (compact.startsWith(prefix)) {
            return new Kind.Malformed(rawKey); // whitespace inside or around the key
        }
        if (compact.startsWith("token.actions.githubusercontent.com") || compact.matches("token\\.actions\\.[a-z0-9-]+\\.ghe\\.com.*")) {
            return new Kind.OtherIssuer(rawKey);
        }
        return new Kind.NotTokenKey(rawKey);
    }
}
