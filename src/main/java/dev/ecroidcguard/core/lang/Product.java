package dev.ecroidcguard.core.lang;

import dk.brics.automaton.Automaton;
import dk.brics.automaton.State;
import dk.brics.automaton.Transition;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The intersection of languages, each given as a concatenation of automata, explored on the fly and never built:
 * the automata are only read (shared grammar constants such as a subject's context claim are neither copied nor
 * changed), and a search stops at its first answer. What {@code cat} then {@code intersection} would build, for
 * the two questions asked of it: is it empty, and what is its readable example.
 *
 * <p>A position in one language is a part and a state of that part; an accepting state of a part also stands at
 * the start of the next part (the concatenation's empty moves, followed here). Nothing is charged to the
 * {@link WorkBudget}: the callers charge what the {@code cat} they replace charged (see {@link Lang#concatenation}),
 * and the dk.brics intersections this replaces charged nothing.
 */
public final class Product {

    /** A position in one language: a state of one of its parts. */
    private record Position(int part, State state) {
    }

    /** A move of one language on the characters {@code [min, max]}. */
    private record Move(char min, char max, Position to) {
    }

    /** Per language, its parts (singletons expanded into copies; everything else read in place). */
    private final List<List<Automaton>> languages;

    private Product(List<List<Automaton>> languages) {
        WorkBudget.checkDeadline();
        List<List<Automaton>> expanded = new ArrayList<>();
        for (List<Automaton> parts : languages) {
            expanded.add(parts.stream().map(Product::expanded).toList());
        }
        this.languages = expanded;
    }

    /** The intersection of {@code languages}, each the concatenation of its parts in order. */
    public static Product of(List<List<Automaton>> languages) {
        return new Product(languages);
    }

    /** Whether the languages share a word (depth first, stopping at the first accepting combination). */
    public boolean intersects() {
        Deque<List<Position>> work = new ArrayDeque<>();
        Set<List<Position>> seen = new HashSet<>();
        work.push(start());
        while (!work.isEmpty()) {
            List<Position> at = work.pop();
            if (!seen.add(at)) {
                continue;
            }
            if (accepts(at)) {
                return true;
            }
            successors(at, Character.MIN_VALUE, Character.MAX_VALUE, (c, next) -> work.push(next));
        }
        return false;
    }

    /**
     * The shortest shared word made of characters in {@code [' ', '~']}, the smallest of those in lexicographic
     * order; empty when there is none. The search of {@link Wildcards#readableExample} on the built intersection
     * (breadth first, keeping per combination the smallest of its shortest paths, not going on from an accepting
     * one), whose answer depends only on the language: the same word.
     */
    public Optional<String> shortestReadable() {
        return Optional.ofNullable(shortestWord(' ', '~'));
    }

    private String shortestWord(char min, char max) {
        Map<List<Position>, String> path = new HashMap<>();
        ArrayDeque<List<Position>> queue = new ArrayDeque<>();
        List<Position> start = start();
        path.put(start, "");
        queue.add(start);
        String best = null;
        while (!queue.isEmpty()) {
            List<Position> at = queue.removeFirst();
            String p = path.get(at);
            if (accepts(at)) {
                if (best == null || p.length() < best.length() || (p.length() == best.length() && p.compareTo(best) < 0)) {
                    best = p;
                }
                continue;
            }
            successors(at, min, max, (c, next) -> {
                String known = path.get(next);
                String word = p + c;
                if (known == null || (known.length() == word.length() && word.compareTo(known) < 0)) {
                    if (known == null) {
                        queue.addLast(next);
                    }
                    path.put(next, word);
                }
            });
        }
        return best;
    }

    private interface Step {
        /** A move on characters from {@code lowest} on (the smallest of the shared range) to {@code next}. */
        void to(char lowest, List<Position> next);
    }

    private List<Position> start() {
        List<Position> start = new ArrayList<>();
        for (List<Automaton> parts : languages) {
            start.add(new Position(0, parts.get(0).getInitialState()));
        }
        return List.copyOf(start);
    }

    private boolean accepts(List<Position> at) {
        for (int i = 0; i < at.size(); i++) {
            if (!accepts(languages.get(i), at.get(i))) {
                return false;
            }
        }
        return true;
    }

    /** Accepting: an accepting state of the last part, or of an earlier one whose following parts accept the empty word. */
    private static boolean accepts(List<Automaton> parts, Position p) {
        if (!p.state().isAccept()) {
            return false;
        }
        for (int next = p.part() + 1; next < parts.size(); next++) {
            if (!parts.get(next).getInitialState().isAccept()) {
                return false;
            }
        }
        return true;
    }

    /** The moves of one language from {@code p}, the empty moves into following parts included. */
    private static List<Move> moves(List<Automaton> parts, Position p) {
        List<Move> moves = new ArrayList<>();
        for (Transition t : p.state().getTransitions()) {
            moves.add(new Move(t.getMin(), t.getMax(), new Position(p.part(), t.getDest())));
        }
        State s = p.state();
        for (int next = p.part() + 1; s.isAccept() && next < parts.size(); next++) {
            s = parts.get(next).getInitialState();
            for (Transition t : s.getTransitions()) {
                moves.add(new Move(t.getMin(), t.getMax(), new Position(next, t.getDest())));
            }
        }
        return moves;
    }

    /** Every combination of one move per language whose ranges overlap within {@code [min, max]}. */
    private void successors(List<Position> at, char min, char max, Step step) {
        List<List<Move>> moves = new ArrayList<>();
        for (int i = 0; i < at.size(); i++) {
            moves.add(moves(languages.get(i), at.get(i)));
        }
        combine(moves, 0, min, max, new Position[at.size()], step);
    }

    private static void combine(List<List<Move>> moves, int i, char low, char high, Position[] chosen, Step step) {
        if (i == moves.size()) {
            step.to(low, List.of(chosen));
            return;
        }
        for (Move m : moves.get(i)) {
            char lo = (char) Math.max(low, m.min());
            char hi = (char) Math.min(high, m.max());
            if (lo <= hi) {
                chosen[i] = m.to();
                combine(moves, i + 1, lo, hi, chosen, step);
            }
        }
    }

    /** {@code a} itself, or an expanded copy when it is held as a singleton string (it has no states then). */
    private static Automaton expanded(Automaton a) {
        if (a.getSingleton() == null) {
            return a;
        }
        Automaton copy = a.clone();
        copy.expandSingleton();
        return copy;
    }
}
