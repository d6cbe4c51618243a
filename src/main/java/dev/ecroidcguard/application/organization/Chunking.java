package dev.ecroidcguard.application.organization;

import dev.ecroidcguard.core.ScanScope;
import dev.ecroidcguard.ports.InventorySource;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Splits a region of a scheduled run's account that has more than {@code repositoriesPerInvocation} repositories into
 * chunks of at most that many, by sorted name: chunk {@code i} covers the names from its first (the first chunk: from
 * the start) to before the next chunk's first (the last chunk: to the end), so the chunks tile the name space and a
 * repository created meanwhile is still audited once. Only a scheduled whole-account unit is split (its report is
 * assembled by the run); a member account's event names its repositories, and a chunk is not split again.
 */
public record Chunking(int repositoriesPerInvocation) {

    /** Never splits: the member-event worker, and a run whose units are small enough. */
    public static final Chunking NONE = new Chunking(Integer.MAX_VALUE);

    public Chunking {
        if (repositoriesPerInvocation < 1) {
            throw new IllegalArgumentException("repositories per invocation must be at least 1, not " + repositoriesPerInvocation);
        }
    }

    /** The chunks of {@code region}, or empty when the region is scanned in this invocation. */
    public List<AccountWork> split(AccountWork work, String region, InventorySource inventory) {
        if (this.equals(NONE) || work.runId().isEmpty() || work.chunk().isPresent() || !work.repositories().isEmpty()) {
            return List.of();
        }
        List<String> names = inventory.repositoryNames().stream().sorted().toList();
        if (names.size() <= repositoriesPerInvocation) {
            return List.of();
        }
        int of = (names.size() + repositoriesPerInvocation - 1) / repositoriesPerInvocation;
        List<AccountWork> chunks = new ArrayList<>();
        for (int i = 0; i < of; i++) {
            Optional<String> from = i == 0 ? Optional.empty() : Optional.of(names.get(i * repositoriesPerInvocation));
            Optional<String> to = i == of - 1 ? Optional.empty() : Optional.of(names.get((i + 1) * repositoriesPerInvocation));
            chunks.add(work.chunk(region, i + 1, of, new ScanScope.NameRange(from, to)));
        }
        return chunks;
    }
}
