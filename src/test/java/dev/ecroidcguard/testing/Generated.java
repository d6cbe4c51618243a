package dev.ecroidcguard.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * A small property-test runner: a property is checked on {@code tries} inputs drawn from a seeded generator,
 * so a failure names the seed and the input and replays exactly. (We do not use jqwik: its engine prints a
 * notice that its author does not want AI agents to use it, and this code is written by one.)
 *
 * <p>Set {@code -Dproperty.seed=N} to replay one run; {@code -Dproperty.tries=N} to change the count.
 */
public final class Generated {

    private static final long DEFAULT_SEED = 20261125L;

    private Generated() {
    }

    /** Checks {@code property} on {@code tries} values of {@code generator}; rethrows the first failure with its input. */
    public static <T> List<T> forAll(int tries, Function<Random, T> generator, Consumer<T> property) {
        long seed = Long.getLong("property.seed", DEFAULT_SEED);
        int count = Integer.getInteger("property.tries", tries);
        Random random = new Random(seed);
        List<T> checked = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            T value = generator.apply(random);
            try {
                property.accept(value);
            } catch (AssertionError | RuntimeException e) {
                throw new AssertionError("property failed on try " + (i + 1) + " of " + count + " (seed " + seed + "): " + value, e);
            }
            checked.add(value);
        }
        return checked;
    }

    /** One element of {@code options}, uniformly. */
    @SafeVarargs
    public static <T> T oneOf(Random random, T... options) {
        return options[random.nextInt(options.length)];
    }

    /** One element of {@code options}, uniformly. */
    public static <T> T oneOf(Random random, List<T> options) {
        return options.get(random.nextInt(options.size()));
    }

    /** True with probability {@code p}. */
    public static boolean chance(Random random, double p) {
        return random.nextDouble() < p;
    }

    /** Between {@code min} and {@code max} (inclusive) distinct elements of {@code options}, in random order. */
    public static <T> List<T> distinctListOf(Random random, int min, int max, List<T> options) {
        int n = Math.min(options.size(), min + random.nextInt(max - min + 1));
        List<T> pool = new ArrayList<>(options);
        java.util.Collections.shuffle(pool, random);
        return new ArrayList<>(pool.subList(0, n));
    }

    /**
     * The share (0..100) of {@code checked} values for which {@code label} gives {@code expected}: for coverage
     * checks that keep a property honest (most generated inputs must exercise the interesting branch).
     */
    public static <T, L> double percentage(List<T> checked, Function<T, L> label, L expected) {
        if (checked.isEmpty()) {
            return 0.0;
        }
        long hits = checked.stream().filter(v -> expected.equals(label.apply(v))).count();
        return 100.0 * hits / checked.size();
    }

    /** Between {@code min} and {@code max} (inclusive) elements drawn with {@code element}. */
    public static <T> List<T> listOf(Random random, int min, int max, Function<Random, T> element) {
        int n = min + random.nextInt(max - min + 1);
        List<T> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(element.apply(random));
        }
        return out;
    }
}
