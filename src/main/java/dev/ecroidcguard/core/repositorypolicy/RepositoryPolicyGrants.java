package dev.ecroidcguard.core.repositorypolicy;

import dev.ecroidcguard.core.policy.PolicyDocument;

import java.util.Set;

/**
 * What a repository policy grants one role directly (same account): actions granted to the role ARN (still
 * capped by the role's permissions boundary) and to its sessions (not capped). Placeholder until implemented.
 */
public final class RepositoryPolicyGrants {

    private RepositoryPolicyGrants() {
    }

    /** Actions are lower-case, from {@code Baseline.PUSH_PULL_ACTIONS}; explicit denies for the role are subtracted. */
    public record Granted(Set<String> viaRoleArn, Set<String> viaSession) {
        public Granted {
            viaRoleArn = Set.copyOf(viaRoleArn);
            viaSession = Set.copyOf(viaSession);
        }
    }

    public static Granted grantsTo(PolicyDocument repositoryPolicy, String roleArn, String accountId) {
        return new Granted(Set.of(), Set.of());
    }
}
