package dev.ecroidcguard.core.policy;

import java.util.List;
import java.util.Optional;

/**
 * One policy statement, normalised: scalars became lists. {@code principals} is empty for identity policies.
 * When {@code notPrincipal}/{@code notAction}/{@code notResource} is set, the matching list holds the
 * NotPrincipal/NotAction/NotResource values.
 */
public record Statement(Optional<String> sid, Effect effect, Optional<Principals> principals, boolean notPrincipal,
                        List<String> actions, boolean notAction, List<String> resources, boolean notResource,
                        List<Condition> conditions) {

    public Statement {
        actions = List.copyOf(actions);
        resources = List.copyOf(resources);
        conditions = List.copyOf(conditions);
    }

    public boolean isAllow() {
        return effect == Effect.ALLOW;
    }

    /** A short label for messages: the Sid, or the statement's position. */
    public String label(int index) {
        return sid.filter(s -> !s.isBlank()).map(s -> "statement '" + s + "'").orElse("statement #" + (index + 1));
    }
}
