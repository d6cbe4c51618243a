package dev.ecroidcguard.core;

import java.util.Set;

/** What one invocation audits: the whole account (schedule) or what a CloudTrail event touched. */
public sealed interface ScanScope {

    /** Whether the repository named {@code repository} (or the role that would belong to it) is part of this scope. */
    default boolean covers(String repository) {
        return switch (this) {
            case WholeAccount w -> true;
            case Repositories(Set<String> names) -> names.contains(repository);
        };
    }

    /** Every repository and every role that follows the naming template. */
    record WholeAccount() implements ScanScope {
    }

    /** These repositories (by ECR name) and their roles. A name that no longer exists makes its role an orphan. */
    record Repositories(Set<String> names) implements ScanScope {
        public Repositories {
            names = Set.copyOf(names);
        }
    }
}
