package dev.ecroidcguard.core.repositorypolicy;

import dk.brics.automaton.Automaton;
import dk.brics.automaton.BasicAutomata;
import dk.brics.automaton.BasicOperations;

import java.util.List;

/**
 * The values {@code aws:PrincipalArn} can take, as languages, so that a pattern such as
 * {@code arn:aws:iam::*:role/github-actions-*} can be split into "the CI role", "other principals of this
 * account" and "principals of other accounts" exactly, not by string prefixes. For a role session the key
 * holds the role's ARN, so IAM role, user and account-root ARNs are the whole universe.
 */
record PrincipalLanguages(Automaton everyone, Automaton otherInAccount, Automaton otherAccounts) {

    static PrincipalLanguages of(PairedRole role) {
        String iamPrefix = "arn:" + role.partition() + ":iam::";
        Automaton anyAccount = BasicAutomata.makeCharRange('0', '9').repeat(12, 12);
        Automaton ownAccount = BasicAutomata.makeString(role.accountId());
        Automaton foreignAccount = anyAccount.minus(ownAccount);
        Automaton everyone = arns(iamPrefix, anyAccount);
        Automaton otherInAccount = arns(iamPrefix, ownAccount)
                .minus(BasicAutomata.makeString(role.accountRootArn()))
                .minus(BasicAutomata.makeString(role.arn()));
        Automaton otherAccounts = arns(iamPrefix, foreignAccount);
        return new PrincipalLanguages(minimal(everyone), minimal(otherInAccount), minimal(otherAccounts));
    }

    /** {@code <prefix><account>:root}, {@code ...:role/<path/name>}, {@code ...:user/<path/name>}. */
    private static Automaton arns(String prefix, Automaton accounts) {
        Automaton name = BasicOperations.union(List.of(BasicAutomata.makeCharRange('a', 'z'), BasicAutomata.makeCharRange('A', 'Z'),
                BasicAutomata.makeCharRange('0', '9'), BasicAutomata.makeCharSet("+=,.@_-/"))).repeat(1);
        Automaton resource = BasicOperations.union(List.of(BasicAutomata.makeString("root"),
                BasicAutomata.makeString("role/").concatenate(name), BasicAutomata.makeString("user/").concatenate(name)));
        return BasicAutomata.makeString(prefix).concatenate(accounts).concatenate(BasicAutomata.makeChar(':')).concatenate(resource);
    }

    private static Automaton minimal(Automaton a) {
        a.minimize();
        return a;
    }
}
