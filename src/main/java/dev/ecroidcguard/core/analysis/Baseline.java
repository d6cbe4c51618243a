package dev.ecroidcguard.core.analysis;

import dev.ecroidcguard.core.github.GitHubRepository;

import java.util.List;
import java.util.Map;

/**
 * The target setup of the origin post: the GitHub provider may assume the role for this one repository, and
 * the role may push and pull this one ECR repository (plus {@code ecr:GetAuthorizationToken} on {@code *}).
 */
public final class Baseline {

    public static final String GITHUB_ISSUER = "token.actions.githubusercontent.com";
    public static final String AUDIENCE = "sts.amazonaws.com";
    public static final String ASSUME_ACTION = "sts:AssumeRoleWithWebIdentity";
    public static final String AUTH_TOKEN_ACTION = "ecr:GetAuthorizationToken";

    /** What {@code docker push} needs on the repository. */
    public static final List<String> PUSH_ACTIONS = List.of("ecr:BatchCheckLayerAvailability", "ecr:InitiateLayerUpload",
            "ecr:UploadLayerPart", "ecr:CompleteLayerUpload", "ecr:PutImage");
    /** What {@code docker pull} needs on the repository. */
    public static final List<String> PULL_ACTIONS = List.of("ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer", "ecr:BatchCheckLayerAvailability");
    /** The seven push/pull actions of the origin post, in its order. */
    public static final List<String> PUSH_PULL_ACTIONS = List.of("ecr:BatchGetImage", "ecr:BatchCheckLayerAvailability",
            "ecr:CompleteLayerUpload", "ecr:GetDownloadUrlForLayer", "ecr:InitiateLayerUpload", "ecr:PutImage", "ecr:UploadLayerPart");

    /**
     * The tag that marks a role as the guard's own: every role it creates carries it, and a person adopts an
     * existing role by setting it (which takes IAM rights, not ECR rights). Only such roles are ever written.
     */
    public static final String OWNER_TAG_KEY = "managed-by";
    public static final String OWNER_TAG_VALUE = "ecr-oidc-guard";

    /** Whether a role's tags mark it as created or adopted by the guard. */
    public static boolean ownedByTheGuard(Map<String, String> roleTags) {
        return OWNER_TAG_VALUE.equals(roleTags.get(OWNER_TAG_KEY));
    }

    /** Name of the inline policy this tool writes. */
    public static final String INLINE_POLICY_NAME = "ecr-push-pull";

    private Baseline() {
    }

    /** The canonical trust policy for {@code repo}'s workflows via the provider {@code providerArn}. */
    public static String trustPolicy(String providerArn, String issuer, GitHubRepository repo) {
        return """
                {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Federated":"%s"},\
                "Action":"sts:AssumeRoleWithWebIdentity","Condition":{"StringEquals":{"%s:aud":"sts.amazonaws.com"},\
                "StringLike":{"%s:sub":"%s"}}}]}""".formatted(providerArn, issuer, issuer, subjectPattern(repo));
    }

    /**
     * The sub pattern that matches every subject the repository's own template mints and only its own:
     * {@code repo:Owner/Name:*} under the default template {@code repo,context} (or the immutable form), and in
     * general the template's claims in its order, an identity claim literally and any other claim as
     * {@code key:*} ({@code *} for the context, which GitHub writes without a key). Claim values never contain
     * {@code :} (GitHub escapes it), so a literal identity claim between colons cannot be forged by another
     * repository. A template without an identity claim cannot be confined by sub: the default form is kept and
     * the role stays for a person to design.
     */
    public static String subjectPattern(GitHubRepository repo) {
        List<String> claims = repo.subClaims();
        boolean identified = claims.contains("repo") || claims.contains("repository")
                || (claims.contains("repository_id") && repo.repositoryId().isPresent());
        if (claims.equals(GitHubRepository.DEFAULT_SUB_CLAIMS) || !identified) {
            return "repo:" + repo.repoClaim() + ":*";
        }
        List<String> parts = new java.util.ArrayList<>();
        for (String claim : claims) {
            parts.add(switch (claim) {
                case "repo" -> "repo:" + repo.repoClaim();
                case "repository" -> "repository:" + repo.fullName();
                case "repository_owner" -> "repository_owner:" + repo.owner();
                case "repository_owner_id" -> "repository_owner_id:" + repo.ownerId().orElse("*");
                case "repository_id" -> "repository_id:" + repo.repositoryId().orElse("*");
                case "context" -> "*";
                default -> claim + ":*";
            });
        }
        return String.join(":", parts);
    }

    /** The canonical permission policy: push/pull on the repository ARN, the registry token on {@code *}. */
    public static String pushPullPolicy(String repositoryArn) {
        StringBuilder actions = new StringBuilder();
        for (String a : PUSH_PULL_ACTIONS) {
            actions.append(actions.isEmpty() ? "" : ",").append('"').append(a).append('"');
        }
        return """
                {"Version":"2012-10-17","Statement":[{"Sid":"GetAuthorizationToken","Effect":"Allow",\
                "Action":"ecr:GetAuthorizationToken","Resource":"*"},{"Sid":"PushPull","Effect":"Allow",\
                "Action":[%s],"Resource":"%s"}]}""".formatted(actions, repositoryArn);
    }
}
