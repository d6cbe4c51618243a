package dev.ecroidcguard.testing;

import dev.ecroidcguard.ports.FindingsHub;
import dev.ecroidcguard.ports.HubFinding;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A findings hub that keeps what it was given: every finding filed, and each call to resolve as one list; it refuses
 * imports or workflow updates (throws) while told to, as Security Hub does without the grant or when it is not enabled.
 */
public final class RecordingHub implements FindingsHub {

    public final List<HubFinding> filed = new ArrayList<>();
    public final List<List<HubFinding>> resolveCalls = new ArrayList<>();
    private Optional<RuntimeException> refuseImport = Optional.empty();
    private Optional<RuntimeException> refuseResolve = Optional.empty();

    public RecordingHub refusingImports(RuntimeException e) {
        refuseImport = Optional.ofNullable(e);
        return this;
    }

    public RecordingHub refusingResolve(RuntimeException e) {
        refuseResolve = Optional.ofNullable(e);
        return this;
    }

    @Override
    public synchronized void file(List<HubFinding> findings) {
        if (refuseImport.isPresent()) {
            throw refuseImport.get();
        }
        filed.addAll(findings);
    }

    @Override
    public synchronized void resolve(List<HubFinding> archived) {
        if (refuseResolve.isPresent()) {
            throw refuseResolve.get();
        }
        resolveCalls.add(List.copyOf(archived));
    }

    public synchronized List<HubFinding> resolved() {
        return resolveCalls.stream().flatMap(List::stream).toList();
    }

    public synchronized void clear() {
        filed.clear();
        resolveCalls.clear();
    }
}
