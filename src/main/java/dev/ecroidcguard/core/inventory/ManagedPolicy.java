package dev.ecroidcguard.core.inventory;

import java.util.Optional;

/** A managed policy and its default version's document (absent when the inventory did not include it). */
public record ManagedPolicy(String arn, String name, Optional<String> defaultDocument) {
}
