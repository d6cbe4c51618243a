package dev.ecroidcguard.testing;

import dev.ecroidcguard.ports.FindingState;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/** The finding state in a map, with the DynamoDB adapter's compare-and-set on the revision; safe across threads. */
public final class InMemoryFindingState implements FindingState {

    private final Map<String, Recorded> records = new TreeMap<>();

    @Override
    public synchronized List<Recorded> recorded(String accountId, String region) {
        return new ArrayList<>(records.values().stream().filter(r -> r.accountId().equals(accountId) && r.region().equals(region)).toList());
    }

    @Override
    public synchronized boolean replace(Optional<Recorded> expected, Recorded next) {
        Recorded stored = records.get(next.findingId());
        boolean current = expected.isEmpty() ? stored == null : stored != null && stored.revision() == expected.get().revision();
        if (current) {
            records.put(next.findingId(), next);
        }
        return current;
    }

    public synchronized Optional<Recorded> get(String findingId) {
        return Optional.ofNullable(records.get(Objects.requireNonNull(findingId)));
    }

    public synchronized List<Recorded> all() {
        return List.copyOf(records.values());
    }
}
