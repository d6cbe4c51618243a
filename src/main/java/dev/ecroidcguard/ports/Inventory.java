package dev.ecroidcguard.ports;

import dev.ecroidcguard.core.inventory.AccountSnapshot;
import dev.ecroidcguard.core.report.AccountReport;

import java.util.List;

/** The result of reading an account: the snapshot the analysis runs on, and the repositories that could not be read (with the reason). */
public record Inventory(AccountSnapshot snapshot, List<AccountReport.NotEvaluated> notEvaluated) {
    public Inventory {
        notEvaluated = List.copyOf(notEvaluated);
    }
}
