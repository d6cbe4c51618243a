package dev.ecroidcguard.core.lang;

import dev.ecroidcguard.testing.Generated;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class WildcardsTest {

    @Test
    void starSpansDelimitersAndMatchesEmpty() {
        assertThat(Wildcards.matches("repo:acme/*", "repo:acme/unrelated-repo:ref:refs/heads/main")).isTrue();
        assertThat(Wildcards.matches("repo:acme/web-api*", "repo:acme/web-api-evil:ref:refs/heads/main")).isTrue();
        assertThat(Wildcards.matches("refs/heads/main*", "refs/heads/main")).isTrue();
        assertThat(Wildcards.matches("repo:acme/web-api:*", "repo:acme/web-api-evil:ref:refs/heads/main")).isFalse();
    }

    @Test
    void questionMarkIsExactlyOneCharacter() {
        assertThat(Wildcards.matches("repo:acm?/x", "repo:acme/x")).isTrue();
        assertThat(Wildcards.matches("repo:acm?/x", "repo:acm/x")).isFalse();
    }

    @Test
    void literalHasNoWildcards() {
        assertThat(Wildcards.literal("repo:*").run("repo:*")).isTrue();
        assertThat(Wildcards.literal("repo:*").run("repo:acme")).isFalse();
    }

    @Test
    void ignoringCaseMatchesEveryCasing() {
        assertThat(Wildcards.ignoringCase("AcmeCorp").run("acmecorp")).isTrue();
        assertThat(Wildcards.patternIgnoringCase("repo:ACME/*").run("repo:acme/web-api")).isTrue();
        assertThat(Wildcards.pattern("repo:ACME/*").run("repo:acme/web-api")).isFalse();
    }

    /** The direct glob matcher and the compiled automaton decide the same language. */
    @Test
    void globMatcherAgreesWithTheAutomaton() {
        String alphabet = "ab:/*?";
        Generated.forAll(2_000, random -> new String[] {word(random, alphabet, 8), word(random, "ab:/", 10)}, pair -> {
            String pattern = pair[0];
            String word = pair[1];
            assertThat(Wildcards.matches(pattern, word)).as("'%s' ~ '%s'", pattern, word).isEqualTo(Wildcards.pattern(pattern).run(word));
        });
    }

    @Test
    void prefixThenStarIsBuiltAsTheGeneralConstructionBuildsIt() {
        Generated.forAll(500, random -> word(random, "ab:/-0", 12), prefix -> {
            dk.brics.automaton.Automaton direct = Wildcards.literalThenAnything(prefix);
            dk.brics.automaton.Automaton general = Wildcards.compileGeneral(prefix + "*");
            assertThat(direct.getNumberOfStates()).as("'%s*'", prefix).isEqualTo(general.getNumberOfStates());
            assertThat(direct.getNumberOfTransitions()).as("'%s*'", prefix).isEqualTo(general.getNumberOfTransitions());
            assertThat(direct.isDeterministic()).isTrue();
            assertThat(direct.subsetOf(general) && general.subsetOf(direct)).as("'%s*'", prefix).isTrue();
        });
        assertThat(Wildcards.pattern("repo:acme/web-api:**").run("repo:acme/web-api:ref:refs/heads/main")).isTrue();
        assertThat(Wildcards.pattern("repo:acme/web-api:*").run("repo:acme/web-api")).isFalse();
    }

    @Test
    void readableExampleIsTheShortestReadableWordOfTheLanguage() {
        dk.brics.automaton.Automaton readable = dk.brics.automaton.BasicAutomata.makeCharRange(' ', '~').repeat();
        Generated.forAll(1_000, random -> new String[] {word(random, "ab:/*?\u0001\u00e9", 8), word(random, "ab:/*?\u0001", 8)}, pair -> {
            dk.brics.automaton.Automaton language = Wildcards.union(java.util.List.of(Wildcards.pattern(pair[0]), Wildcards.pattern(pair[1])));
            dk.brics.automaton.Automaton nondeterministic = dk.brics.automaton.BasicOperations.union(Wildcards.pattern(pair[0]), Wildcards.literal(pair[1]));
            for (dk.brics.automaton.Automaton a : java.util.List.of(language, nondeterministic)) {
                java.util.Optional<String> viaProduct = Wildcards.example(a.intersection(readable)).or(() -> Wildcards.example(a));
                assertThat(Wildcards.readableExample(a)).as("'%s' | '%s'", pair[0], pair[1]).isEqualTo(viaProduct);
            }
        });
        assertThat(Wildcards.readableExample(Wildcards.literal("\u0001"))).contains("\u0001");
        assertThat(Wildcards.readableExample(dk.brics.automaton.BasicAutomata.makeEmpty())).isEmpty();
    }

    private static String word(Random random, String alphabet, int maxLength) {
        StringBuilder b = new StringBuilder();
        int n = random.nextInt(maxLength + 1);
        for (int i = 0; i < n; i++) {
            b.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return b.toString();
    }
}
