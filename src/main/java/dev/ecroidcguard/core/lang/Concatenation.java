package dev.ecroidcguard.core.lang;

import dk.brics.automaton.Automaton;
import dk.brics.automaton.State;
import dk.brics.automaton.Transition;

import java.util.ArrayList;
import java.util.List;

/**
 * The language {@code cat(parts)}, its parts kept apart and read in place: a large shared part (a grammar constant
 * such as a subject's context claim, or the other owners' names) is neither copied nor changed. {@link Product} and
 * {@link Lang#separatedIntersects} explore it as the automaton {@code cat} would build: a position is a state of one
 * part, and an accepting state of a part also stands at the start of the next (the concatenation's empty moves).
 *
 * @param parts the parts in order, at least one; singletons are held expanded (copies), everything else as given
 */
public record Concatenation(List<Automaton> parts) {

    public Concatenation {
        if (parts.isEmpty()) {
            throw new IllegalArgumentException("a concatenation has at least one part");
        }
        parts = parts.stream().map(Lang::expanded).toList();
    }

    /** {@code cat(parts)} kept apart; charged as {@link Lang#cat} is, so an analysis' budget does not depend on which is used. */
    public static Concatenation of(Automaton... parts) {
        WorkBudget.checkDeadline();
        Lang.chargeCopies(List.of(parts));
        return new Concatenation(List.of(parts));
    }

    /** One automaton, as it is (nothing is copied, nothing charged). */
    public static Concatenation single(Automaton language) {
        return new Concatenation(List.of(language));
    }

    /** A position: a state of one part. */
    record Position(int part, State state) {
    }

    /** A move on the characters {@code [min, max]}. */
    record Move(char min, char max, Position to) {
    }

    Position start() {
        return new Position(0, parts.get(0).getInitialState());
    }

    /** Accepting: an accepting state of the last part, or of an earlier one whose following parts accept the empty word. */
    boolean accepts(Position p) {
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

    /** The moves from {@code p}, the empty moves into the following parts included. */
    List<Move> moves(Position p) {
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
}
