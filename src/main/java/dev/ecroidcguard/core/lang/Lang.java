package dev.ecroidcguard.core.lang;

import dk.brics.automaton.Automaton;
import dk.brics.automaton.BasicAutomata;
import dk.brics.automaton.BasicOperations;
import dk.brics.automaton.State;
import dk.brics.automaton.Transition;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Small combinators over dk.brics automata, so grammars read like grammars. All results are fresh. Every
 * operation checks the {@link WorkBudget} of the running analysis, and the ones that can grow (determinisation,
 * product walks) charge the states they create to it.
 */
public final class Lang {

    /** What minimising costs per state, in states of the subset construction (measured: four to five times). */
    static final int HOPCROFT_WEIGHT = 4;

    private Lang() {
    }

    public static Automaton lit(String s) {
        WorkBudget.checkDeadline();
        return BasicAutomata.makeString(s);
    }

    /** One character from {@code ranges}, written as pairs "azAZ09" plus single characters in {@code singles}. */
    public static Automaton charClass(String ranges, String singles) {
        List<Automaton> parts = new ArrayList<>();
        for (int i = 0; i + 1 < ranges.length(); i += 2) {
            parts.add(BasicAutomata.makeCharRange(ranges.charAt(i), ranges.charAt(i + 1)));
        }
        if (!singles.isEmpty()) {
            parts.add(BasicAutomata.makeCharSet(singles));
        }
        return min(BasicOperations.union(parts));
    }

    /** Any single character except those in {@code excluded}. */
    public static Automaton anyCharExcept(String excluded) {
        return min(BasicAutomata.makeAnyChar().minus(BasicAutomata.makeCharSet(excluded)));
    }

    // dk.brics (with mutation of arguments disallowed, its default, which this project never changes) copies the
    // arguments of concatenate and union, so their results are fresh without copying the parts first.

    public static Automaton cat(Automaton... parts) {
        WorkBudget.checkDeadline();
        chargeCopies(List.of(parts));
        return BasicOperations.concatenate(List.of(parts));
    }

    public static Automaton or(Automaton... parts) {
        WorkBudget.checkDeadline();
        chargeCopies(List.of(parts));
        return BasicOperations.union(List.of(parts));
    }

    public static Automaton or(List<Automaton> parts) {
        WorkBudget.checkDeadline();
        chargeCopies(parts);
        return parts.isEmpty() ? BasicAutomata.makeEmpty() : BasicOperations.union(parts);
    }

    /** Union and concatenation copy their arguments: thousands of values make that work too. */
    static void chargeCopies(List<Automaton> parts) {
        long states = 0;
        for (Automaton part : parts) {
            Integer constant = part.getSingleton() == null ? CONSTANT_STATES.get(part.getInitialState()) : null;
            states += constant != null ? constant : part.getNumberOfStates();
        }
        WorkBudget.charge(states);
    }

    /**
     * The number of states of each {@link #constant}, counted once (dk.brics counts by walking the automaton), by
     * its initial state (dk.brics' states are equal only to themselves; an automaton's hash code would minimise
     * it), weakly: the mark goes with the automaton.
     */
    private static final Map<State, Integer> CONSTANT_STATES = java.util.Collections.synchronizedMap(new java.util.WeakHashMap<>());

    /**
     * Marks {@code a} as a constant: built once, shared, and never changed again (only read or copied), so its size
     * is counted once, not each time a copy of it is charged (a subject's context claim is a part of every
     * default-template subject language, another owner's name of every other-owner identity claim).
     */
    public static Automaton constant(Automaton a) {
        if (a.getSingleton() == null) {
            CONSTANT_STATES.put(a.getInitialState(), a.getNumberOfStates());
        }
        return a;
    }

    public static Automaton plus(Automaton a) {
        WorkBudget.checkDeadline();
        return a.clone().repeat(1);
    }

    public static Automaton star(Automaton a) {
        WorkBudget.checkDeadline();
        return a.clone().repeat();
    }

    public static Automaton and(Automaton a, Automaton b) {
        WorkBudget.checkDeadline();
        Automaton product = BasicOperations.intersection(a, b);
        WorkBudget.charge(product.getNumberOfStates());
        return product;
    }

