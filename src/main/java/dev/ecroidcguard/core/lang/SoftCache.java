package dev.ecroidcguard.core.lang;

import java.lang.ref.SoftReference;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * A small least-recently-used map for values that are filled in lazily after they are cached (so their size is
 * not known when they go in, unlike the patterns of {@link Wildcards}): at most {@code maxEntries}, and held softly,
 * so the collector drops them before the heap runs out, however large hostile documents made them. A dropped value
 * is built again on its next use, the same. Not thread-safe: automata are not, and a scan keeps its own and uses it
 * from one thread.
 */
public final class SoftCache<K, V> {

    private final Map<K, SoftReference<V>> entries;

    public SoftCache(int maxEntries) {
        this.entries = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<K, SoftReference<V>> eldest) {
                return size() > maxEntries;
            }
        };
    }

    public V computeIfAbsent(K key, Function<K, V> make) {
        SoftReference<V> held = entries.get(key);
        V value = held == null ? null : held.get();
        if (value == null) {
            value = make.apply(key);
            entries.put(key, new SoftReference<>(value));
        }
        return value;
    }
}
