package dev.ecroidcguard.core.permissions;

import dev.ecroidcguard.core.analysis.EcrActions;
import dev.ecroidcguard.core.lang.StateBoundedCache;
import dev.ecroidcguard.core.lang.Wildcards;
import dev.ecroidcguard.core.policy.Statement;
import dk.brics.automaton.Automaton;
import dk.brics.automaton.BasicAutomata;
import dk.brics.automaton.BasicOperations;
import dk.brics.automaton.RunAutomaton;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * The Action and Resource languages of statements, computed once per statement shape. Accounts repeat a few
 * shapes thousands of times (the baseline's seven actions, {@code "*"}), so the languages are memoised by the
 * element's values in LRU caches bounded by the states they hold; the cached automata are minimal and shared, so
 * nobody may mutate them (callers that need their own copy clone).
 *
 * <p>An element without wildcards and without Not- is a finite set of words; {@link #literalActions} and
 * {@link #literalResources} give that set directly, so the baseline's statements never build an automaton
 * (and the 10,000 distinct repository ARNs of a large account never enter a cache).
 */
final class StatementLanguages {

    /** A cached language: the minimal automaton and an immutable matcher for it. */
    record Language(Automaton automaton, RunAutomaton matcher, boolean allActionWords) {
        boolean contains(String word) {
            return matcher.run(word);
        }
    }

    /** Bounded by the states held (a hostile pattern's language can be large), not by the number of shapes. */
    private static final long CACHE_STATES = 400_000;
    private static final StateBoundedCache<Key, Language> ACTIONS = new StateBoundedCache<>(CACHE_STATES, l -> l.automaton().getNumberOfStates());
    private static final StateBoundedCache<Key, Language> RESOURCES = new StateBoundedCache<>(CACHE_STATES, l -> l.automaton().getNumberOfStates());

    /** Every word that can be a resource here: non-empty and printable (ARNs and {@code *}). */
    private static final Automaton RESOURCE_WORDS = minimal(BasicAutomata.makeCharRange(' ', '~').repeat(1));

    private record Key(boolean not, List<String> values) {
    }

    private StatementLanguages() {
    }

    /** Shared, read only. */
    static Automaton resourceWords() {
        return RESOURCE_WORDS;
    }

    static boolean isResourceWord(String s) {
        if (s.isEmpty()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < ' ' || c > '~') {
                return false;
            }
        }
        return true;
    }

    /** The lower-cased Action words of a statement with literal actions only (no NotAction, no wildcard); else null. */
    static Set<String> literalActions(Statement s) {
        if (s.notAction() || s.actions().stream().anyMatch(Wildcards::hasWildcard)) {
            return null;
        }
        Set<String> words = new LinkedHashSet<>();
        for (String a : s.actions()) {
            String lower = Wildcards.lower(a);
            if (EcrActions.isActionWord(lower)) {
                words.add(lower);
            }
        }
        return words;
    }

    /** The Resource words of a statement with literal resources only (no NotResource, no wildcard); else null. */
    static Set<String> literalResources(Statement s) {
        if (s.notResource() || s.resources().stream().anyMatch(Wildcards::hasWildcard)) {
            return null;
        }
        Set<String> words = new LinkedHashSet<>();
        for (String r : s.resources()) {
            if (isResourceWord(r)) {
                words.add(r);
            }
        }
        return words;
    }

    /** The Action (or complement of the NotAction) language, lower-cased and limited to action-shaped words. */
    static Language actions(Statement s) {
        return cached(ACTIONS, new Key(s.notAction(), List.copyOf(s.actions())), key -> {
            Automaton listed = Wildcards.union(key.values().stream().map(a -> Wildcards.pattern(Wildcards.lower(a))).toList());
            Automaton words = EcrActions.actionWords();
            Automaton language = minimal(key.not() ? words.minus(listed) : words.intersection(listed));
            return new Language(language, new RunAutomaton(language, false), Wildcards.subsetOf(words, language));
        });
    }

    /** The Resource (or complement of the NotResource) language over non-empty printable words. */
    static Language resources(Statement s) {
        return cached(RESOURCES, new Key(s.notResource(), List.copyOf(s.resources())), key -> {
            Automaton listed = Wildcards.anyOfPatterns(key.values());
            Automaton language = minimal(key.not() ? RESOURCE_WORDS.minus(listed) : RESOURCE_WORDS.intersection(listed));
            return new Language(language, new RunAutomaton(language, false), false);
        });
    }

    /** Does the statement's Action language contain the lower-case word? */
    static boolean actionsContain(Statement s, String lowerAction) {
        Set<String> literal = literalActions(s);
        return literal != null ? literal.contains(lowerAction) : actions(s).contains(lowerAction);
    }

    /** Does the statement's Resource language contain the word? */
    static boolean resourcesContain(Statement s, String resource) {
        Set<String> literal = literalResources(s);
        return literal != null ? literal.contains(resource) : resources(s).contains(resource);
    }

    /** A fresh minimal automaton of a finite set of words. */
    static Automaton finite(Set<String> words) {
        if (words.isEmpty()) {
            return BasicAutomata.makeEmpty();
        }
        Automaton a = BasicOperations.union(words.stream().map(BasicAutomata::makeString).toList());
        a.minimize();
        return a;
    }

    private static Language cached(StateBoundedCache<Key, Language> cache, Key key, Function<Key, Language> make) {
        Language hit = cache.get(key);
        if (hit != null) {
            return hit;
        }
        Language made = make.apply(key);
        cache.put(key, made);
        return made;
    }

    private static Automaton minimal(Automaton a) {
        a.minimize();
        return a;
    }
}
