package dev.ecroidcguard.service;

import dev.ecroidcguard.core.inventory.AccountSnapshot;
import dev.ecroidcguard.core.report.AccountReport;

import java.util.List;
import java.util.Map;

/**
 * The result of reading an account: the snapshot the analysis runs on, the repositories that could not be
 * read (with the reason), and how many API calls it took, per operation ("iam:GetAccountAuthorizationDetails" -> 1).
 */
public record Inventory(AccountSnapshot snapshot, List<AccountReport.NotEvaluated> notEvaluated, Map<String, Integer> apiCalls) {
    public Inventory {
        notEvaluated = List.copyOf(notEvaluated);
        apiCalls = Map.copyOf(apiCalls);
    }

    public int totalApiCalls() {
        return apiCalls.values().stream().mapToInt(Integer::intValue).sum();
    }
}