    public static Automaton minus(Automaton a, Automaton b) {
        WorkBudget.checkDeadline();
        // The complement determinises b: done here first, under the budget.
        Automaton deterministic = b.clone();
        determinize(deterministic);
        if (a.getSingleton() != null || a.isEmpty() || deterministic.isEmpty()) {
            Automaton difference = BasicOperations.minus(a.clone(), deterministic); // its shortcuts for these
            WorkBudget.charge(difference.getNumberOfStates());
            return difference;
        }
        deterministic.expandSingleton();
        return minusDeterministic(a, deterministic);
    }

    /**
     * {@code a} minus the deterministic {@code d} (both with states, neither empty), as dk.brics' minus builds it
     * (the product of {@code a} with the complement of {@code d}, its dead states removed), walked from its start
     * without building the complement: a state of the product is a state of {@code a} with the state of {@code d}
     * reached (or none: the word left {@code d}, the complement's added sink). The same states and transitions
     * (LangTest checks it), the same work charged; neither argument is changed.
     */
    private static Automaton minusDeterministic(Automaton a, Automaton d) {
        record Pair(State state, State inD) {
        }
        Map<Pair, Integer> made = new HashMap<>();
        List<Pair> pairs = new ArrayList<>();
        List<List<int[]>> moves = new ArrayList<>();
        indexOf(new Pair(a.getInitialState(), d.getInitialState()), made, pairs);
        List<int[]> overlaps = new ArrayList<>();
        for (int at = 0; at < pairs.size(); at++) {
            Pair pair = pairs.get(at);
            List<int[]> out = new ArrayList<>();
            for (Transition t : pair.state().getTransitions()) {
                if (pair.inD() == null) {
                    out.add(new int[] {t.getMin(), t.getMax(), indexOf(new Pair(t.getDest(), null), made, pairs)});
                    continue;
                }
                overlaps.clear();
                for (Transition u : pair.inD().getTransitions()) {
                    int lo = Math.max(t.getMin(), u.getMin());
                    int hi = Math.min(t.getMax(), u.getMax());
                    if (lo <= hi) {
                        overlaps.add(new int[] {lo, hi});
                        out.add(new int[] {lo, hi, indexOf(new Pair(t.getDest(), u.getDest()), made, pairs)});
                    }
                }
                // What d has no move for leaves it: the complement's sink.
                overlaps.sort((x, y) -> Integer.compare(x[0], y[0]));
                int from = t.getMin();
                for (int[] o : overlaps) {
                    if (from < o[0]) {
                        out.add(new int[] {from, o[0] - 1, indexOf(new Pair(t.getDest(), null), made, pairs)});
                    }
                    from = Math.max(from, o[1] + 1);
                }
                if (from <= t.getMax()) {
                    out.add(new int[] {from, t.getMax(), indexOf(new Pair(t.getDest(), null), made, pairs)});
                }
            }
            moves.add(out);
        }
        boolean[] accept = new boolean[pairs.size()];
        for (int i = 0; i < accept.length; i++) {
            accept[i] = pairs.get(i).state().isAccept() && (pairs.get(i).inD() == null || !pairs.get(i).inD().isAccept());
        }
        Automaton difference = withoutDeadStates(accept, moves);
        difference.setDeterministic(a.isDeterministic());
        return difference;
    }

    /**
     * {@code minus(a, Wildcards.ignoringCase(word))}: that chain is already deterministic (one state per character),
     * so the product is walked directly ({@link #minusDeterministic}) with no determinising and no complement, which
     * were most of the cost, paid for every sub value and repository name. The same states, transitions and acceptance
     * dk.brics' minus builds (LangTest checks it), the same work charged.
     */
    public static Automaton minusIgnoringCase(Automaton a, String word) {
        if (a.getSingleton() != null) {
            return minus(a, Wildcards.ignoringCase(word));
        }
        WorkBudget.checkDeadline();
        if (a.isEmpty()) {
            return BasicAutomata.makeEmpty();
        }
        return minusDeterministic(a, Wildcards.ignoringCase(word));
    }

    private static <P> int indexOf(P pair, Map<P, Integer> made, List<P> pairs) {
        Integer i = made.get(pair);
        if (i == null) {
            i = pairs.size();
            made.put(pair, i);
            pairs.add(pair);
        }
        return i;
    }

