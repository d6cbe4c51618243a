package dev.ecroidcguard.application.organization;

import dev.ecroidcguard.application.ScanOutcome;

import java.util.List;
import java.util.Map;

/** What became of one account of an organization run. */
public sealed interface AccountResult {

    String accountId();

    long durationMs();

    /**
     * The account was reached: one scan per region that could be read, the regions that could not with why
     * (ECR not enabled or not reachable there, a failing call): those never stop the other regions; and the chunks a
     * region too large for one invocation was split into, each a unit of work of its own ({@link Chunking}).
     */
    record Evaluated(String accountId, List<ScanOutcome> scans, Map<String, String> regionsNotEvaluated, List<AccountWork> chunks,
                     long durationMs) implements AccountResult {
        public Evaluated {
            scans = List.copyOf(scans);
            regionsNotEvaluated = Map.copyOf(regionsNotEvaluated);
            chunks = List.copyOf(chunks);
        }
    }

    /**
     * The account was not evaluated at all, with the reason; {@code retryable} when it may pass on a later delivery
     * (throttling, a failure on AWS's side), so its message is handed back to the queue.
     */
    record NotEvaluated(String accountId, String reason, boolean retryable, long durationMs) implements AccountResult {
    }
}
