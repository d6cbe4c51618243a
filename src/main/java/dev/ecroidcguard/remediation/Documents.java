package dev.ecroidcguard.remediation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ecroidcguard.core.inventory.IamRole;

import java.util.LinkedHashMap;
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

    private static final ObjectMapper MAPPER = new ObjectMapper();

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

    /** A role's inline policies, name to document. */
    static Map<String, String> inline(IamRole role) {
        Map<String, String> out = new LinkedHashMap<>();
        role.inlinePolicies().forEach(p -> out.put(p.name(), p.document()));
        return out;
    }

    /** The same names with documents equal as JSON. */
    static boolean sameDocuments(Map<String, String> a, Map<String, String> b) {
        return a.keySet().equals(b.keySet()) && a.keySet().stream().allMatch(k -> sameJson(a.get(k), b.get(k)));
    }

    /** Equal as JSON (IAM and ECR may re-serialize a document: spacing and key order do not matter). */
    static boolean sameJson(String a, String b) {
        try {
            JsonNode x = MAPPER.readTree(a);
            JsonNode y = MAPPER.readTree(b);
            return x != null && x.equals(y);
        } catch (Exception e) {
            return a.equals(b);
        }
    }
}
