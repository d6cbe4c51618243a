package dev.ecroidcguard.core.finding;

import java.util.Map;

/**
 * The concrete evidence behind a finding: something that gets in, or is allowed, but should not be.
 * Findings about something absent (a missing role, a missing permission) carry none.
 */
public sealed interface Witness {

    /** A GitHub Actions OIDC token (its {@code sub} and any other claims the trust policy tests) that may assume the role. */
    record Token(String sub, Map<String, String> claims) implements Witness {
        public Token {
            claims = Map.copyOf(claims);
        }
    }

    /** An action on a resource the role's effective permissions allow, and the policy that allows it. */
    record Request(String action, String resource, String grantedBy) implements Witness {
    }

    /** A principal the repository policy admits, with one action it may perform. */
    record Principal(String principal, String action) implements Witness {
    }

    /** Evidence that is a fact of the document rather than an example request (e.g. a duplicate key). */
    record Detail(String text) implements Witness {
    }
}
