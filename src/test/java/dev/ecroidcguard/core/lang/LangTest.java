package dev.ecroidcguard.core.lang;

import dev.ecroidcguard.testing.Generated;
import dk.brics.automaton.Automaton;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static dev.ecroidcguard.testing.IndependentIamEvaluator.like;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The language combinators, checked against their definitions on generated patterns and words. The expected
 * answers come from outside the automata: wildcard matching by regular expression
 * ({@link dev.ecroidcguard.testing.IndependentIamEvaluator#like}) and {@link #shareAWord}, a direct decision of
 * whether two wildcard patterns have a word in common. Each property is checked in both directions (the
 * combinator accepts exactly the expected words), and each test asserts that its inputs reached both answers.
 */
class LangTest {

    private static final String PATTERN_ALPHABET = "ab/:@*?";
    private static final String WORD_ALPHABET = "ab/:@";
    /** Each answer (accepted, rejected) must be the expected one for at least this share of the inputs. */
    private static final double MIN_SHARE = 5.0;

    @Test
    void minusIgnoringCaseIsTheProductMinusBuilds() {
        Generated.forAll(600, r -> new String[] {word(r, "aAbB.:*?", 6), word(r, "aAbB.-", 4), String.valueOf(r.nextInt(3))}, t -> {
            Automaton a = switch (t[2]) {
                case "0" -> Wildcards.pattern(t[0]);                                                     // deterministic
                case "1" -> dk.brics.automaton.BasicOperations.union(Wildcards.pattern(t[0]), Lang.star(Lang.charClass("ab", ".")));  // not
                default -> dev.ecroidcguard.core.github.SubjectGrammar.NAME;
            };
            Automaton expected = Lang.minus(a, Wildcards.ignoringCase(t[1]));
            Automaton direct = Lang.minusIgnoringCase(a, t[1]);
            assertThat(direct).as("%s minus %s", t[0], t[1]).isEqualTo(expected); // the same language (dk.brics' equals)
            assertThat(direct.getNumberOfStates()).as("states of %s minus %s", t[0], t[1]).isEqualTo(expected.getNumberOfStates());
            assertThat(direct.getNumberOfTransitions()).isEqualTo(expected.getNumberOfTransitions());
            assertThat(direct.isDeterministic()).isEqualTo(expected.isDeterministic());
            assertThat(direct.isEmpty()).isEqualTo(expected.isEmpty());
            assertThat(direct.isFinite()).isEqualTo(expected.isFinite());
        });
        assertThat(Lang.minusIgnoringCase(Wildcards.pattern("*"), "ab").run("aB")).isFalse();
        assertThat(Lang.minusIgnoringCase(Wildcards.pattern("*"), "ab").run("abc")).isTrue();
    }

    @Test
    void minusIsTheAutomatonDkBricsMinusBuilds() {
        int[] empty = new int[2];
        Generated.forAll(800, r -> new String[] {word(r, "ab.:*?", 6), word(r, "ab.:*?", 5), String.valueOf(r.nextInt(5))}, t -> {
            Automaton a = switch (t[2]) {
                case "0" -> Wildcards.pattern(t[0]);                                                                  // deterministic
                case "1" -> dk.brics.automaton.BasicOperations.union(Wildcards.pattern(t[0]), Lang.star(Lang.charClass("ab", ".")));  // not
                default -> dev.ecroidcguard.core.github.SubjectGrammar.NAME;
            };
            Automaton b = switch (t[2]) {
                case "3" -> Automaton.makeStringUnion(new java.util.TreeSet<>(List.of(t[1] + "a", t[0] + "b", "a.b")).toArray(String[]::new)); // words
                case "4" -> dk.brics.automaton.BasicOperations.union(Wildcards.pattern(t[1]), Wildcards.literal(t[0])); // not deterministic
                default -> Wildcards.pattern(t[1]);                                                                     // maybe a singleton
            };
            Automaton expected = dk.brics.automaton.BasicOperations.minus(a.clone(), b.clone());
            Automaton direct = Lang.minus(a, b);
            empty[direct.isEmpty() ? 0 : 1]++;
            assertThat(direct).as("%s minus %s", t[0], t[1]).isEqualTo(expected); // the same language (dk.brics' equals)
            assertThat(direct.getNumberOfStates()).as("states of %s minus %s", t[0], t[1]).isEqualTo(expected.getNumberOfStates());
            assertThat(direct.getNumberOfTransitions()).isEqualTo(expected.getNumberOfTransitions());
            assertThat(direct.isDeterministic()).isEqualTo(expected.isDeterministic());
            assertThat(direct.isFinite()).isEqualTo(expected.isFinite());
        });
        assertThat(empty[0]).as("empty differences").isPositive();
        assertThat(empty[1]).as("non-empty differences").isPositive();
    }

    @Test
    void subsetOfAgreesWithDkBrics() {
        int[] answers = new int[2];
        Generated.forAll(1500, r -> new String[] {word(r, "ab:*?", 5), word(r, "ab:*?", 5), String.valueOf(r.nextInt(3))}, t -> {
            Automaton sub = t[2].equals("0") ? dk.brics.automaton.BasicOperations.union(Wildcards.pattern(t[0]), Wildcards.literal(t[1]))
                    : Wildcards.pattern(t[0]);
            Automaton sup = switch (t[2]) {
                case "1" -> dk.brics.automaton.BasicOperations.union(Wildcards.pattern(t[1]), Wildcards.pattern("a" + t[0])); // not deterministic
                case "2" -> Wildcards.literal(t[1]);                                                                           // a singleton
                default -> Wildcards.pattern(t[1]);
            };
            boolean expected = sub.clone().subsetOf(sup.clone());
            answers[expected ? 1 : 0]++;
            assertThat(Wildcards.subsetOf(sub, sup)).as("%s within %s (%s)", t[0], t[1], t[2]).isEqualTo(expected);
            assertThat(Wildcards.subsetOf(sup, sub)).as("%s within %s (%s)", t[1], t[0], t[2]).isEqualTo(sup.clone().subsetOf(sub.clone()));
        });
        assertThat(answers[0]).as("not subsets").isPositive();
        assertThat(answers[1]).as("subsets").isGreaterThan(20);
    }

    @Test
    void acceptsIsMembership() {
        int[] answers = new int[2];
        Generated.forAll(1500, r -> new String[] {word(r, PATTERN_ALPHABET, 5), word(r, PATTERN_ALPHABET, 5), word(r, WORD_ALPHABET, 6)}, t -> {
            Automaton either = dk.brics.automaton.BasicOperations.union(Wildcards.pattern(t[0]), Wildcards.pattern(t[1])); // not deterministic
            boolean expected = like(t[0], t[2]) || like(t[1], t[2]);
            answers[expected ? 1 : 0]++;
            assertThat(Lang.accepts(either, t[2])).as("%s or %s on %s", t[0], t[1], t[2]).isEqualTo(expected);
            assertThat(Lang.accepts(Wildcards.pattern(t[0]), t[2])).isEqualTo(like(t[0], t[2]));
        });
        assertThat(answers[0]).as("rejected").isGreaterThan(50);
        assertThat(answers[1]).as("accepted").isGreaterThan(50);
    }

    @Test
    void afterPrefixIsTheLeftQuotient() {
        List<Boolean> answers = new ArrayList<>();
        Generated.forAll(500, LangTest::patternPrefixAndRest, t -> {
            boolean expected = like(t[0], t[1] + t[2]);
            assertThat(Lang.afterPrefix(Wildcards.pattern(t[0]), t[1]).run(t[2])).as("%s after %s on %s", t[0], t[1], t[2]).isEqualTo(expected);
            answers.add(expected);
        });
        assertBothAnswers(answers);
    }

    @Test
    void afterPrefixesQuotientsByALanguage() {
        List<Boolean> answers = new ArrayList<>();
        Generated.forAll(300, r -> new String[] {word(r, PATTERN_ALPHABET, 7), word(r, PATTERN_ALPHABET, 3), word(r, WORD_ALPHABET, 5)}, t -> {
            // Some p matched by t[1] with p + t[2] matched by t[0]: the patterns t[0] and t[1] + t[2] share a word.
            boolean expected = shareAWord(t[0], t[1] + t[2]);
            assertThat(Lang.afterPrefixes(Wildcards.pattern(t[0]), Wildcards.pattern(t[1])).run(t[2]))
                    .as("%s after %s on %s", t[0], t[1], t[2]).isEqualTo(expected);
            answers.add(expected);
        });
        assertBothAnswers(answers);
    }

    @Test
    void segmentIsWhatPrecedesATerminator() {
        Automaton chars = Lang.charClass("ab", "");
        List<Boolean> answers = new ArrayList<>();
        Generated.forAll(500, r -> new String[] {word(r, PATTERN_ALPHABET, 7), word(r, "ab", 4)}, t -> {
            // The pattern matches the word itself (the end terminates), or some word starting with it and "/".
            boolean expected = like(t[0], t[1]) || shareAWord(t[0], t[1] + "/*");
            assertThat(Lang.segment(Wildcards.pattern(t[0]), chars, "/", true).run(t[1])).as("segment of %s on %s", t[0], t[1])
                    .isEqualTo(expected);
            answers.add(expected);
        });
        assertBothAnswers(answers);
    }

    @Test
    void withIdsInsertsTheIdsAfterOwnerAndName() {
        Automaton owners = Lang.charClass("ab", "");
        Automaton ids = Lang.plus(Lang.charClass("12", ""));
        List<Boolean> answers = new ArrayList<>();
        Generated.forAll(300, LangTest::ownerSlashNamePatternAndIds, t -> {
            Automaton ownerSlashName = Wildcards.pattern(t[0]).intersection(Lang.cat(Lang.plus(owners), Lang.lit("/"), Lang.plus(owners)));
            String immutable = t[1] + "@" + t[3] + "/" + t[2] + "@" + t[4];
            // Owner and name are non-empty words over "ab" by construction when non-empty; so are the IDs over "12".
            boolean expected = !t[1].isEmpty() && !t[2].isEmpty() && like(t[0], t[1] + "/" + t[2]) && !t[3].isEmpty() && !t[4].isEmpty();
            assertThat(Lang.withIds(ownerSlashName, ids, ids, owners, owners).run(immutable)).as("%s on %s", t[0], immutable).isEqualTo(expected);
            answers.add(expected);
        });
        assertBothAnswers(answers);
    }

    @Test
    void ignoringCaseAcceptsExactlyTheCasings() {
        Automaton acme = Wildcards.ignoringCase("AcMe");
        assertThat(acme.run("acme")).isTrue();
        assertThat(acme.run("ACME")).isTrue();
        assertThat(acme.run("acm")).isFalse();
        assertThat(acme.run("acmee")).isFalse();
        assertThat(acme.getFiniteStrings()).hasSize(16).contains("aCmE", "AcMe");
    }

    @Test
    void shareAWordDecidesCommonWords() {
        assertThat(shareAWord("a*b", "*b")).isTrue();
        assertThat(shareAWord("a*", "b*")).isFalse();
        assertThat(shareAWord("a?c", "*bc")).isTrue();
        assertThat(shareAWord("ab", "a")).isFalse();
        assertThat(shareAWord("*", "")).isTrue();
        assertThat(shareAWord("?", "")).isFalse();
        assertThat(shareAWord("a*a", "*b*")).isTrue();
    }

    /** The tests' inputs reached both answers, each for a fair share: a property that checked one side only proves little. */
    private static void assertBothAnswers(List<Boolean> answers) {
        assertThat(answers).as("checked cases").isNotEmpty();
        assertThat(Generated.percentage(answers, a -> a, true)).as("share of inputs the combinator must accept").isGreaterThanOrEqualTo(MIN_SHARE);
        assertThat(Generated.percentage(answers, a -> a, false)).as("share of inputs the combinator must reject").isGreaterThanOrEqualTo(MIN_SHARE);
    }

    /**
     * Do two wildcard patterns ({@code *} any run, {@code ?} one character, else literal) match a common word?
     * Decided directly on the patterns: a star either ends here or absorbs the next character the other pattern
     * produces (when both are stars, a character both absorb can be dropped from the common word).
     */
    static boolean shareAWord(String a, String b) {
        boolean[][] share = new boolean[a.length() + 1][b.length() + 1];
        for (int i = a.length(); i >= 0; i--) {
            for (int j = b.length(); j >= 0; j--) {
                boolean aEnds = i == a.length();
                boolean bEnds = j == b.length();
                if (aEnds && bEnds) {
                    share[i][j] = true;
                } else if (!aEnds && a.charAt(i) == '*') {
                    share[i][j] = share[i + 1][j] || (!bEnds && share[i][j + 1]);
                } else if (!bEnds && b.charAt(j) == '*') {
                    share[i][j] = share[i][j + 1] || (!aEnds && share[i + 1][j]);
                } else {
                    share[i][j] = !aEnds && !bEnds && (a.charAt(i) == '?' || b.charAt(j) == '?' || a.charAt(i) == b.charAt(j))
                            && share[i + 1][j + 1];
                }
            }
        }
        return share[0][0];
    }

    /** A pattern, a prefix and a rest; half of the time prefix + rest is a word the pattern matches, split at random. */
    private static String[] patternPrefixAndRest(Random r) {
        String pattern = word(r, PATTERN_ALPHABET, 7);
        if (Generated.chance(r, 0.5)) {
            String matched = instance(r, pattern, WORD_ALPHABET);
            int split = r.nextInt(matched.length() + 1);
            return new String[] {pattern, matched.substring(0, split), matched.substring(split)};
        }
        return new String[] {pattern, word(r, WORD_ALPHABET, 3), word(r, WORD_ALPHABET, 5)};
    }

    /**
     * A pattern (mostly of the shape owner/name), owner, name and two IDs; half of the time owner/name is a word
     * the pattern matches.
     */
    private static String[] ownerSlashNamePatternAndIds(Random r) {
        String pattern = Generated.chance(r, 0.7) ? word(r, "ab*?", 3) + "/" + word(r, "ab*?", 3) : word(r, "ab*?/", 6);
        String[] ownerAndName = Generated.chance(r, 0.5) ? instance(r, pattern, "ab").split("/", -1) : new String[0];
        boolean matched = ownerAndName.length == 2;
        return new String[] {pattern, matched ? ownerAndName[0] : word(r, "ab", 3), matched ? ownerAndName[1] : word(r, "ab", 3),
                word(r, "12", 2), word(r, "12", 2)};
    }

    /** A word the pattern matches: each {@code ?} one character of {@code alphabet}, each {@code *} up to two. */
    private static String instance(Random r, String pattern, String alphabet) {
        StringBuilder b = new StringBuilder();
        for (char c : pattern.toCharArray()) {
            b.append(c == '*' ? word(r, alphabet, 2) : c == '?' ? String.valueOf(alphabet.charAt(r.nextInt(alphabet.length()))) : String.valueOf(c));
        }
        return b.toString();
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
