package dev.ecroidcguard.core.fix;

import java.util.Map;

/** A missing role to create with the canonical documents of the origin post. */
public record RoleCreation(String roleName, String trustPolicy, String inlinePolicyName, String inlinePolicy,
                           Map<String, String> tags) {
    public RoleCreation {
        tags = Map.copyOf(tags);
    }
}
