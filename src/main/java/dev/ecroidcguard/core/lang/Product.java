package dev.ecroidcguard.core.lang;

import dev.ecroidcguard.core.lang.Concatenation.Move;
import dev.ecroidcguard.core.lang.Concatenation.Position;

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
 * The intersection of languages, each a {@link Concatenation}, explored on the fly and never built: the automata
 * are only read, and a search stops at its first answer. What {@code cat} then {@code intersection} would build, for
 * the two questions asked of it: is it empty, and what is its readable example. Nothing is charged to the
 * {@link WorkBudget}: a concatenation is charged as the {@code cat} it replaces, and the dk.brics intersections
 * this replaces charged nothing.
 */
public final class Product {

    private final List<Concatenation> languages;

    private Product(List<Concatenation> languages) {
        WorkBudget.checkDeadline();
        this.languages = List.copyOf(languages);
    }

    /** The intersection of {@code languages}. */
    public static Product of(List<Concatenation> languages) {
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
     * one), whose answer depends only on the language: the same word. The walk goes no deeper than the first
     * accepting combination: every word it would find further down is longer.
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
            if (best != null && p.length() >= best.length()) {
                continue; // what it leads to is longer than the answer: the rest of the walk cannot change it
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
        return languages.stream().map(Concatenation::start).toList();
    }

    private boolean accepts(List<Position> at) {
        for (int i = 0; i < at.size(); i++) {
            if (!languages.get(i).accepts(at.get(i))) {
                return false;
            }
        }
        return true;
    }

    /** Every combination of one move per language whose ranges overlap within {@code [min, max]}. */
    private void successors(List<Position> at, char min, char max, Step step) {
        List<List<Move>> moves = new ArrayList<>();
        for (int i = 0; i < at.size(); i++) {
            moves.add(languages.get(i).moves(at.get(i)));
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
}
