package dev.ecroidcguard.core.lang;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class SoftCacheTest {

    @Test
    void keeps_the_most_recently_used_entries_and_rebuilds_an_evicted_one() {
        List<String> built = new ArrayList<>();
        SoftCache<String, String> cache = new SoftCache<>(2);
        java.util.function.Function<String, String> make = k -> {
            built.add(k);
            return k.toUpperCase();
        };
        assertThat(cache.computeIfAbsent("a", make)).isEqualTo("A");
        cache.computeIfAbsent("b", make);
        cache.computeIfAbsent("a", make); // a is now the most recent
        cache.computeIfAbsent("c", make); // evicts b
        cache.computeIfAbsent("a", make);
        assertThat(cache.computeIfAbsent("b", make)).isEqualTo("B");
        assertThat(built).containsExactly("a", "b", "c", "b");
    }
}
