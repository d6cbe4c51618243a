package dev.ecroidcguard.core.repositorypolicy;

import dev.ecroidcguard.core.analysis.EcrActions;
import dev.ecroidcguard.core.lang.Wildcards;
import dev.ecroidcguard.core.policy.Statement;
import dk.brics.automaton.Automaton;
import dk.brics.automaton.BasicAutomata;

import java.util.List;
import java.util.Optional;

/**
 * The actions one statement's Action (or NotAction) element covers, as a language over lower-cased names
 * (IAM compares action names case-insensitively; the canonical spelling is kept for messages and fixes).
 * What the actions mean comes from the shared {@link EcrActions} catalogue.
 */
record GrantedActions(Automaton language) {

    static GrantedActions of(Statement statement) {
        Automaton listed = Wildcards.anyOfPatterns(statement.actions().stream().map(Wildcards::lower).toList());
        Automaton covered = statement.notAction() ? listed.complement() : listed;
        return new GrantedActions(covered);
    }

    boolean covers(String action) {
        return language.run(Wildcards.lower(action));
    }

    /** The members of {@code actions} this statement covers, in the list's order. */
    List<String> coveredOf(List<String> actions) {
        return actions.stream().filter(this::covers).toList();
    }

    Optional<String> firstOf(List<String> actions) {
        return actions.stream().filter(this::covers).findFirst();
    }

    boolean grantsWrite() {
        return firstOf(EcrActions.WRITE).isPresent();
    }

    boolean grantsPull() {
        return firstOf(EcrActions.PULL).isPresent();
    }

    /** The most telling action for a witness: a push, else an administrative action, else a pull. */
    Optional<String> witnessAction() {
        return firstOf(EcrActions.WRITE).or(() -> firstOf(EcrActions.PULL));
    }

    /**
     * Some ECR action the statement covers, for witnesses of principal problems: a push, an administrative
     * action or a pull when there is one, else a word of the language (lower-case, e.g. a Describe action).
     */
    Optional<String> anyEcrAction() {
        return witnessAction().or(() -> Wildcards.readableExample(
                language.clone().intersection(BasicAutomata.makeString("ecr:").concatenate(BasicAutomata.makeAnyString()))));
    }
}
