package dev.ecroidcguard.remediation;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The documents of one resource as remediation saw them (the backup) or left them: a role's trust policy,
 * inline policies and attached managed policy ARNs, or a repository's policy. Fields that do not apply are
 * empty; {@code exists=false} is a role that did not exist.
 */
public record Documents(Kind kind, boolean exists, Optional<String> trustPolicy, Map<String, String> inlinePolicies,
                        List<String> attachedPolicyArns, Optional<String> repositoryPolicy, Map<String, String> tags) {

    /** Which documents these are: a whole role, its trust policy, its permissions, or a repository policy. */
    public enum Kind { ROLE, TRUST, PERMISSIONS, REPOSITORY_POLICY }

    public Documents {
        inlinePolicies = Map.copyOf(inlinePolicies);
        attachedPolicyArns = List.copyOf(attachedPolicyArns);
        tags = Map.copyOf(tags);
    }

    public static Documents absentRole() {
        return new Documents(Kind.ROLE, false, Optional.empty(), Map.of(), List.of(), Optional.empty(), Map.of());
    }

    public static Documents trust(String trustPolicy) {
        return new Documents(Kind.TRUST, true, Optional.of(trustPolicy), Map.of(), List.of(), Optional.empty(), Map.of());
    }

    public static Documents permissions(Map<String, String> inline, List<String> attached) {
        return new Documents(Kind.PERMISSIONS, true, Optional.empty(), inline, attached, Optional.empty(), Map.of());
    }

    public static Documents role(String trustPolicy, Map<String, String> inline, List<String> attached, Map<String, String> tags) {
        return new Documents(Kind.ROLE, true, Optional.of(trustPolicy), inline, attached, Optional.empty(), tags);
    }

    public static Documents repositoryPolicy(Optional<String> policy) {
        return new Documents(Kind.REPOSITORY_POLICY, true, Optional.empty(), Map.of(), List.of(), policy, Map.of());
    }
}
