package dev.ecroidcguard.core.lang;

import dk.brics.automaton.Automaton;
import dk.brics.automaton.BasicAutomata;
import dk.brics.automaton.BasicOperations;
import dk.brics.automaton.State;
import dk.brics.automaton.Transition;

import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * IAM wildcard patterns as regular languages. In {@code StringLike}, {@code ArnLike} and in Action/Resource
 * elements {@code *} matches any run of characters (including none, and across {@code :} and {@code /}) and
 * {@code ?} exactly one; every other character is literal. Everything here returns fresh automata that the
 * caller may mutate: compiled patterns are cached (10,000 roles share a handful of patterns) and cloned.
 */
public final class Wildcards {

    /**
     * Patterns shared by many roles (actions, {@code *}, common ARNs) stay compiled; per-role patterns pass
     * through. Bounded by the states held, not by the number of entries (one pattern may have tens of thousands
     * of states), least recently used first out, so neither a 10,000-role account nor a hostile pattern fills the heap.
     */
    private static final int CACHE_STATES = 200_000;
    private static final StateBoundedCache<String, Automaton> PATTERNS = new StateBoundedCache<>(CACHE_STATES, Automaton::getNumberOfStates);
    private static final StateBoundedCache<String, Automaton> LITERALS = new StateBoundedCache<>(CACHE_STATES, Automaton::getNumberOfStates);

    private Wildcards() {
    }

    /** The language of an IAM wildcard pattern. */
    public static Automaton pattern(String pattern) {
        WorkBudget.checkDeadline();
        return cached(PATTERNS, pattern, Wildcards::compile);
    }

    /**
     * {@link #pattern}, but the cached automaton itself rather than a copy, for a caller that only reads it (every
     * dk.brics operation that builds an automaton copies its arguments; {@code determinize}, {@code minimize},
     * {@code reduce} and the like change it and must never be called on it). A string without wildcards is held as
     * a singleton, which reading would expand in place: that one is copied (a copy of a singleton costs nothing).
     * Copying the pattern for every condition that is only intersected or tested was a tenth of a drifted trust
     * policy's analysis.
     */
    public static Automaton sharedPattern(String pattern) {
        WorkBudget.checkDeadline();
        Automaton a = PATTERNS.get(pattern);
        if (a == null) {
            a = compile(pattern);
            PATTERNS.put(pattern, a);
        }
        return a.getSingleton() != null ? a.clone() : a;
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
        // Built directly as a chain of states, one per character: the minimal DFA of this language (each state is
        // told apart by how many characters remain), without the concatenations and Hopcroft pass.
        State initial = new State();
        State current = initial;
        for (char c : value.toCharArray()) {
            State next = new State();
            char lower = Character.toLowerCase(c);
            char upper = Character.toUpperCase(c);
            if (lower == upper) {
                current.addTransition(new Transition(c, next));
            } else {
                current.addTransition(new Transition(lower, next));
                current.addTransition(new Transition(upper, next));
            }
            current = next;
        }
        current.setAccept(true);
        Automaton result = new Automaton();
        result.setInitialState(initial);
        result.setDeterministic(true);
        result.restoreInvariant();
        return result;
    }

