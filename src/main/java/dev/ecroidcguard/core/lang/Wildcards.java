package dev.ecroidcguard.core.lang;

import dk.brics.automaton.Automaton;
import dk.brics.automaton.BasicAutomata;
import dk.brics.automaton.BasicOperations;
import dk.brics.automaton.RunAutomaton;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * IAM wildcard patterns as regular languages. In {@code StringLike}, {@code ArnLike} and in Action/Resource
 * elements {@code *} matches any run of characters (including none, and across {@code :} and {@code /}) and
 * {@code ?} exactly one; every other character is literal. Everything here returns fresh automata that the
 * caller may mutate: compiled patterns are cached (10,000 roles share a handful of patterns) and cloned.
 * The caches are bounded LRU maps: a large account also has one distinct pattern per repository (its ARN, its
 * subject), which must not stay in memory for the whole scan.
 */
public final class Wildcards {

    private static final int CACHE_LIMIT = 2_048;
    private static final Map<String, Automaton> PATTERNS = lru();
    private static final Map<String, Automaton> LITERALS = lru();
    private static final Map<String, RunAutomaton> MATCHERS = lru();

    private Wildcards() {
    }

    /** The language of an IAM wildcard pattern. */
    public static Automaton pattern(String pattern) {
        return cached(PATTERNS, pattern, Wildcards::compile);
    }

    /** The one-word language {@code {value}}: for StringEquals, where {@code *} is a literal character. */
    public static Automaton literal(String value) {
        return cached(LITERALS, value, v -> {
            Automaton a = BasicAutomata.makeString(v);
            a.minimize();
            return a;
        });
    }

    /** Every casing of {@code value}: StringEqualsIgnoreCase. */
    public static Automaton ignoringCase(String value) {
        Automaton result = BasicAutomata.makeEmptyString();
        for (char c : value.toCharArray()) {
            char lower = Character.toLowerCase(c);
            char upper = Character.toUpperCase(c);
            Automaton one = lower == upper ? BasicAutomata.makeChar(c)
                    : BasicOperations.union(BasicAutomata.makeChar(lower), BasicAutomata.makeChar(upper));
            result = BasicOperations.concatenate(result, one);
        }
        result.minimize();
        return result;
    }

    /** A wildcard pattern whose literal characters match in any case (to recognise casing mistakes). */
    public static Automaton patternIgnoringCase(String pattern) {
        Automaton result = BasicAutomata.makeEmptyString();
        StringBuilder literal = new StringBuilder();
        for (char c : (pattern + "\0").toCharArray()) {
            boolean end = c == '\0';
            if (end || c == '*' || c == '?') {
                if (!literal.isEmpty()) {
                    result = BasicOperations.concatenate(result, ignoringCase(literal.toString()));
                    literal.setLength(0);
                }
                if (!end) {
                    result = BasicOperations.concatenate(result, c == '*' ? BasicAutomata.makeAnyString() : BasicAutomata.makeAnyChar());
                }
            } else {
                literal.append(c);
            }
        }
        result.minimize();
        return result;
    }

    /** Union of patterns (values listed for one key are ORed). */
    public static Automaton anyOfPatterns(Collection<String> patterns) {
        return union(patterns.stream().map(Wildcards::pattern).toList());
    }

    public static Automaton union(List<Automaton> languages) {
        if (languages.isEmpty()) {
            return BasicAutomata.makeEmpty();
        }
        if (languages.size() == 1) {
            return languages.get(0);
        }
        Automaton result = BasicOperations.union(languages);
        result.minimize();
        return result;
    }

    /** True when the pattern contains a wildcard character. */
    public static boolean hasWildcard(String pattern) {
        return pattern.indexOf('*') >= 0 || pattern.indexOf('?') >= 0;
    }

    /** Does the pattern (as a language) contain {@code word}? (A compiled, immutable matcher: safe to share.) */
    public static boolean matches(String pattern, String word) {
        RunAutomaton matcher;
        synchronized (MATCHERS) {
            matcher = MATCHERS.get(pattern);
        }
        if (matcher == null) {
            // Not tableized: a tableized matcher holds a 65,536-entry class map (256 KiB) per pattern.
            matcher = new RunAutomaton(pattern(pattern), false);
            synchronized (MATCHERS) {
                MATCHERS.put(pattern, matcher);
            }
        }
        return matcher.run(word);
    }

    /** A shortest word of {@code a}, preferring the smallest characters; empty when the language is empty. */
    public static Optional<String> example(Automaton a) {
        return Optional.ofNullable(BasicOperations.getShortestExample(a, true));
    }

    /**
     * An example word of {@code a} made readable: where the shortest word would use control or other odd
     * characters for a wildcard, prefer one whose free characters are letters or digits.
     */
    public static Optional<String> readableExample(Automaton a) {
        Automaton readable = a.intersection(BasicAutomata.makeCharRange(' ', '~').repeat());
        Optional<String> nice = example(readable);
        return nice.isPresent() ? nice : example(a);
    }

    /** {@code sub ⊆ sup} without mutating either argument. */
    public static boolean subsetOf(Automaton sub, Automaton sup) {
        return sub.clone().subsetOf(sup.clone());
    }

    private static Automaton cached(Map<String, Automaton> cache, String key, java.util.function.Function<String, Automaton> make) {
        Automaton a;
        synchronized (cache) {
            a = cache.get(key);
        }
        if (a == null) {
            a = make.apply(key);
            synchronized (cache) {
                cache.put(key, a);
            }
        }
        synchronized (cache) {
            // clone() reads the shared automaton: not concurrently with another clone of it.
            return a.clone();
        }
    }

    /** A bounded map in access order (least recently used first out); callers synchronise on it. */
    private static <V> Map<String, V> lru() {
        return new LinkedHashMap<>(256, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, V> eldest) {
                return size() > CACHE_LIMIT;
            }
        };
    }

    private static Automaton compile(String pattern) {
        Automaton result = BasicAutomata.makeEmptyString();
        StringBuilder literal = new StringBuilder();
        for (char c : pattern.toCharArray()) {
            if (c == '*' || c == '?') {
                if (!literal.isEmpty()) {
                    result = BasicOperations.concatenate(result, BasicAutomata.makeString(literal.toString()));
                    literal.setLength(0);
                }
                result = BasicOperations.concatenate(result, c == '*' ? BasicAutomata.makeAnyString() : BasicAutomata.makeAnyChar());
            } else {
                literal.append(c);
            }
        }
        if (!literal.isEmpty()) {
            result = BasicOperations.concatenate(result, BasicAutomata.makeString(literal.toString()));
        }
        result.minimize();
        return result;
    }

    /** The literal text before the first wildcard character. */
    public static String literalPrefix(String pattern) {
        int star = pattern.indexOf('*');
        int question = pattern.indexOf('?');
        int end = star < 0 ? question : question < 0 ? star : Math.min(star, question);
        return end < 0 ? pattern : pattern.substring(0, end);
    }

    /** Lower-cases a pattern for case-insensitive element matching (IAM action names). */
    public static String lower(String s) {
        return s.toLowerCase(Locale.ROOT);
    }
}
