package dev.ecroidcguard.remediation;

import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * One write remediation makes, with what it writes. {@link #describe()} is how the report and the logs list it:
 * the action and the names it acts on, never the documents (those are in the change's before/after).
 */
public sealed interface Operation {

    record CreateRole(String roleName, String trustPolicy, Map<String, String> tags) implements Operation {
        public CreateRole {
            tags = Map.copyOf(tags);
        }
    }

    record DeleteRole(String roleName) implements Operation {
    }

    record UpdateAssumeRolePolicy(String roleName, String document) implements Operation {
    }

    record PutRolePolicy(String roleName, String policyName, String document) implements Operation {
    }

    record DeleteRolePolicy(String roleName, String policyName) implements Operation {
    }

    record AttachRolePolicy(String roleName, String policyArn) implements Operation {
    }

    record DetachRolePolicy(String roleName, String policyArn) implements Operation {
    }

    record SetRepositoryPolicy(String repositoryName, String document) implements Operation {
    }

    record DeleteRepositoryPolicy(String repositoryName) implements Operation {
    }

    /** The API call this operation is. */
    default Action action() {
        return switch (this) {
            case CreateRole c -> Action.CREATE_ROLE;
            case DeleteRole d -> Action.DELETE_ROLE;
            case UpdateAssumeRolePolicy u -> Action.UPDATE_ASSUME_ROLE_POLICY;
            case PutRolePolicy p -> Action.PUT_ROLE_POLICY;
            case DeleteRolePolicy d -> Action.DELETE_ROLE_POLICY;
            case AttachRolePolicy a -> Action.ATTACH_ROLE_POLICY;
            case DetachRolePolicy d -> Action.DETACH_ROLE_POLICY;
            case SetRepositoryPolicy s -> Action.SET_REPOSITORY_POLICY;
            case DeleteRepositoryPolicy d -> Action.DELETE_REPOSITORY_POLICY;
        };
    }

    /** Every action IAM authorizes for this call: CreateRole with tags is authorized as iam:TagRole too. */
    default Set<Action> authorizedAs() {
        return this instanceof CreateRole c && !c.tags().isEmpty() ? EnumSet.of(Action.CREATE_ROLE, Action.TAG_ROLE) : EnumSet.of(action());
    }

    /** {@code iam:PutRolePolicy <role> <policy>}: the action and what it acts on. */
    default String describe() {
        String target = switch (this) {
            case CreateRole c -> c.roleName();
            case DeleteRole d -> d.roleName();
            case UpdateAssumeRolePolicy u -> u.roleName();
            case PutRolePolicy p -> p.roleName() + " " + p.policyName();
            case DeleteRolePolicy d -> d.roleName() + " " + d.policyName();
            case AttachRolePolicy a -> a.roleName() + " " + a.policyArn();
            case DetachRolePolicy d -> d.roleName() + " " + d.policyArn();
            case SetRepositoryPolicy s -> s.repositoryName();
            case DeleteRepositoryPolicy d -> d.repositoryName();
        };
        return action().iamName() + " " + target;
    }
}