    /** A wildcard pattern whose literal characters match in any case (to recognise casing mistakes). */
    public static Automaton patternIgnoringCase(String pattern) {
        Automaton result = BasicAutomata.makeEmptyString();
        StringBuilder literal = new StringBuilder();
        for (char c : (pattern.replaceAll("\\*+", "*") + "\0").toCharArray()) { // a run of '*' is one '*'
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
        return Lang.min(result);
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
        WorkBudget.checkDeadline();
        Lang.chargeCopies(languages);
        return Lang.min(BasicOperations.union(languages));
    }

    /** True when the pattern contains a wildcard character. */
    public static boolean hasWildcard(String pattern) {
        return pattern.indexOf('*') >= 0 || pattern.indexOf('?') >= 0;
    }

    /**
     * Does the pattern (as a language) contain {@code word}? Decided by a direct glob match rather than by
     * building the pattern's automaton: the same language ({@code WildcardsTest} checks the two agree), at a
     * fraction of the cost when every role has its own pattern.
     */
    public static boolean matches(String pattern, String word) {
        int p = 0;
        int w = 0;
        int starP = -1;
        int starW = 0;
        while (w < word.length()) {
            if (p < pattern.length() && (pattern.charAt(p) == '?' || (pattern.charAt(p) != '*' && pattern.charAt(p) == word.charAt(w)))) {
                p++;
                w++;
            } else if (p < pattern.length() && pattern.charAt(p) == '*') {
                starP = p++;
                starW = w;
            } else if (starP >= 0) {
                p = starP + 1;
                w = ++starW;
            } else {
                return false;
            }
        }
        while (p < pattern.length() && pattern.charAt(p) == '*') {
            p++;
        }
        return p == pattern.length();
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
        if (a.getSingleton() != null) {
            return Optional.of(a.getSingleton()); // the only word, readable or not
        }
        Optional<String> nice = Optional.ofNullable(shortestWord(a, READABLE_MIN, READABLE_MAX));
        return nice.isPresent() ? nice : example(a);
    }

    private static final char READABLE_MIN = ' ';
    private static final char READABLE_MAX = '~';

    /**
     * The shortest word of {@code a} made of characters in {@code [min, max]}, the smallest of those in
     * lexicographic order; null when there is none. The same word {@link #example} gives for {@code a} intersected
     * with {@code [min, max]*} (dk.brics' search, breadth first, keeping per state the smallest of its shortest
     * paths), found on {@code a} itself by reading only the transitions' characters in the range: no product is
     * built. WildcardsTest checks the two agree. The walk goes no deeper than the first accepting state: every word
     * further down is longer.
     */
    static String shortestWord(Automaton a, char min, char max) {
        java.util.Map<State, String> path = new java.util.HashMap<>();
        java.util.ArrayDeque<State> queue = new java.util.ArrayDeque<>();
        path.put(a.getInitialState(), "");
        queue.add(a.getInitialState());
        String best = null;
        while (!queue.isEmpty()) {
            State q = queue.removeFirst();
            String p = path.get(q);
            if (q.isAccept()) {
                if (best == null || p.length() < best.length() || (p.length() == best.length() && p.compareTo(best) < 0)) {
                    best = p;
                }
                continue;
            }
            if (best != null && p.length() >= best.length()) {
                continue; // what it leads to is longer than the answer: the rest of the walk cannot change it
            }
            for (Transition t : q.getTransitions()) {
                char lo = (char) Math.max(t.getMin(), min);
                if (lo > Math.min(t.getMax(), max)) {
                    continue;
                }
                String known = path.get(t.getDest());
                String next = p + lo;
                if (known == null || (known.length() == next.length() && next.compareTo(known) < 0)) {
                    if (known == null) {
                        queue.addLast(t.getDest());
                    }
                    path.put(t.getDest(), next);
                }
            }
        }
        return best;
    }

    /** {@code sub ⊆ sup} without mutating either argument. */
    public static boolean subsetOf(Automaton sub, Automaton sup) {
        Automaton deterministic = sup; // determinised (a copy, under the budget) when it is not deterministic
        if (!sup.isDeterministic() || sup.getSingleton() != null) {
            deterministic = sup.clone();
            deterministic.expandSingleton();
            Lang.determinize(deterministic);
        }
        if (sub.getSingleton() != null) {
            return deterministic.run(sub.getSingleton());
        }
        // The pairs of a state of sub and the state of sup reached by the same word (null: sup has no run for it); a
        // word of sub that sup rejects ends in an accepting state of sub paired with a rejecting one (or none). The
        // same answer as dk.brics' subsetOf, walked on the automata as they are (it sorts every state's transitions).
        java.util.Deque<State[]> work = new java.util.ArrayDeque<>();
        java.util.Set<java.util.List<State>> seen = new java.util.HashSet<>();
        work.push(new State[] {sub.getInitialState(), deterministic.getInitialState()});
        List<int[]> covered = new java.util.ArrayList<>();
        while (!work.isEmpty()) {
            State[] pair = work.pop();
            State theirs = pair[1];
            if (!seen.add(java.util.Arrays.asList(pair[0], theirs))) {
                continue;
            }
            if (pair[0].isAccept() && (theirs == null || !theirs.isAccept())) {
                return false;
            }
            for (Transition t : pair[0].getTransitions()) {
                if (theirs == null) {
                    work.push(new State[] {t.getDest(), null});
                    continue;
                }
                covered.clear();
                for (Transition u : theirs.getTransitions()) {
                    int lo = Math.max(t.getMin(), u.getMin());
                    int hi = Math.min(t.getMax(), u.getMax());
                    if (lo <= hi) {
                        covered.add(new int[] {lo, hi});
                        work.push(new State[] {t.getDest(), u.getDest()});
                    }
                }
                covered.sort((x, y) -> Integer.compare(x[0], y[0]));
                int from = t.getMin(); // the first character of t's range not yet seen covered
                for (int[] c : covered) {
                    if (c[0] > from) {
                        break;
                    }
                    from = Math.max(from, c[1] + 1);
                }
                if (from <= t.getMax()) {
                    work.push(new State[] {t.getDest(), null});
                }
            }
        }
        return true;
    }

    private static Automaton cached(StateBoundedCache<String, Automaton> cache, String key, java.util.function.Function<String, Automaton> make) {
        Automaton a = cache.get(key);
        if (a == null) {
            a = make.apply(key);
            cache.put(key, a);
        }
        return a.clone();
    }

    /**
     * The pattern's automaton, built directly as the nondeterministic automaton with one state per pattern
     * position (no concatenations), then determinised under the {@link WorkBudget} and minimised. A run of
     * {@code *} is one {@code *}, so a thousand of them cost nothing.
     */
    private static Automaton compile(String pattern) {
        if (!hasWildcard(pattern)) {
            return BasicAutomata.makeString(pattern);
        }
        String p = pattern.replaceAll("\\*+", "*");
        if (p.indexOf('?') < 0 && p.indexOf('*') == p.length() - 1) {
            return literalThenAnything(p.substring(0, p.length() - 1));
        }
        return compileGeneral(p);
    }

    /**
     * The minimal automaton of {@code prefix*}, the commonest shape of a pattern ({@code repo:acme/web-api:*},
     * {@code repo:acme/*}), built directly: a chain of one state per prefix character into an accepting state
     * that reads anything. It is what {@link #compileGeneral} gives after its subset construction and Hopcroft
     * pass (the same states and transitions; WildcardsTest checks it), without their cost, which every role's own
     * pattern paid once. Its work is charged as the general construction's would be.
     */
    static Automaton literalThenAnything(String prefix) {
        int n = prefix.length();
        WorkBudget.charge((n + 2) + (1L + Lang.HOPCROFT_WEIGHT) * (n + 1));
        State initial = new State();
        State current = initial;
        for (int i = 0; i < n; i++) {
            State next = new State();
            current.addTransition(new Transition(prefix.charAt(i), next));
            current = next;
        }
        current.setAccept(true);
        current.addTransition(new Transition(Character.MIN_VALUE, Character.MAX_VALUE, current));
        Automaton result = new Automaton();
        result.setInitialState(initial);
        result.setDeterministic(true);
        return result;
    }

    /** Any pattern with a wildcard, runs of {@code *} collapsed: see {@link #compile}. */
    static Automaton compileGeneral(String p) {
        int n = p.length();
        WorkBudget.charge(n + 1);
        State[] at = new State[n + 1]; // at[i]: the first i pattern characters are matched
        for (int i = 0; i <= n; i++) {
            at[i] = new State();
        }
        for (int i = 0; i <= n; i++) {
            // From position i, a '*' may also match nothing: position i then also acts as position i + 1.
            for (int j = i; ; j++) {
                if (j == n) {
                    at[i].setAccept(true);
                    break;
                }
                char c = p.charAt(j);
                if (c == '*') {
                    at[i].addTransition(new Transition(Character.MIN_VALUE, Character.MAX_VALUE, at[j]));
                    continue;
                }
                at[i].addTransition(c == '?' ? new Transition(Character.MIN_VALUE, Character.MAX_VALUE, at[j + 1]) : new Transition(c, at[j + 1]));
                break;
            }
        }
        Automaton result = new Automaton();
        result.setInitialState(at[0]);
        result.setDeterministic(false);
        result.restoreInvariant();
        return Lang.min(result);
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
