package dev.ecroidcguard.core.inventory;

import java.util.Map;
import java.util.Optional;

/** An ECR repository, its repository policy (JSON text) if it has one, and its tags. */
public record EcrRepository(String name, String arn, Optional<String> policyText, Map<String, String> tags) {

    public EcrRepository {
        tags = Map.copyOf(tags);
    }
}
