package dev.ecroidcguard.core.lang;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.ToLongFunction;

/**
 * A least-recently-used cache of automata (or values built around one) bounded by the states it holds, not by its
 * number of entries: one hostile pattern can have tens of thousands of states, so a bound on entries is no bound on
 * the heap. A value larger than a sixteenth of the bound is not kept (it would evict everything else). Safe to share
 * between threads as long as the values are only read.
 */
public final class StateBoundedCache<K, V> {

    private final long maxStates;
    private final ToLongFunction<V> states;
    private final LinkedHashMap<K, V> entries = new LinkedHashMap<>(256, 0.75f, true);
    private long held;

    /** @param states the number of states of a value, fixed once it is built */
    public StateBoundedCache(long maxStates, ToLongFunction<V> states) {
        this.maxStates = maxStates;
        this.states = states;
    }

    public synchronized V get(K key) {
        return entries.get(key);
    }

    public synchronized void put(K key, V value) {
        long size = states.applyAsLong(value);
        if (size > maxStates / 16 || entries.containsKey(key)) {
            return;
        }
        entries.put(key, value);
        held += size;
        Iterator<Map.Entry<K, V>> eldest = entries.entrySet().iterator();
        while (held > maxStates && eldest.hasNext()) {
            held -= states.applyAsLong(eldest.next().getValue());
            eldest.remove();
        }
    }
}
