package dev.ecroidcguard.core.inventory;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An IAM role as inventoried. Documents are decoded JSON text (not URL-encoded) and are parsed only when a
 * repository's analysis needs them, so one malformed document affects that repository alone.
 */
public record IamRole(String name, String arn, String path, String trustPolicy, List<InlinePolicy> inlinePolicies,
                      List<String> attachedPolicyArns, Optional<String> permissionsBoundaryArn, Map<String, String> tags) {

    public IamRole {
        inlinePolicies = List.copyOf(inlinePolicies);
        attachedPolicyArns = List.copyOf(attachedPolicyArns);
        tags = Map.copyOf(tags);
    }

    public record InlinePolicy(String name, String document) {
    }
}
