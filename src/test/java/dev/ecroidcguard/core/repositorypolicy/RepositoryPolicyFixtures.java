package dev.ecroidcguard.core.repositorypolicy;

import dev.ecroidcguard.core.analysis.Baseline;
import dev.ecroidcguard.core.analysis.CheckOutcome;
import dev.ecroidcguard.core.analysis.RepositoryContext;
import dev.ecroidcguard.core.fix.DocumentChange;
import dev.ecroidcguard.core.github.GitHubRepository;
import dev.ecroidcguard.core.inventory.AccountSnapshot;
import dev.ecroidcguard.core.inventory.EcrRepository;
import dev.ecroidcguard.core.inventory.IamRole;
import dev.ecroidcguard.core.inventory.OidcProvider;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/** In-memory account 123456789012 with web-api's CI role, another repository's CI role and an org-wide CI role. */
final class RepositoryPolicyFixtures {

    static final String ACCOUNT = "123456789012";
    static final String FOREIGN_ACCOUNT = "999988887777";
    static final String ROLE = "arn:aws:iam::123456789012:role/github-actions-web-api";
    static final String ROLE_SESSION = "arn:aws:sts::123456789012:assumed-role/github-actions-web-api/GitHubActions";
    static final String PAYMENTS_ROLE = "arn:aws:iam::123456789012:role/github-actions-payments";
    static final String ORG_CI_ROLE = "arn:aws:iam::123456789012:role/org-ci";
    static final String PROVIDER = "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com";
    static final String REPOSITORY_ARN = "arn:aws:ecr:eu-west-1:123456789012:repository/web-api";
    static final List<String> PUSH_PULL = Baseline.PUSH_PULL_ACTIONS;

    private RepositoryPolicyFixtures() {
    }

    static IamRole role(String arn) {
        String name = arn.substring(arn.lastIndexOf('/') + 1);
        return new IamRole(name, arn, "/", "{}", List.of(), List.of(), Optional.empty(), Map.of());
    }

    /** The context with the three roles above. */
    static RepositoryContext context(Optional<String> policy) {
        return context(policy, List.of(role(ROLE), role(PAYMENTS_ROLE), role(ORG_CI_ROLE)));
    }

    static RepositoryContext context(Optional<String> policy, List<IamRole> roles) {
        EcrRepository repository = new EcrRepository("web-api", REPOSITORY_ARN, policy, Map.of());
        OidcProvider provider = new OidcProvider(PROVIDER, "token.actions.githubusercontent.com", List.of("sts.amazonaws.com"));
        AccountSnapshot account = new AccountSnapshot(ACCOUNT, "eu-west-1", "aws", roles, Map.of(), List.of(provider), List.of(repository));
        GitHubRepository github = new GitHubRepository("acme", "web-api", Optional.empty(), Optional.empty(),
                GitHubRepository.SubjectFormat.NAME, GitHubRepository.DEFAULT_SUB_CLAIMS);
        Optional<IamRole> ciRole = roles.stream().filter(r -> r.arn().equals(ROLE)).findFirst();
        return new RepositoryContext(account, repository, github, "github-actions-web-api", ciRole, List.of(provider));
    }

    /** A policy from statements written with single quotes for readability. */
    static String policy(String... statements) {
        return ("{'Version':'2012-10-17','Statement':[" + String.join(",", statements) + "]}").replace('\'', '"');
    }

    static CheckOutcome<DocumentChange> check(String... statements) {
        return RepositoryPolicyCheck.check(context(Optional.of(policy(statements))));
    }

    static String quotedList(List<String> values) {
        return "[" + String.join(",", values.stream().map(v -> "'" + v + "'").toList()) + "]";
    }
}
