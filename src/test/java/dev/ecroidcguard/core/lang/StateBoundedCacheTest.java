package dev.ecroidcguard.core.lang;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class StateBoundedCacheTest {

    /** Values are their own sizes here. */
    @Test
    void evicts_the_least_recently_used_until_the_states_fit_and_never_keeps_a_huge_value() {
        StateBoundedCache<String, Long> cache = new StateBoundedCache<>(1_600, size -> size);
        cache.put("a", 60L);
        cache.put("b", 90L);
        assertThat(cache.get("a")).isEqualTo(60L); // a is now the most recent
        for (int i = 0; i < 15; i++) {
            cache.put("filler" + i, 100L);
        }
        // 60 + 90 + 1,500 states: b, the least recently used, goes; a stays.
        assertThat(cache.get("b")).isNull();
        assertThat(cache.get("a")).isEqualTo(60L);
        assertThat(cache.get("filler14")).isEqualTo(100L);
        cache.put("huge", 101L);
        assertThat(cache.get("huge")).as("over a sixteenth of the bound: not kept").isNull();
    }
}
