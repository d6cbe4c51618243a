package dev.ecroidcguard.core;

import java.util.Optional;
import java.util.Set;

/**
 * What one invocation audits: the whole account (schedule), what a CloudTrail event touched, or one chunk of an
 * account too large for one invocation.
 */
public sealed interface ScanScope {

    /** Whether the repository named {@code repository} (or the role that would belong to it) is part of this scope. */
    default boolean covers(String repository) {
        return switch (this) {
            case WholeAccount w -> true;
            case Repositories(Set<String> names) -> names.contains(repository);
            case NameRange range -> range.from().map(f -> repository.compareTo(f) >= 0).orElse(true)
                    && range.toExclusive().map(t -> repository.compareTo(t) < 0).orElse(true);
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

    /**
     * The repositories whose names sort from {@code from} (inclusive; empty: the first) to {@code toExclusive}
     * (empty: the last), and their roles: one chunk of a large account. The ranges of an account's chunks tile the
     * whole name space, so a repository created after the split is still in exactly one chunk, and an orphan role in
     * exactly one chunk's range.
     */
    record NameRange(Optional<String> from, Optional<String> toExclusive) implements ScanScope {
        public NameRange {
            if (from.isPresent() && toExclusive.isPresent() && from.get().compareTo(toExclusive.get()) >= 0) {
                throw new IllegalArgumentException("empty range [" + from.get() + ", " + toExclusive.get() + ")");
            }
        }
    }
}
