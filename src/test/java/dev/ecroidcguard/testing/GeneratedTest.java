package dev.ecroidcguard.testing;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The property runner itself: the fixed seed's inputs plus a random batch, and failures that say how to replay them. */
class GeneratedTest {

    @Test
    void checks_the_fixed_seeds_inputs_then_a_random_batch() {
        List<Integer> checked = Generated.forAll(40, r -> r.nextInt(1_000_000), v -> { });
        Random fixed = new Random(Generated.DEFAULT_SEED);
        List<Integer> fixedInputs = IntStream.range(0, 40).mapToObj(i -> fixed.nextInt(1_000_000)).toList();
        if (System.getProperty("property.seed") == null) {
            assertThat(checked).hasSize(40 + 10).startsWith(fixedInputs.toArray(Integer[]::new));
        } else {
            assertThat(checked).hasSize(40);
        }
    }

    @Test
    void a_failure_names_its_seed_how_to_replay_it_and_the_input_readably() {
        assertThatThrownBy(() -> Generated.forAll(5, r -> new String[] {"a\"b", "c"}, t -> assertThat(t[1]).isEqualTo("d")))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("property failed on try 1 of 5 with seed ")
                .hasMessageContaining("(replay with -Dproperty.seed=")
                .hasMessageContaining("input: [\"a\\\"b\", \"c\"]")
                .hasMessageContaining("expected: \"d\"");
    }

    @Test
    void readable_spells_out_nested_values() {
        assertThat(Generated.readable(new Object[] {"x", List.of("y", 1), null})).isEqualTo("[\"x\", [\"y\", 1], null]");
    }
}
