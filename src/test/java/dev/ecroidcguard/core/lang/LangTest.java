package dev.ecroidcguard.core.lang;

import dev.ecroidcguard.testing.Generated;
import dk.brics.automaton.Automaton;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** The language combinators, checked against their definitions on generated patterns and words. */
class LangTest {

    private static final String PATTERN_ALPHABET = "ab/:@*?";
    private static final String WORD_ALPHABET = "ab/:@";

    @Test
    void afterPrefixIsTheLeftQuotient() {
        Generated.forAll(500, r -> new String[] {word(r, PATTERN_ALPHABET, 7), word(r, WORD_ALPHABET, 3), word(r, WORD_ALPHABET, 5)}, t -> {
            Automaton language = Wildcards.pattern(t[0]);
            assertThat(Lang.afterPrefix(language, t[1]).run(t[2])).as("%s after %s on %s", t[0], t[1], t[2])
                    .isEqualTo(language.run(t[1] + t[2]));
        });
    }

    @Test
    void afterPrefixesQuotientsByALanguage() {
        Generated.forAll(300, r -> new String[] {word(r, PATTERN_ALPHABET, 7), word(r, PATTERN_ALPHABET, 3), word(r, WORD_ALPHABET, 5)}, t -> {
            Automaton language = Wildcards.pattern(t[0]);
            Automaton prefixes = Wildcards.pattern(t[1]);
            boolean expected = false;
            // Brute force over the prefixes of length at most 4 of the alphabet (patterns here are short).
            for (String p : words(WORD_ALPHABET, 4)) {
                if (prefixes.run(p) && language.run(p + t[2])) {
                    expected = true;
                    break;
                }
            }
            if (expected) {
                assertThat(Lang.afterPrefixes(language, prefixes).run(t[2])).as("%s after %s on %s", t[0], t[1], t[2]).isTrue();
            }
        });
    }

    @Test
    void segmentIsWhatPrecedesATerminator() {
        Automaton chars = Lang.charClass("ab", "");
        Generated.forAll(500, r -> new String[] {word(r, PATTERN_ALPHABET, 7), word(r, "ab", 4)}, t -> {
            Automaton language = Wildcards.pattern(t[0]);
            boolean expected = language.run(t[1]) || !language.intersection(Lang.cat(Lang.lit(t[1] + "/"), Automaton.makeAnyString())).isEmpty();
            assertThat(Lang.segment(language, chars, "/", true).run(t[1])).as("segment of %s on %s", t[0], t[1]).isEqualTo(expected);
        });
    }

    @Test
    void withIdsInsertsTheIdsAfterOwnerAndName() {
        Automaton owners = Lang.charClass("ab", "");
        Generated.forAll(300, r -> new String[] {word(r, "ab*?/", 6), word(r, "ab", 3), word(r, "ab", 3), word(r, "12", 2), word(r, "12", 2)}, t -> {
            Automaton ownerSlashName = Wildcards.pattern(t[0]).intersection(Lang.cat(Lang.plus(owners), Lang.lit("/"), Lang.plus(owners)));
            Automaton ids = Lang.plus(Lang.charClass("12", ""));
            String immutable = t[1] + "@" + t[3] + "/" + t[2] + "@" + t[4];
            boolean expected = ownerSlashName.run(t[1] + "/" + t[2]) && ids.run(t[3]) && ids.run(t[4]);
            assertThat(Lang.withIds(ownerSlashName, ids, ids, owners, owners).run(immutable)).as("%s on %s", t[0], immutable).isEqualTo(expected);
        });
    }

    @Test
    void ignoringCaseAcceptsExactlyTheCasings() {
        Automaton acme = Wildcards.ignoringCase("AcMe");
        assertThat(acme.run("acme")).isTrue();
        assertThat(acme.run("ACME")).isTrue();
        assertThat(acme.run("acm")).isFalse();
        assertThat(acme.getFiniteStrings()).hasSize(16);
    }

    private static String word(Random random, String alphabet, int maxLength) {
        StringBuilder b = new StringBuilder();
        int n = random.nextInt(maxLength + 1);
        for (int i = 0; i < n; i++) {
            b.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return b.toString();
    }

    private static java.util.List<String> words(String alphabet, int maxLength) {
        java.util.List<String> out = new java.util.ArrayList<>();
        out.add("");
        for (int length = 1, from = 0; length <= maxLength; length++) {
            int to = out.size();
            for (int i = from; i < to; i++) {
                for (char c : alphabet.toCharArray()) {
                    out.add(out.get(i) + c);
                }
            }
            from = to;
        }
        return out;
    }
}
