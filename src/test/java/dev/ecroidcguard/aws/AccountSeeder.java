package dev.ecroidcguard.aws;

import dev.ecroidcguard.core.GuardConfig;
import dev.ecroidcguard.core.RoleNaming;
import dev.ecroidcguard.core.analysis.Baseline;
import dev.ecroidcguard.core.github.GitHubRepository;
import software.amazon.awssdk.services.ecr.EcrClient;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.Tag;

import java.util.List;
import java.util.Map;

/**
 * Creates realistic account state through the real SDK (the same calls a person or a pipeline makes), so the
 * inventory reads what AWS would hold: roles with trust policies, inline and managed policies, boundaries,
 * tags, the GitHub OIDC provider, ECR repositories with policies and {@code github:*} tags.
 */
public final class AccountSeeder {

    public static final String ORG = "acme";
    public static final GuardConfig CONFIG;

    static {
        try {
            CONFIG = new GuardConfig(ORG, RoleNaming.of(GuardConfig.DEFAULT_ROLE_NAME_TEMPLATE));
        } catch (GuardConfig.ConfigException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final IamClient iam;
    private final EcrClient ecr;

    public AccountSeeder(AwsClients clients) {
        this.iam = clients.iam();
        this.ecr = clients.ecr();
    }

    /** The public GitHub Actions provider with the STS audience; returns its ARN. */
    public String githubProvider() {
        return iam.createOpenIDConnectProvider(r -> r.url("https://" + Baseline.GITHUB_ISSUER)
                .clientIDList(Baseline.AUDIENCE)
                .thumbprintList("6938fd4d98bab03faadb97b34396831e3780aea1")).openIDConnectProviderArn();
    }

    /** A repository with tags; returns its ARN. */
    public String repository(String name, Map<String, String> tags) {
        return ecr.createRepository(r -> r.repositoryName(name).tags(tags.entrySet().stream()
                .map(t -> software.amazon.awssdk.services.ecr.model.Tag.builder().key(t.getKey()).value(t.getValue()).build())
                .toList())).repository().repositoryArn();
    }

    public void repositoryPolicy(String repository, String policy) {
        ecr.setRepositoryPolicy(r -> r.repositoryName(repository).policyText(policy));
    }

    /** A role with a trust policy and tags; returns its ARN. */
    public String role(String name, String trustPolicy, Map<String, String> tags) {
        return iam.createRole(r -> r.roleName(name).assumeRolePolicyDocument(trustPolicy)
                .tags(tags.entrySet().stream().map(t -> Tag.builder().key(t.getKey()).value(t.getValue()).build()).toList()))
                .role().arn();
    }

    public void inlinePolicy(String role, String name, String document) {
        iam.putRolePolicy(r -> r.roleName(role).policyName(name).policyDocument(document));
    }

    /** A customer managed policy whose default version is the last of {@code versions}; returns its ARN. */
    public String managedPolicy(String name, List<String> versions) {
        String arn = iam.createPolicy(r -> r.policyName(name).policyDocument(versions.getFirst())).policy().arn();
        for (String later : versions.subList(1, versions.size())) {
            iam.createPolicyVersion(r -> r.policyArn(arn).policyDocument(later).setAsDefault(true));
        }
        return arn;
    }

    public void attach(String role, String policyArn) {
        iam.attachRolePolicy(r -> r.roleName(role).policyArn(policyArn));
    }

    public void boundary(String role, String policyArn) {
        iam.putRolePermissionsBoundary(r -> r.roleName(role).permissionsBoundary(policyArn));
    }

    /**
     * The setup of the origin post for {@code repository}: the repository (with {@code tags}), its role trusting
     * exactly this GitHub repository through {@code providerArn}, and push/pull on this repository only.
     * Returns the role name.
     */
    public String compliant(String repository, Map<String, String> tags, String providerArn) {
        String repositoryArn = repository(repository, tags);
        String role = roleName(repository);
        role(role, Baseline.trustPolicy(providerArn, Baseline.GITHUB_ISSUER, github(repository, tags)), Map.of());
        inlinePolicy(role, Baseline.INLINE_POLICY_NAME, Baseline.pushPullPolicy(repositoryArn));
        return role;
    }

    public static String roleName(String repository) {
        return CONFIG.roleNaming().roleNameFor(repository).name();
    }

    public static String roleArn(String repository) {
        return "arn:aws:iam::" + MotoServer.ACCOUNT_ID + ":role/" + roleName(repository);
    }

    public static GitHubRepository github(String repository, Map<String, String> tags) {
        try {
            return GitHubRepository.fromTags(repository, tags, ORG);
        } catch (GitHubRepository.InvalidTagException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
