package dev.ecroidcguard.core.lang;

import dev.ecroidcguard.testing.Generated;
import dk.brics.automaton.Automaton;
import dk.brics.automaton.BasicOperations;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The on-the-fly intersection of concatenations gives what building it gives: the same emptiness and the same
 * readable example as dk.brics' concatenation and intersection followed by {@link Wildcards#readableExample}
 * (which the witness search of the trust analysis used before), on generated patterns split into parts, with
 * literal (singleton), nondeterministic and empty-word parts among them; and {@link Lang#separatedIntersects} on
 * concatenations read in place answers as the built separated union does.
 */
class ProductTest {

    @Test
    void agreesWithTheBuiltIntersection() {
        List<Boolean> shared = new ArrayList<>();
        Generated.forAll(1_500, ProductTest::languages, languages -> {
            Automaton built = null;
            for (List<Automaton> parts : languages) {
                Automaton language = BasicOperations.concatenate(parts);
                built = built == null ? language : built.intersection(language);
            }
            Product product = Product.of(languages.stream().map(Concatenation::new).toList());
            String shown = languages.stream().map(l -> l.stream().map(a -> a.getSingleton() != null ? a.getSingleton() : "<" + a.getNumberOfStates() + ">").toList().toString()).toList().toString();
            assertThat(product.intersects()).as(shown).isEqualTo(!built.isEmpty());
            Optional<String> readable = product.shortestReadable();
            Optional<String> expected = Wildcards.readableExample(built);
            if (readable.isPresent()) {
                assertThat(readable).as(shown).isEqualTo(expected);
            } else {
                // No readable word: readableExample falls back on any word, which only a non-readable one can be.
                assertThat(expected.orElse("\u0001").chars().anyMatch(c -> c < ' ' || c > '~')).as(shown).isTrue();
            }
            shared.add(product.intersects());
        });
        // Both answers occur often enough to mean something.
        assertThat(shared.stream().filter(b -> b).count()).isGreaterThan(100);
        assertThat(shared.stream().filter(b -> !b).count()).isGreaterThan(100);
    }

    @Test
    void readsItsPartsWithoutChangingThem() {
        Automaton shared = Wildcards.pattern("ab*");
        int states = shared.getNumberOfStates();
        Product product = Product.of(List.of(Concatenation.of(Lang.lit("x:"), shared, Lang.lit(":")), Concatenation.single(Wildcards.pattern("x:a*b?:"))));
        assertThat(product.intersects()).isTrue();
        assertThat(product.shortestReadable()).contains("x:ab :"); // the space: the smallest readable character
        assertThat(shared.getNumberOfStates()).isEqualTo(states);
        assertThat(shared.run("ab")).isTrue();
    }

    @Test
    void separatedConcatenationsIntersectAsTheBuiltSeparatedUnion() {
        List<Boolean> answers = new ArrayList<>();
        Generated.forAll(800, random -> new Object[] {languages(random), part(random)}, t -> {
            @SuppressWarnings("unchecked")
            List<List<Automaton>> items = (List<List<Automaton>>) t[0];
            Automaton other = (Automaton) t[1];
            Automaton built = Lang.separated(BasicOperations.union(items.stream().map(BasicOperations::concatenate).toList()), ":");
            boolean expected = !built.intersection(other).isEmpty();
            assertThat(Lang.separatedIntersects(items.stream().map(Concatenation::new).toList(), ':', other)).isEqualTo(expected);
            answers.add(expected);
        });
        assertThat(answers.stream().filter(b -> b).count()).isGreaterThan(80);
        assertThat(answers.stream().filter(b -> !b).count()).isGreaterThan(80);
    }

    /** Two or three languages, each the concatenation of one to three parts. */
    private static List<List<Automaton>> languages(Random random) {
        List<List<Automaton>> languages = new ArrayList<>();
        int count = 2 + random.nextInt(2);
        for (int i = 0; i < count; i++) {
            List<Automaton> parts = new ArrayList<>();
            int length = 1 + random.nextInt(3);
            for (int j = 0; j < length; j++) {
                parts.add(part(random));
            }
            languages.add(parts);
        }
        return languages;
    }

    private static Automaton part(Random random) {
        String pattern = word(random, "ab:*?\u0001", 4);
        return switch (random.nextInt(4)) {
            case 0 -> Lang.lit(pattern.replace("*", "").replace("?", "")); // a singleton, maybe the empty word
            case 1 -> BasicOperations.union(Wildcards.pattern(pattern), Wildcards.literal(word(random, "ab:", 3))); // nondeterministic
            default -> Wildcards.pattern(pattern);
        };
    }

    private static String word(Random random, String alphabet, int maxLength) {
        StringBuilder b = new StringBuilder();
        int length = random.nextInt(maxLength + 1);
        for (int i = 0; i < length; i++) {
            b.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return b.toString();
    }
}
