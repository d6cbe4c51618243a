package dev.ecroidcguard.testing;

import dev.ecroidcguard.core.ScanScope;
import dev.ecroidcguard.core.inventory.AccountSnapshot;
import dev.ecroidcguard.core.inventory.EcrRepository;
import dev.ecroidcguard.core.inventory.IamRole;
import dev.ecroidcguard.core.inventory.OidcProvider;
import dev.ecroidcguard.core.report.AccountReport;
import dev.ecroidcguard.ports.Adapters;
import dev.ecroidcguard.ports.ApiCalls;
import dev.ecroidcguard.ports.Inventory;
import dev.ecroidcguard.ports.InventorySource;
import dev.ecroidcguard.ports.Notification;
import dev.ecroidcguard.ports.Notifier;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** In-memory stand-ins for the AWS adapters, and a small account to scan. */
public final class Fakes {

    public static final String ACCOUNT = "123456789012";
    public static final String PROVIDER = "arn:aws:iam::" + ACCOUNT + ":oidc-provider/token.actions.githubusercontent.com";

    private Fakes() {
    }

    /** A call count the fakes add to as the SDK interceptor would. */
    public static final class CountedCalls implements ApiCalls {
        private final Map<String, Integer> calls = new TreeMap<>();

        public void add(String operation, int n) {
            calls.merge(operation, n, Integer::sum);
        }

        @Override
        public Map<String, Integer> counts() {
            return Map.copyOf(calls);
        }
    }

    /**
     * Serves one snapshot for every scope and records the scopes it was asked for; each read costs what the AWS adapter's
     * would: one GetAccountAuthorizationDetails, one DescribeRepositories, one GetRepositoryPolicy per repository.
     */
    public static final class FakeInventory implements InventorySource {
        public final AccountSnapshot snapshot;
        public final List<AccountReport.NotEvaluated> notEvaluated;
        public final List<ScanScope> reads = new ArrayList<>();
        public final CountedCalls calls = new CountedCalls();

        public FakeInventory(AccountSnapshot snapshot, List<AccountReport.NotEvaluated> notEvaluated) {
            this.snapshot = snapshot;
            this.notEvaluated = notEvaluated;
        }

        @Override
        public Inventory read(ScanScope scope) {
            reads.add(scope);
            calls.add("iam:GetAccountAuthorizationDetails", 1);
            calls.add("ecr:DescribeRepositories", 1);
            calls.add("ecr:GetRepositoryPolicy", snapshot.repositories().size());
            return new Inventory(snapshot, notEvaluated);
        }

        /** Report-mode adapters around this inventory. */
        public Adapters readOnly(Notifier notifier) {
            return Adapters.readOnly(this, notifier, calls);
        }
    }

    public static final class RecordingNotifier implements Notifier {
        public final List<List<Notification>> publishes = new ArrayList<>();

        @Override
        public void publish(List<Notification> parts) {
            publishes.add(List.copyOf(parts));
        }
    }

    public static EcrRepository repository(String name) {
        return repository(name, Map.of());
    }

    public static EcrRepository repository(String name, Map<String, String> tags) {
        return new EcrRepository(name, "arn:aws:ecr:us-east-1:" + ACCOUNT + ":repository/" + name, Optional.empty(), tags);
    }

    /** A role for {@code repository} that trusts its main branch and may push to it. */
    public static IamRole role(String repository) {
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
    public static AccountSnapshot smallAccount() {
        return new AccountSnapshot(ACCOUNT, "us-east-1", "aws", List.of(role("app"), role("gone")), Map.of(),
                List.of(new OidcProvider(PROVIDER, "token.actions.githubusercontent.com", List.of("sts.amazonaws.com"))),
                List.of(repository("app"), repository("web")));
    }
}
