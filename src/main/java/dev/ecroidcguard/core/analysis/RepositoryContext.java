package dev.ecroidcguard.core.analysis;

import dev.ecroidcguard.core.github.GitHubRepository;
import dev.ecroidcguard.core.inventory.AccountSnapshot;
import dev.ecroidcguard.core.inventory.EcrRepository;
import dev.ecroidcguard.core.inventory.IamRole;
import dev.ecroidcguard.core.inventory.OidcProvider;

import java.util.List;
import java.util.Optional;

/**
 * One repository/role pair and what its checks need to know about the account: the expected GitHub
 * repository, the role (when it exists) and the account's GitHub OIDC providers (public and enterprise issuers).
 */
public record RepositoryContext(AccountSnapshot account, EcrRepository repository, GitHubRepository github,
                                String roleName, Optional<IamRole> role, List<OidcProvider> githubProviders) {

    public RepositoryContext {
        githubProviders = List.copyOf(githubProviders);
    }

    /** The role's ARN: as inventoried, or the one it would have. */
    public String roleArn() {
        return role.map(IamRole::arn).orElse("arn:" + account.partition() + ":iam::" + account.accountId() + ":role/" + roleName);
    }

    public String accountId() {
        return account.accountId();
    }

    /** True for providers of GitHub's issuer, including enterprise issuers {@code token.actions.githubusercontent.com/<slug>}. */
    public static boolean isGitHubIssuer(String url) {
        String u = url.replaceFirst("^https://", "");
        return u.equals(Baseline.GITHUB_ISSUER) || u.startsWith(Baseline.GITHUB_ISSUER + "/")
                || u.matches("token\\.actions\\.[a-z0-9-]+\\.ghe\\.com(/.*)?");
    }
}
