package dev.ecroidcguard.testing;

import dev.ecroidcguard.ports.RunLedger;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The run ledger in maps, with the DynamoDB adapter's rules: the first result of a unit stands, a unit counts once. */
public final class InMemoryRunLedger implements RunLedger {

    private static final class Run {
        long pending;
        final Set<String> done = new HashSet<>();
        boolean published;
        final Map<String, String> results = new LinkedHashMap<>();
        final Map<String, List<String>> followUps = new HashMap<>();
    }

    private final Map<String, Run> runs = new HashMap<>();

    @Override
    public synchronized boolean open(String runId, int units, Instant at) {
        if (runs.containsKey(runId)) {
            return false;
        }
        Run run = new Run();
        run.pending = units;
        runs.put(runId, run);
        return true;
    }

    @Override
    public synchronized Recorded record(String runId, String unitId, String result, List<String> followUps, Instant at) {
        Run run = runs.get(runId);
        if (run == null) {
            throw new IllegalStateException("run " + runId + " is not open");
        }
        run.results.putIfAbsent(unitId, result);
        List<String> toSend = run.followUps.computeIfAbsent(unitId, u -> List.copyOf(followUps));
        if (run.done.add(unitId)) {
            run.pending += toSend.size() - 1;
        }
        return new Recorded(toSend, run.pending, run.published);
    }

    @Override
    public synchronized List<String> results(String runId) {
        return new ArrayList<>(runs.get(runId).results.values());
    }

    @Override
    public synchronized boolean claimPublication(String runId, Instant at) {
        Run run = runs.get(runId);
        if (run == null || run.pending != 0 || run.published) {
            return false;
        }
        run.published = true;
        return true;
    }

    @Override
    public synchronized void releasePublication(String runId) {
        runs.get(runId).published = false;
    }
}
