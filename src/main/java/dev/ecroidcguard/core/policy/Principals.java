package dev.ecroidcguard.core.policy;

import java.util.List;
import java.util.Map;

/**
 * The Principal (or NotPrincipal) element. {@code "Principal": "*"} sets {@code anyone}; otherwise values are
 * grouped by type ({@code AWS}, {@code Federated}, {@code Service}, {@code CanonicalUser}) as written.
 */
public record Principals(boolean anyone, Map<String, List<String>> byType) {

    public Principals {
        byType = Map.copyOf(byType);
    }

    public List<String> of(String type) {
        return byType.getOrDefault(type, List.of());
    }

    /** "*" or {"AWS": "*"}: every principal (IAM treats both alike). */
    public boolean isEveryone() {
        return anyone || of("AWS").contains("*");
    }
}
