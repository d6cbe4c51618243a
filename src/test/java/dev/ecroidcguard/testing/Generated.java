package dev.ecroidcguard.testing;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * A small property-test runner: a property is checked on {@code tries} inputs drawn from the fixed seed (the
 * same inputs on every run, so CI is reproducible) and then on a smaller batch drawn from a seed chosen at random
 * for this run (so the runs together explore more than one sample). A failure names the seed, how to replay it and
 * the input, printed readably (arrays element by element). (We do not use jqwik: its engine prints a notice that its
 * author does not want AI agents to use it, and this code is written by one.)
 *
 * <p>Set {@code -Dproperty.seed=N} to replay one seed only ({@code tries} inputs; a random batch's inputs are the
 * first ones of its seed); {@code -Dproperty.tries=N} to change the count.
 */
public final class Generated {

    /** The fixed seed every run checks first. */
    public static final long DEFAULT_SEED = 20261125L;
    /** The random batch is this fraction of the fixed seed's tries (at least one), keeping CI time nearly the same. */
    private static final int RANDOM_BATCH_DIVISOR = 4;
    /** One random seed per test JVM, printed when first used. */
    private static final long RUN_SEED = new SecureRandom().nextLong();
    private static final AtomicBoolean RUN_SEED_PRINTED = new AtomicBoolean();

    private Generated() {
    }

    /** The seeds this run checks, each with its number of tries: the replayed one, or the fixed one and this run's random one. */
    private static List<Map.Entry<Long, Integer>> seeds(int tries) {
        int count = Integer.getInteger("property.tries", tries);
        Long replay = Long.getLong("property.seed");
        if (replay != null) {
            return List.of(Map.entry(replay, count));
        }
        if (RUN_SEED_PRINTED.compareAndSet(false, true)) {
            System.out.println("Generated: this run's random property seed is " + RUN_SEED + " (besides the fixed " + DEFAULT_SEED
                    + "); replay a failure with -Dproperty.seed=" + RUN_SEED);
        }
        return List.of(Map.entry(DEFAULT_SEED, count), Map.entry(RUN_SEED, Math.max(1, count / RANDOM_BATCH_DIVISOR)));
    }

    /**
     * Checks {@code property} on values of {@code generator} for each seed of the run; rethrows the first failure
     * with its seed and input. Returns every value checked.
     */
    public static <T> List<T> forAll(int tries, Function<Random, T> generator, Consumer<T> property) {
        List<T> checked = new ArrayList<>();
        for (Map.Entry<Long, Integer> seed : seeds(tries)) {
            Random random = new Random(seed.getKey());
            for (int i = 0; i < seed.getValue(); i++) {
                T value = generator.apply(random);
                try {
                    property.accept(value);
                } catch (AssertionError | RuntimeException e) {
                    throw new AssertionError("property failed on try " + (i + 1) + " of " + seed.getValue() + " with seed " + seed.getKey()
                            + " (replay with -Dproperty.seed=" + seed.getKey() + ")\ninput: " + readable(value) + "\nfailure: " + e.getMessage(), e);
                }
                checked.add(value);
            }
        }
        return checked;
    }

    /** A generated input as a person reads it: arrays and collections element by element, strings quoted. */
    public static String readable(Object value) {
        return switch (value) {
            case null -> "null";
            case String s -> '"' + s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + '"';
            case Object[] array -> Arrays.stream(array).map(Generated::readable).collect(Collectors.joining(", ", "[", "]"));
            case Collection<?> list -> list.stream().map(Generated::readable).collect(Collectors.joining(", ", "[", "]"));
            default -> String.valueOf(value);
        };
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
