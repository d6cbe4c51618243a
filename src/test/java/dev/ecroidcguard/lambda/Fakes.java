package dev.ecroidcguard.lambda;

import dev.ecroidcguard.core.inventory.AccountSnapshot;
import dev.ecroidcguard.core.inventory.EcrRepository;
import dev.ecroidcguard.core.inventory.IamRole;
import dev.ecroidcguard.core.inventory.OidcProvider;
import dev.ecroidcguard.core.report.AccountReport;
import dev.ecroidcguard.service.Inventory;
import dev.ecroidcguard.service.InventorySource;
import dev.ecroidcguard.service.Notification;
import dev.ecroidcguard.service.Notifier;
import dev.ecroidcguard.service.ScanScope;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** In-memory stand-ins for the AWS adapters, and a small account to scan. */
final class Fakes {

    static final String ACCOUNT = "123456789012";
    static final String PROVIDER = "arn:aws:iam::" + ACCOUNT + ":oidc-provider/token.actions.githubusercontent.com";

    private Fakes() {
    }

    /** Serves one snapshot for every scope and records the scopes it was asked for. */
    static final class FakeInventory implements InventorySource {
        final AccountSnapshot snapshot;
        final List<AccountReport.NotEvaluated> notEvaluated;
        final List<ScanScope> reads = new ArrayList<>();

        FakeInventory(AccountSnapshot snapshot, List<AccountReport.NotEvaluated> notEvaluated) {
            this.snapshot = snapshot;
            this.notEvaluated = notEvaluated;
        }

        @Override
        public Inventory read(ScanScope scope) {
            reads.add(scope);
            return new Inventory(snapshot, notEvaluated, Map.of("iam:GetAccountAuthorizationDetails", 1, "ecr:DescribeRepositories", 1,
                    "ecr:GetRepositoryPolicy", snapshot.repositories().size()));
        }
    }

    static final class RecordingNotifier implements Notifier {
        final List<List<Notification>> publishes = new ArrayList<>();

        @Override
        public void publish(List<Notification> parts) {
            publishes.add(List.copyOf(parts));
        }
    }

    static EcrRepository repository(String name) {
        return new EcrRepository(name, "arn:aws:ecr:us-east-1:" + ACCOUNT + ":repository/" + name, Optional.empty(), Map.of());
    }

    /** A role for {@code repository} that trusts its main branch and may push to it. */
    static IamRole role(String repository) {
        String trust = """
                {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Federated":"%s"},
                "Action":"sts:AssumeRoleWithWebIdentity","Condition":{"StringEquals":{"token.actions.githubusercontent.com:aud":"sts.amazonaws.com"},
                "StringLike":{"token.actions.githubusercontent.com:sub":"repo:AcmeCorp/%s:ref:refs/heads/main"}}}]}""".formatted(PROVIDER, repository);
        String push = """
                {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"ecr:GetAuthorizationToken","Resource":"*"},
                {"Effect":"Allow","Action":["ecr:BatchCheckLayerAvailability","ecr:BatchGetImage","ecr:CompleteLayerUpload",
                "ecr:GetDownloadUrlForLayer","ecr:InitiateLayerUpload","ecr:PutImage","ecr:UploadLayerPart"],
                "Resource":"arn:aws:ecr:us-east-1:%s:repository/%s"}]}""".formatted(ACCOUNT, repository);
        String name = "github-actions-" + repository;
        return new IamRole(name, "arn:aws:iam::" + ACCOUNT + ":role/" + name, "/", trust, List.of(new IamRole.InlinePolicy("push", push)),
                List.of(), Optional.empty(), Map.of());
    }

    /** "app" has its role, "web" has none (ROLE_MISSING), and github-actions-gone has no repository (orphan). */
    static AccountSnapshot smallAccount() {
        return new AccountSnapshot(ACCOUNT, "us-east-1", "aws", List.of(role("app"), role("gone")), Map.of(),
                List.of(new OidcProvider(PROVIDER, "token.actions.githubusercontent.com", List.of("sts.amazonaws.com"))),
                List.of(repository("app"), repository("web")));
    }
}