    /**
     * The automaton of states {@code 0..n-1} (0 initial, every one reachable from it) with {@code accept} and
     * {@code moves} ({min, max, target}), as dk.brics' {@code removeDeadTransitions} leaves it: only the states
     * that can reach an accepting one (the initial one in any case), and per state and target the maximal ranges
     * of the characters that lead there (its {@code reduce}). The same states and transitions, without the walks
     * over the built automaton (its states, the live ones, the accepting ones, the sorted transitions) that made
     * that pass most of the cost of a small construction. Charges the states kept, as callers charged them.
     */
    static Automaton withoutDeadStates(boolean[] accept, List<List<int[]>> moves) {
        int n = accept.length;
        List<List<Integer>> into = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            into.add(new ArrayList<>());
        }
        for (int i = 0; i < n; i++) {
            for (int[] m : moves.get(i)) {
                into.get(m[2]).add(i);
            }
        }
        boolean[] live = new boolean[n];
        Deque<Integer> work = new ArrayDeque<>();
        for (int i = 0; i < n; i++) {
            if (accept[i]) {
                live[i] = true;
                work.add(i);
            }
        }
        while (!work.isEmpty()) {
            for (int from : into.get(work.poll())) {
                if (!live[from]) {
                    live[from] = true;
                    work.add(from);
                }
            }
        }
        State[] states = new State[n];
        int kept = 0;
        for (int i = 0; i < n; i++) {
            if (live[i] || i == 0) {
                states[i] = new State();
                states[i].setAccept(accept[i]);
                kept++;
            }
        }
        for (int i = 0; i < n; i++) {
            if (!live[i]) {
                continue;
            }
            // Per live target, its ranges in order of their first character, merged where they touch or overlap.
            List<int[]> out = new ArrayList<>();
            for (int[] m : moves.get(i)) {
                if (live[m[2]]) {
                    out.add(m);
                }
            }
            out.sort((x, y) -> x[2] != y[2] ? Integer.compare(x[2], y[2]) : x[0] != y[0] ? Integer.compare(x[0], y[0]) : Integer.compare(y[1], x[1]));
            int target = -1;
            int min = -1;
            int max = -1;
            for (int[] m : out) {
                if (m[2] == target && m[0] <= max + 1) {
                    max = Math.max(max, m[1]);
                    continue;
                }
                if (target >= 0) {
                    states[i].addTransition(new Transition((char) min, (char) max, states[target]));
                }
                target = m[2];
                min = m[0];
                max = m[1];
            }
            if (target >= 0) {
                states[i].addTransition(new Transition((char) min, (char) max, states[target]));
            }
        }
        Automaton result = new Automaton();
        result.setInitialState(states[0]);
        WorkBudget.charge(kept);
        return result;
    }

    public static Automaton min(Automaton a) {
        determinize(a);
        // Hopcroft on a deterministic automaton: no further blow-up, but dk.brics' takes several times as long per
        // state as the subset construction, and cannot be interrupted, so it is charged before it runs.
        WorkBudget.charge(HOPCROFT_WEIGHT * (long) a.getNumberOfStates());
        a.minimize();
        return a;
    }

    /**
     * Determinises {@code a} in place by the subset construction, like {@link Automaton#determinize} but charging
     * every state it creates to the {@link WorkBudget} (weighted by the number of states of {@code a} it stands
     * for, which is what its construction costs): this is where wildcard languages blow up (the deterministic
     * automaton of {@code *a???} remembers the last four characters). The result has no dead states.
     */
    public static void determinize(Automaton a) {
        WorkBudget.checkDeadline();
        if (a.isDeterministic() || a.getSingleton() != null) {
            return;
        }
        Set<State> initialSet = Set.of(a.getInitialState());
        Map<Set<State>, State> made = new HashMap<>();
        Deque<Set<State>> work = new ArrayDeque<>();
        State initial = new State();
        made.put(initialSet, initial);
        work.add(initialSet);
        WorkBudget.charge(1);
        TreeSet<Integer> points = new TreeSet<>();
        while (!work.isEmpty()) {
            Set<State> set = work.poll();
            State from = made.get(set);
            points.clear();
            for (State q : set) {
                if (q.isAccept()) {
                    from.setAccept(true);
                }
                for (Transition t : q.getTransitions()) {
                    points.add((int) t.getMin());
                    points.add(t.getMax() + 1);
                }
            }
            // Between two consecutive points every transition of the set either covers the whole interval or none of it.
            Integer low = null;
            for (int point : points) {
                if (low != null) {
                    Set<State> target = new HashSet<>();
                    for (State q : set) {
                        for (Transition t : q.getTransitions()) {
                            if (t.getMin() <= low && low <= t.getMax()) {
                                target.add(t.getDest());
                            }
                        }
                    }
                    if (!target.isEmpty()) {
                        State to = made.get(target);
                        if (to == null) {
                            to = new State();
                            made.put(target, to);
                            work.add(target);
                            WorkBudget.charge(target.size()); // the work of a new state grows with the states it stands for
                        }
                        from.addTransition(new Transition((char) (int) low, (char) (point - 1), to));
                    }
                }
                low = point;
            }
        }
        a.setInitialState(initial);
        a.setDeterministic(true);
        a.removeDeadTransitions();
    }

    /**
     * {@code item (sep item)*}. For a one-character separator this is one copy of {@code item} with a
     * {@code sep} edge from every accepting state back to the initial one (every path then splits at those edges
     * into words of {@code item}); cloning and concatenating large items is what made the general form costly.
     */
    public static Automaton separated(Automaton item, String separator) {
        WorkBudget.checkDeadline();
        if (separator.length() != 1) {
            return cat(item, star(cat(lit(separator), item)));
        }
        return separatedInPlace(item.clone(), separator.charAt(0));
    }

    /**
     * {@link #separated} on an automaton the caller owns (it is changed and returned). The back edges add no
     * state, so an item without dead states gives a result without dead states.
     */
    public static Automaton separatedInPlace(Automaton item, char separator) {
        item.expandSingleton();
        State initial = item.getInitialState();
        for (State s : item.getAcceptStates()) {
            s.addTransition(new Transition(separator, initial));
        }
        item.setDeterministic(false);
        return item;
    }

    /**
     * Whether {@code separated(or(items), separator)} and {@code other} share a word, without building the former:
     * the product is explored on the fly over a virtual automaton whose start state has the moves of every item's
     * start, and whose accepting positions also have a {@code separator} move back to that start. The items are only
     * read (they may be shared, e.g. grammar constants, and are concatenations read in place); the search stops at
     * the first accepting pair.
     */
    public static boolean separatedIntersects(List<Concatenation> items, char separator, Automaton other) {
        // A position of the virtual automaton: an item and a position in it; the start is item -1.
        record At(int item, Concatenation.Position position) {
        }
        At start = new At(-1, null);
        List<At> startMoves = new ArrayList<>(); // the virtual start's moves (targets), gathered once, with their ranges
        List<char[]> startRanges = new ArrayList<>();
        boolean startAccepts = false;
        for (int i = 0; i < items.size(); i++) {
            Concatenation item = items.get(i);
            startAccepts |= item.accepts(item.start());
            for (Concatenation.Move m : item.moves(item.start())) {
                startMoves.add(new At(i, m.to()));
                startRanges.add(new char[] {m.min(), m.max()});
            }
        }
        java.util.Deque<Object[]> work = new java.util.ArrayDeque<>();
        java.util.Set<java.util.List<Object>> seen = new java.util.HashSet<>();
        work.push(new Object[] {start, expanded(other).getInitialState()});
        List<At> targets = new ArrayList<>();
        List<char[]> ranges = new ArrayList<>();
        while (!work.isEmpty()) {
            Object[] pair = work.pop();
            At at = (At) pair[0];
            State theirs = (State) pair[1];
            if (!seen.add(java.util.List.of(at, theirs))) {
                continue;
            }
            WorkBudget.charge(1);
            boolean accepts = at == start ? startAccepts : items.get(at.item()).accepts(at.position());
            if (accepts && theirs.isAccept()) {
                return true;
            }
            targets.clear();
            ranges.clear();
            if (at == start) {
                targets.addAll(startMoves);
                ranges.addAll(startRanges);
            } else {
                for (Concatenation.Move m : items.get(at.item()).moves(at.position())) {
                    targets.add(new At(at.item(), m.to()));
                    ranges.add(new char[] {m.min(), m.max()});
                }
            }
            if (accepts) {
                targets.add(start);
                ranges.add(new char[] {separator, separator});
            }
            for (int k = 0; k < targets.size(); k++) {
                char[] range = ranges.get(k);
                for (Transition tb : theirs.getTransitions()) {
                    if (Math.max(range[0], tb.getMin()) <= Math.min(range[1], tb.getMax())) {
                        work.push(new Object[] {targets.get(k), tb.getDest()});
                    }
                }
            }
        }
        return false;
    }

    /** {@code a} itself, or an expanded copy when it is held as a singleton string (it has no states then). */
    static Automaton expanded(Automaton a) {
        if (a.getSingleton() == null) {
            return a;
        }
        Automaton copy = a.clone();
        copy.expandSingleton();
        return copy;
    }

    /**
     * Whether {@code a} accepts {@code word}: dk.brics' {@code run}, but on a nondeterministic automaton following
     * only the states the word reaches (dk.brics numbers every state of the automaton first, on each call).
     */
    public static boolean accepts(Automaton a, String word) {
        if (a.getSingleton() != null || a.isDeterministic()) {
            return a.run(word);
        }
        Set<State> current = Set.of(a.getInitialState());
        for (int i = 0; i < word.length() && !current.isEmpty(); i++) {
            char c = word.charAt(i);
            Set<State> next = new HashSet<>();
            for (State s : current) {
                for (Transition t : s.getTransitions()) {
                    if (t.getMin() <= c && c <= t.getMax()) {
                        next.add(t.getDest());
                    }
                }
            }
            current = next;
        }
        return current.stream().anyMatch(State::isAccept);
    }

    /**
     * Whether {@code a} and {@code b} share a word: the product is explored on the fly and the search stops at
     * the first pair of accepting states. Neither argument is changed; for emptiness only, this avoids building
     * (and pruning) the whole product that {@link Automaton#intersection} returns.
     */
    public static boolean intersects(Automaton a, Automaton b) {
        if (a.getSingleton() != null) {
            return b.run(a.getSingleton());
        }
        if (b.getSingleton() != null) {
            return a.run(b.getSingleton());
        }
        java.util.Deque<State[]> work = new java.util.ArrayDeque<>();
        java.util.Set<java.util.List<State>> seen = new java.util.HashSet<>();
        work.push(new State[] {a.getInitialState(), b.getInitialState()});
        while (!work.isEmpty()) {
            State[] pair = work.pop();
            if (!seen.add(java.util.List.of(pair[0], pair[1]))) {
                continue;
            }
            WorkBudget.charge(1);
            if (pair[0].isAccept() && pair[1].isAccept()) {
                return true;
            }
            for (Transition ta : pair[0].getTransitions()) {
                for (Transition tb : pair[1].getTransitions()) {
                    if (Math.max(ta.getMin(), tb.getMin()) <= Math.min(ta.getMax(), tb.getMax())) {
                        work.push(new State[] {ta.getDest(), tb.getDest()});
                    }
                }
            }
        }
        return false;
    }

    /**
     * The left quotient: words {@code w} such that {@code prefix + w} is in {@code a}. Used to look at what a
     * pattern allows after a fixed start (e.g. the repository names after {@code repo:acme/}).
     */
    public static Automaton afterPrefix(Automaton a, String prefix) {
        Automaton d = a.clone();
        d.expandSingleton();
        determinize(d);
        State s = d.getInitialState();
        for (char c : prefix.toCharArray()) {
            s = s.step(c);
            if (s == null) {
                return BasicAutomata.makeEmpty();
            }
        }
        d.setInitialState(s);
        d.removeDeadTransitions();
        return d;
    }

    /**
     * The left quotient by a language: words {@code w} such that {@code p + w} is in {@code a} for some
     * {@code p} in {@code prefixes}.
     */
    public static Automaton afterPrefixes(Automaton a, Automaton prefixes) {
        Automaton d = a.clone();
        d.expandSingleton();
        determinize(d);
        Automaton p = prefixes; // only read: copied only to be determinised
        if (!p.isDeterministic() || p.getSingleton() != null) {
            p = prefixes.clone();
            p.expandSingleton();
            determinize(p);
        }
        // Walk the product of p and d; every d-state paired with an accepting p-state starts a suffix.
        java.util.Set<State> starts = new java.util.HashSet<>();
        java.util.Deque<State[]> work = new java.util.ArrayDeque<>();
        java.util.Set<java.util.List<State>> seen = new java.util.HashSet<>();
        work.push(new State[] {p.getInitialState(), d.getInitialState()});
        while (!work.isEmpty()) {
            State[] pair = work.pop();
            if (!seen.add(java.util.List.of(pair[0], pair[1]))) {
                continue;
            }
            WorkBudget.charge(1);
            if (pair[0].isAccept()) {
                starts.add(pair[1]);
            }
            for (Transition tp : pair[0].getTransitions()) {
                for (Transition td : pair[1].getTransitions()) {
                    char lo = (char) Math.max(tp.getMin(), td.getMin());
                    char hi = (char) Math.min(tp.getMax(), td.getMax());
                    if (lo <= hi) {
                        work.push(new State[] {tp.getDest(), td.getDest()});
                    }
                }
            }
        }
        if (starts.isEmpty()) {
            return BasicAutomata.makeEmpty();
        }
        State init = new State();
        java.util.List<dk.brics.automaton.StatePair> epsilons = new ArrayList<>();
        for (State s : starts) {
            epsilons.add(new dk.brics.automaton.StatePair(init, s));
        }
        d.setInitialState(init);
        d.addEpsilons(epsilons);
        d.removeDeadTransitions();
        return d; // not minimised: callers intersect it or determinise it again (see segment)
    }

    /**
     * The segment language: words {@code w} over {@code segmentChars} such that {@code a} accepts some word
     * {@code w t ...} where {@code t} is one of the {@code terminators}, or accepts {@code w} itself when
     * {@code endTerminates}. E.g. the owner names a {@code repo:} pattern admits, read up to {@code /} or {@code @}.
     */
    public static Automaton segment(Automaton a, Automaton segmentChars, String terminators, boolean endTerminates) {
        Automaton d = a.clone();
        d.expandSingleton();
        if (d.isDeterministic()) {
            d.removeDeadTransitions();
        } else {
            determinize(d); // its result has no dead states
        }
        Map<State, State> copy = new HashMap<>();
        for (State s : d.getStates()) {
            copy.put(s, new State());
        }
        for (State s : d.getStates()) {
            State c = copy.get(s);
            boolean accept = endTerminates && s.isAccept();
            for (Transition t : s.getTransitions()) {
                for (char term : terminators.toCharArray()) {
                    if (t.getMin() <= term && term <= t.getMax()) {
                        accept = true;
                    }
                }
                c.addTransition(new Transition(t.getMin(), t.getMax(), copy.get(t.getDest())));
            }
            c.setAccept(accept);
        }
        Automaton result = new Automaton();
        result.setInitialState(copy.get(d.getInitialState()));
        result.setDeterministic(true);
        result.restoreInvariant();
        // An intersection has no dead states; it is not minimised, as its callers only intersect it further or test it.
        return BasicOperations.intersection(result, star(segmentChars));
    }

    /**
     * Inserts IDs into an {@code Owner/Name} language: {@code Owner@OWNERID/Name@REPOID} for every
     * {@code Owner/Name} in {@code ownerSlashName}, owner ID in {@code ownerIds}, repository ID in {@code repoIds}.
     * (GitHub's immutable subject form; owner and repository names never contain {@code @} or {@code /}.)
     */
    public static Automaton withIds(Automaton ownerSlashName, Automaton ownerIds, Automaton repoIds, Automaton ownerChars,
                                    Automaton nameChars) {
        Automaton d = ownerSlashName.clone();
        d.expandSingleton();
        determinize(d);
        d.removeDeadTransitions();
        // Build the inverse image under "erase every @ID": each state may skip an '@' followed by digits, then
        // continue with '/' (owner part) or end (name part). The shape intersection below pins where IDs go.
        Map<State, State> copy = new HashMap<>();
        Map<State, State> skip = new HashMap<>();
        for (State s : d.getStates()) {
            copy.put(s, new State());
            skip.put(s, new State());
        }
        for (State s : d.getStates()) {
            State c = copy.get(s);
            State k = skip.get(s);
            c.setAccept(s.isAccept());
            for (Transition t : s.getTransitions()) {
                c.addTransition(new Transition(t.getMin(), t.getMax(), copy.get(t.getDest())));
            }
            c.addTransition(new Transition('@', k));
            k.addTransition(new Transition('0', '9', k));
            State afterSlash = s.step('/');
            if (afterSlash != null) {
                k.addTransition(new Transition('/', copy.get(afterSlash)));
            }
            k.setAccept(s.isAccept());
        }
        Automaton erased = new Automaton();
        erased.setInitialState(copy.get(d.getInitialState()));
        erased.setDeterministic(false);
        erased.restoreInvariant();
        Automaton shape = cat(plus(ownerChars), lit("@"), ownerIds, lit("/"), plus(nameChars), lit("@"), repoIds);
        return min(and(erased, shape));
    }
}
