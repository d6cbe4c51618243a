package dev.ecroidcguard.core.trust;

import java.util.Locale;
import java.util.Set;

/**
 * Classifies a condition key against the issuer of the statement's Federated principal. Key names are
 * compared case-insensitively (IAM does); {@code Token.Actions.GitHubUserContent.com:Sub} is {@code sub}.
 */
final class ConditionKeys {

    /**
     * The claims STS provides as condition keys for a GitHub Actions token: exactly those the AWS documentation
     * lists ("Available keys for AWS OIDC federation", IAM User Guide, reference_policies_iam-condition-keys.html
     * #condition-keys-wif: for token.actions.githubusercontent.com the keys {@code sub}, {@code aud},
     * {@code actor}, {@code actor_id}, {@code enterprise_id}, {@code environment}, {@code job_workflow_ref},
     * {@code ref}, {@code repository}, {@code repository_id}, {@code repository_owner_id}, {@code workflow}).
     * Another claim of the token ({@code repository_owner}, {@code event_name}, {@code ref_type}, ...) is not a
     * condition key: STS leaves it out of the request context, so a condition on it sees an absent key.
     */
    static final Set<String> CLAIMS = Set.of("sub", "aud", "actor", "actor_id", "enterprise_id", "environment", "job_workflow_ref",
            "ref", "repository", "repository_id", "repository_owner_id", "workflow");
    /**
     * Claims a token may lack: environment only on jobs that reference one; enterprise_id only for repositories
     * of an enterprise. GitHub sends every other claim above in every token (GitHub OIDC reference).
     */
    static final Set<String> OPTIONAL = Set.of("environment", "enterprise_id");
    /** Claims that narrow who may assume the role; IfExists / ForAllValues on them opens the role. */
    static final Set<String> SCOPING = Set.of("sub", "repository", "repository_id", "repository_owner_id", "job_workflow_ref",
            "environment", "ref", "workflow", "actor", "actor_id", "enterprise_id");

    sealed interface Kind {
        /** A claim of this issuer's tokens. */
        record Claim(String name) implements Kind {
        }

        /**
         * A key no AssumeRoleWithWebIdentity request for this issuer carries, so IAM sees it absent: a key in this
         * issuer's namespace that is no documented claim key (misspelled, with whitespace, or a claim STS does not
         * provide), or a key in no namespace a request has ({@code https://token...:sub}, {@code github:sub}).
         */
        record Malformed(String rawKey) implements Kind {
        }

        /** A key of another GitHub issuer (public vs enterprise): absent from this issuer's tokens. */
        record OtherIssuer(String rawKey) implements Kind {
        }

        /**
         * A key of the request outside the token: AWS global keys ({@code aws:SourceIp}, ...) and STS keys
         * ({@code sts:RoleSessionName}, ...); the caller can satisfy or dodge it.
         */
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
        if (isGitHubKey(rawKey)) {
            return new Kind.OtherIssuer(rawKey);
        }
        if (isRequestKey(key)) {
            return new Kind.NotTokenKey(rawKey);
        }
        return new Kind.Malformed(rawKey);
    }

    /** A key in a GitHub issuer's namespace (public or enterprise), whatever its claim and spelling. */
    static boolean isGitHubKey(String rawKey) {
        String compact = rawKey.toLowerCase(Locale.ROOT).strip().replaceAll("\\s+", "");
        return compact.startsWith("token.actions.githubusercontent.com") || compact.matches("token\\.actions\\.[a-z0-9-]+\\.ghe\\.com.*");
    }

    /**
     * Keys an AssumeRoleWithWebIdentity request carries besides the token's: the AWS global condition keys and
     * the STS service keys (IAM User Guide, "AWS global condition context keys"; Service Authorization Reference,
     * AWS STS condition keys). Any other key is absent from the request.
     */
    static boolean isRequestKey(String lowerKey) {
        return lowerKey.startsWith("aws:") || lowerKey.startsWith("sts:");
    }
}
