package dev.ecroidcguard.core.repositorypolicy;

import dev.ecroidcguard.core.analysis.Baseline;
import dev.ecroidcguard.core.lang.Wildcards;
import dev.ecroidcguard.core.policy.PolicyDocument;
import dev.ecroidcguard.core.policy.Principals;
import dev.ecroidcguard.core.policy.Statement;
import dev.ecroidcguard.core.repositorypolicy.PrincipalConditions.Truth;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * What a repository policy grants one role directly (same account): actions granted to the role ARN (still
 * capped by the role's permissions boundary) and to its sessions (not capped). Only grants that hold for every
 * request of the role count (conditions on anything but the principal make a grant uncertain), and every
 * Deny that may apply to the role or one of its sessions is subtracted: the caller uses this to decide that a
 * push action is available, so it must not overstate.
 */
public final class RepositoryPolicyGrants {

    private RepositoryPolicyGrants() {
    }

    /** Actions are lower-case, from {@code Baseline.PUSH_PULL_ACTIONS}; explicit denies for the role are subtracted. */
    public record Granted(Set<String> viaRoleArn, Set<String> viaSession) {
        public Granted {
            viaRoleArn = Set.copyOf(viaRoleArn);
            viaSession = Set.copyOf(viaSession);
        }
    }

    /**
     * {@code viaRoleArn}: statements naming the role ARN, or {@code Principal "*"} whose conditions (typically
     * an {@code aws:PrincipalArn} pin) hold for the role. {@code viaSession}: statements naming an
     * {@code assumed-role/<role>/<session>} ARN of the role (that one session name only; GitHub lets the
     * workflow choose it).
     */
    public static Granted grantsTo(PolicyDocument repositoryPolicy, String roleArn, String accountId) {
        PairedRole role = PairedRole.of(roleArn, accountId);
        Set<String> viaRoleArn = new HashSet<>();
        Set<String> viaSession = new HashSet<>();
        Set<String> denied = new HashSet<>();
        for (Statement s : repositoryPolicy.statements()) {
            List<String> actions = GrantedActions.of(s).coveredOf(Baseline.PUSH_PULL_ACTIONS).stream().map(Wildcards::lower).toList();
            if (!s.isAllow()) {
                if (StatementScope.appliesTo(s, role) != Truth.FALSE) {
                    denied.addAll(actions);
                }
                continue;
            }
            if (s.principals().isEmpty() || s.notPrincipal()
                    || PrincipalConditions.evaluate(s.conditions(), PrincipalConditions.knownKeysOf(role)) != Truth.TRUE) {
                continue;
            }
            Principals p = s.principals().get();
            List<AwsPrincipal> named = StatementScope.parsed(p);
            if (p.isEveryone() || named.stream().anyMatch(n -> n instanceof AwsPrincipal.Identity i && i.arn().equals(role.arn()))) {
                viaRoleArn.addAll(actions);
            }
            if (named.stream().anyMatch(n -> n instanceof AwsPrincipal.Session session && role.isSessionOf(session))) {
                viaSession.addAll(actions);
            }
        }
        viaRoleArn.removeAll(denied);
        viaSession.removeAll(denied);
        return new Granted(viaRoleArn, viaSession);
    }
}
