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
 *
 * <p>Likewise the values {@code aws:FederatedProvider} can take for a web-identity role of some accounts
 * ({@link #providersOf}), built only for the statements that test that key. AWS documents the key
 * for sessions of roles assumed with AssumeRoleWithWebIdentity: its value is the ARN of the IAM OIDC provider
 * (for example {@code arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com}), or the name
 * of a public identity provider ({@code cognito-identity.amazonaws.com}, {@code www.amazon.com},
 * {@code graph.facebook.com}, {@code accounts.google.com})
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-federatedprovider).
 * A role trusts only providers of its own account, so a provider ARN's account is the role's account; a public
 * provider's name can be carried by web-identity roles of every account.
 */
record PrincipalLanguages(Automaton everyone, Automaton otherInAccount, Automaton otherAccounts) {

    private static final List<String> PUBLIC_IDENTITY_PROVIDERS = List.of("cognito-identity.amazonaws.com", "www.amazon.com",
            "graph.facebook.com", "accounts.google.com");
    private static final Automaton ANY_ACCOUNT = BasicAutomata.makeCharRange('0', '9').repeat(12, 12);

    static PrincipalLanguages of(PairedRole role) {
        String iamPrefix = "arn:" + role.partition() + ":iam::";
        Automaton ownAccount = BasicAutomata.makeString(role.accountId());
        Automaton foreignAccount = ANY_ACCOUNT.minus(ownAccount);
        Automaton everyone = arns(iamPrefix, ANY_ACCOUNT);
        Automaton otherInAccount = arns(iamPrefix, ownAccount)
                .minus(BasicAutomata.makeString(role.accountRootArn()))
                .minus(BasicAutomata.makeString(role.arn()));
        Automaton otherAccounts = arns(iamPrefix, foreignAccount);
        return new PrincipalLanguages(minimal(everyone), minimal(otherInAccount), minimal(otherAccounts));
    }

    /** The aws:FederatedProvider values a web-identity role of the account can carry. */
    static Automaton providersOf(String partition, String accountId) {
        return providers(partition, BasicAutomata.makeString(accountId));
    }

    /** The aws:FederatedProvider values a web-identity role of an account other than {@code accountId} can carry. */
    static Automaton providersOfOtherAccounts(String partition, String accountId) {
        return providers(partition, ANY_ACCOUNT.minus(BasicAutomata.makeString(accountId)));
    }

    /** The aws:FederatedProvider values a web-identity role of one of {@code accounts} can carry. */
    private static Automaton providers(String partition, Automaton accounts) {
        Automaton oidc = BasicAutomata.makeString("arn:" + partition + ":iam::").concatenate(accounts)
                .concatenate(BasicAutomata.makeString(":oidc-provider/")).concatenate(BasicAutomata.makeAnyChar().repeat(1));
        return BasicOperations.union(List.of(oidc, BasicAutomata.makeStringUnion(PUBLIC_IDENTITY_PROVIDERS.toArray(String[]::new))));
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
