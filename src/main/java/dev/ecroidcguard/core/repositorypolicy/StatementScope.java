package dev.ecroidcguard.core.repositorypolicy;

import dev.ecroidcguard.core.policy.Principals;
import dev.ecroidcguard.core.policy.Statement;
import dev.ecroidcguard.core.repositorypolicy.PrincipalConditions.Truth;

import java.util.List;

/** Whether one statement applies to requests of the CI role (any of its sessions), from its principal and conditions. */
final class StatementScope {

    private StatementScope() {
    }

    /**
     * TRUE when every request of the role is in scope, FALSE when none is, UNKNOWN when it depends on something
     * the snapshot does not tell (a condition on the request, or one particular session name).
     */
    static Truth appliesTo(Statement statement, PairedRole role) {
        if (statement.principals().isEmpty()) {
            return Truth.FALSE;
        }
        Truth principal = statement.notPrincipal()
                ? outsideNotPrincipal(statement.principals().get(), role)
                : namedByPrincipal(statement.principals().get(), role);
        return principal.and(PrincipalConditions.evaluate(statement.conditions(), PrincipalConditions.knownKeysOf(role)));
    }

    private static Truth namedByPrincipal(Principals principals, PairedRole role) {
        if (principals.isEveryone()) {
            return Truth.TRUE;
        }
        Truth result = Truth.FALSE;
        for (AwsPrincipal p : parsed(principals)) {
            Truth one = switch (p) {
                // For a Deny, an account principal covers every identity of that account.
                case AwsPrincipal.Account a -> a.accountId().equals(role.accountId()) ? Truth.TRUE : Truth.FALSE;
                case AwsPrincipal.Identity i -> i.arn().equals(role.arn()) ? Truth.TRUE : Truth.FALSE;
                // Only the session with that name: the name is chosen by each workflow run.
                case AwsPrincipal.Session s -> role.isSessionOf(s) ? Truth.UNKNOWN : Truth.FALSE;
                case AwsPrincipal.Everyone e -> Truth.TRUE;
                case AwsPrincipal.Unrecognised u -> Truth.FALSE;
            };
            if (one == Truth.TRUE) {
                return Truth.TRUE;
            }
            if (one == Truth.UNKNOWN) {
                result = Truth.UNKNOWN;
            }
        }
        return result;
    }

    /**
     * NotPrincipal exempts the listed principals. Listing the account or "*" exempts the role; listing the role
     * ARN alone does not reliably exempt its sessions (AWS asks for the session ARN too), so that is UNKNOWN.
     */
    private static Truth outsideNotPrincipal(Principals principals, PairedRole role) {
        if (principals.isEveryone()) {
            return Truth.FALSE;
        }
        Truth result = Truth.TRUE;
        for (AwsPrincipal p : parsed(principals)) {
            switch (p) {
                case AwsPrincipal.Account a when a.accountId().equals(role.accountId()) -> {
                    return Truth.FALSE;
                }
                case AwsPrincipal.Identity i when i.arn().equals(role.arn()) -> result = Truth.UNKNOWN;
                case AwsPrincipal.Session s when role.isSessionOf(s) -> result = Truth.UNKNOWN;
                default -> {
                }
            }
        }
        return result;
    }

    static List<AwsPrincipal> parsed(Principals principals) {
        return principals.of("AWS").stream().map(AwsPrincipal::parse).toList();
    }
}
