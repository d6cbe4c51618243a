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

    private static String word(Random random, String alphabet, int maxLength) {
        StringBuilder b = new StringBuilder();
        int n = random.nextInt(maxLength + 1);
        for (int i = 0; i < n; i++) {
            b.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return b.toString();
    }
}
