package dev.ecroidcguard.ports;

import dev.ecroidcguard.core.inventory.AccountSnapshot;
import dev.ecroidcguard.core.report.AccountReport;

import java.util.List;
import java.util.Set;

/**
 * The result of reading an account: the snapshot the analysis runs on, the repositories that could not be read (with the
 * reason), and the names of the repositories the account has in its other scanned regions (an organization run's
 * target regions; none otherwise), whose roles are therefore not orphans here.
 */
public record Inventory(AccountSnapshot snapshot, List<AccountReport.NotEvaluated> notEvaluated, Set<String> repositoriesInOtherRegions) {
    public Inventory {
        notEvaluated = List.copyOf(notEvaluated);
        repositoriesInOtherRegions = Set.copyOf(repositoriesInOtherRegions);
    }

    /** A read of one region with no other region known. */
    public Inventory(AccountSnapshot snapshot, List<AccountReport.NotEvaluated> notEvaluated) {
        this(snapshot, notEvaluated, Set.of());
    }
}
