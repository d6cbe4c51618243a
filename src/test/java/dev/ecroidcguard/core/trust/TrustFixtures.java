package dev.ecroidcguard.core.trust;

import dev.ecroidcguard.core.analysis.RepositoryContext;
import dev.ecroidcguard.core.github.GitHubRepository;
import dev.ecroidcguard.core.inventory.AccountSnapshot;
import dev.ecroidcguard.core.inventory.EcrRepository;
import dev.ecroidcguard.core.inventory.IamRole;
import dev.ecroidcguard.core.inventory.OidcProvider;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Builds a repository context around one trust policy: account 123456789012, org acme, repository web-api. */
final class TrustFixtures {

    static final String ACCOUNT = "123456789012";
    static final String PROVIDER = "arn:aws:iam::" + ACCOUNT + ":oidc-provider/token.actions.githubusercontent.com";
    static final String ENTERPRISE_PROVIDER = "arn:aws:iam::" + ACCOUNT + ":oidc-provider/token.actions.githubusercontent.com/acme-ent";
    static final String ROLE_ARN = "arn:aws:iam::" + ACCOUNT + ":role/github-actions-web-api";

    private TrustFixtures() {
    }

    /** A trust policy with one GitHub statement: {@code conditions} is the Condition object's JSON. */
    static String githubTrust(String conditions) {
        return """
                {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Federated":"%s"},
                "Action":"sts:AssumeRoleWithWebIdentity","Condition":%s}]}""".formatted(PROVIDER, conditions);
    }

    /** The post's trust with the given sub value (StringLike) and aud pinned. */
    static String subLike(String... values) {
        return githubTrust("{\"StringEquals\":{\"token.actions.githubusercontent.com:aud\":\"sts.amazonaws.com\"},"
                + "\"StringLike\":{\"token.actions.githubusercontent.com:sub\":" + jsonList(values) + "}}");
    }

    static String jsonList(String... values) {
        StringBuilder b = new StringBuilder("[");
        for (String v : values) {
            b.append(b.length() > 1 ? "," : "").append('"').append(v).append('"');
        }
        return b.append(']').toString();
    }

    static RepositoryContext context(String trustPolicy) {
        return context(trustPolicy, Map.of());
    }

    static RepositoryContext context(String trustPolicy, Map<String, String> repositoryTags) {
        return context(trustPolicy, repositoryTags, List.of(new OidcProvider(PROVIDER, "token.actions.githubusercontent.com", List.of("sts.amazonaws.com"))));
    }

    static RepositoryContext context(String trustPolicy, Map<String, String> repositoryTags, List<OidcProvider> providers) {
        IamRole role = new IamRole("github-actions-web-api", ROLE_ARN, "/", trustPolicy, List.of(), List.of(), Optional.empty(), Map.of());
        EcrRepository repository = new EcrRepository("web-api", "arn:aws:ecr:us-east-1:" + ACCOUNT + ":repository/web-api", Optional.empty(),
                new HashMap<>(repositoryTags));
        AccountSnapshot account = new AccountSnapshot(ACCOUNT, "us-east-1", "aws", List.of(role), Map.of(), providers, List.of(repository));
        GitHubRepository github;
        try {
            github = GitHubRepository.fromTags("web-api", repositoryTags, "acme");
        } catch (GitHubRepository.InvalidTagException e) {
            throw new IllegalArgumentException(e);
        }
        return new RepositoryContext(account, repository, github, "github-actions-web-api", Optional.of(role), providers);
    }
}
