package dev.ecroidcguard.aws;

import dev.ecroidcguard.core.ScanScope;
import dev.ecroidcguard.core.inventory.AccountSnapshot;
import dev.ecroidcguard.core.inventory.EcrRepository;
import dev.ecroidcguard.core.inventory.IamRole;
import dev.ecroidcguard.core.inventory.ManagedPolicy;
import dev.ecroidcguard.core.inventory.OidcProvider;
import dev.ecroidcguard.core.inventory.SnapshotParser;
import dev.ecroidcguard.core.report.AccountReport;
import dev.ecroidcguard.ports.Inventory;
import dev.ecroidcguard.ports.InventorySource;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.ecr.EcrClient;
import software.amazon.awssdk.services.ecr.model.Repository;
import software.amazon.awssdk.services.ecr.model.InvalidParameterException;
import software.amazon.awssdk.services.ecr.model.RepositoryNotFoundException;
import software.amazon.awssdk.services.ecr.model.RepositoryPolicyNotFoundException;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.AttachedPermissionsBoundary;
import software.amazon.awssdk.services.iam.model.AttachedPolicy;
import software.amazon.awssdk.services.iam.model.EntityType;
import software.amazon.awssdk.services.iam.model.GetAccountAuthorizationDetailsResponse;
import software.amazon.awssdk.services.iam.model.GetOpenIdConnectProviderResponse;
import software.amazon.awssdk.services.iam.model.ManagedPolicyDetail;
import software.amazon.awssdk.services.iam.model.OpenIDConnectProviderListEntry;
import software.amazon.awssdk.services.iam.model.PolicyVersion;
import software.amazon.awssdk.services.iam.model.RoleDetail;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.model.GetCallerIdentityResponse;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Reads an account with the fewest calls: one {@code GetAccountAuthorizationDetails} pass (paginated) for every
 * role and managed policy — never per-role {@code GetRole}/{@code ListRolePolicies} loops — the OIDC providers,
 * {@code DescribeRepositories} (paginated), then each repository's policy and tags with bounded concurrency.
 * A repository whose policy or tags still fail after the SDK's retries is reported as not evaluated, with the
 * reason; it never disappears from the report and never aborts the scan. Failures of the account-wide calls do
 * abort: without roles or the repository list nothing can be judged.
 */
public final class AwsInventorySource implements InventorySource {

    /**
     * The IAM actions this adapter calls (the template test compares them to template.yaml).
     * {@code sts:GetCallerIdentity} is not listed: it needs no permission and cannot be denied.
     */
    public static final Set<String> REQUIRED_PERMISSIONS = Set.of(
            "iam:GetAccountAuthorizationDetails", "iam:ListOpenIDConnectProviders", "iam:GetOpenIDConnectProvider",
            "ecr:DescribeRepositories", "ecr:GetRepositoryPolicy", "ecr:ListTagsForResource");

    /** Parallel per-repository reads; small enough to stay under ECR's per-account request rates with adaptive retry. */
    static final int CONCURRENCY = 8;
    /** DescribeRepositories accepts at most 100 names per request. */
    private static final int NAMES_PER_DESCRIBE = 100;

    private final IamClient iam;
    private final EcrClient ecr;
    private final StsClient sts;
    private final String region;

    public AwsInventorySource(IamClient iam, EcrClient ecr, StsClient sts, String region) {
        this.iam = iam;
        this.ecr = ecr;
        this.sts = sts;
        this.region = region;
    }

    public static AwsInventorySource of(AwsClients clients) {
        return new AwsInventorySource(clients.iam(), clients.ecr(), clients.sts(), clients.region().id());
    }

    @Override
    public Inventory read(ScanScope scope) {
        GetCallerIdentityResponse identity = sts.getCallerIdentity();
        List<IamRole> roles = new ArrayList<>();
        Map<String, ManagedPolicy> policies = new LinkedHashMap<>();
        for (GetAccountAuthorizationDetailsResponse page : iam.getAccountAuthorizationDetailsPaginator(r -> r.filter(
                EntityType.ROLE, EntityType.LOCAL_MANAGED_POLICY, EntityType.AWS_MANAGED_POLICY))) {
            page.roleDetailList().forEach(role -> roles.add(role(role)));
            page.policies().forEach(policy -> policies.put(policy.arn(), managedPolicy(policy)));
        }
        List<OidcProvider> providers = new ArrayList<>();
        for (OpenIDConnectProviderListEntry entry : iam.listOpenIDConnectProviders().openIDConnectProviderList()) {
            GetOpenIdConnectProviderResponse provider = iam.getOpenIDConnectProvider(r -> r.openIDConnectProviderArn(entry.arn()));
            providers.add(new OidcProvider(entry.arn(), provider.url(), provider.clientIDList()));
        }
        List<EcrRepository> repositories = new ArrayList<>();
        List<AccountReport.NotEvaluated> notEvaluated = new ArrayList<>();
        for (RepositoryRead read : readRepositories(describe(scope))) {
            switch (read) {
                case RepositoryRead.Read r -> repositories.add(r.repository());
                case RepositoryRead.Failed f -> notEvaluated.add(f.notEvaluated());
                case RepositoryRead.Gone g -> { } // deleted since DescribeRepositories: absent, like a name that never existed
            }
        }
        AccountSnapshot snapshot = new AccountSnapshot(identity.account(), region, partition(identity.arn()), roles, policies,
                providers, repositories);
        return new Inventory(snapshot, notEvaluated);
    }

    private static IamRole role(RoleDetail role) {
        List<IamRole.InlinePolicy> inline = role.rolePolicyList().stream()
                .map(p -> new IamRole.InlinePolicy(p.policyName(), SnapshotParser.decode(p.policyDocument()))).toList();
        List<String> attached = role.attachedManagedPolicies().stream().map(AttachedPolicy::policyArn).toList();
        Optional<String> boundary = Optional.ofNullable(role.permissionsBoundary()).map(AttachedPermissionsBoundary::permissionsBoundaryArn);
        Map<String, String> tags = new LinkedHashMap<>();
        role.tags().forEach(t -> tags.put(t.key(), t.value()));
        return new IamRole(role.roleName(), role.arn(), role.path() == null ? "/" : role.path(),
                role.assumeRolePolicyDocument() == null ? "" : SnapshotParser.decode(role.assumeRolePolicyDocument()),
                inline, attached, boundary, tags);
    }

    private static ManagedPolicy managedPolicy(ManagedPolicyDetail policy) {
        Optional<String> document = policy.policyVersionList().stream()
                .filter(v -> Boolean.TRUE.equals(v.isDefaultVersion()) || v.versionId().equals(policy.defaultVersionId()))
                .map(PolicyVersion::document)
                .filter(Objects::nonNull)
                .findFirst()
                .map(SnapshotParser::decode);
        return new ManagedPolicy(policy.arn(), policy.policyName(), document);
    }

    /** The repositories in scope. Names that do not exist (any more) are left out, which makes their roles orphans. */
    private List<Repository> describe(ScanScope scope) {
        return switch (scope) {
            case ScanScope.WholeAccount w -> ecr.describeRepositoriesPaginator(r -> { }).repositories().stream().toList();
            case ScanScope.Repositories named -> {
                List<String> names = named.names().stream().sorted().toList();
                List<Repository> found = new ArrayList<>();
                for (int i = 0; i < names.size(); i += NAMES_PER_DESCRIBE) {
                    found.addAll(describeNamed(names.subList(i, Math.min(names.size(), i + NAMES_PER_DESCRIBE))));
                }
                yield found;
            }
        };
    }

    /**
     * One missing name fails the whole DescribeRepositories request, so only then ask name by name. A name ECR
     * cannot have (InvalidParameterException) is missing too: it fails only itself, never the scan.
     */
    private List<Repository> describeNamed(List<String> names) {
        try {
            return ecr.describeRepositories(r -> r.repositoryNames(names)).repositories();
        } catch (RepositoryNotFoundException | InvalidParameterException batchHasMissingName) {
            if (names.size() == 1) {
                return List.of();
            }
            List<Repository> found = new ArrayList<>();
            for (String name : names) {
                found.addAll(describeNamed(List.of(name)));
            }
            return found;
        }
    }

    private List<RepositoryRead> readRepositories(List<Repository> repositories) {
        try (ExecutorService pool = Executors.newFixedThreadPool(CONCURRENCY)) {
            List<Future<RepositoryRead>> reads = repositories.stream().map(r -> pool.submit(() -> readRepository(r))).toList();
            List<RepositoryRead> out = new ArrayList<>();
            for (Future<RepositoryRead> read : reads) {
                out.add(read.get());
            }
            return out;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading repositories", e);
        } catch (ExecutionException e) {
            // Only SDK failures are expected (and handled per repository); anything else is a bug worth surfacing.
            throw new IllegalStateException("reading a repository failed unexpectedly", e.getCause());
        }
    }

    private RepositoryRead readRepository(Repository repository) {
        String step = "ecr:GetRepositoryPolicy";
        try {
            Optional<String> policy;
            try {
                policy = Optional.ofNullable(ecr.getRepositoryPolicy(r -> r.registryId(repository.registryId())
                        .repositoryName(repository.repositoryName())).policyText()).map(SnapshotParser::decode);
            } catch (RepositoryPolicyNotFoundException noPolicy) {
                policy = Optional.empty();
            }
            step = "ecr:ListTagsForResource";
            Map<String, String> tags = new LinkedHashMap<>();
            ecr.listTagsForResource(r -> r.resourceArn(repository.repositoryArn())).tags().forEach(t -> tags.put(t.key(), t.value()));
            return new RepositoryRead.Read(new EcrRepository(repository.repositoryName(), repository.repositoryArn(), policy, tags));
        } catch (RepositoryNotFoundException deleted) {
            return new RepositoryRead.Gone();
        } catch (SdkException e) {
            return new RepositoryRead.Failed(new AccountReport.NotEvaluated(repository.repositoryName(),
                    step + " failed after retries: " + e.getMessage()));
        }
    }

    /** {@code arn:<partition>:sts::<account>:assumed-role/...}: the partition the account lives in. */
    private static String partition(String callerArn) {
        String[] parts = callerArn.split(":", 3);
        return parts.length == 3 ? parts[1] : "aws";
    }

    private sealed interface RepositoryRead {
        record Read(EcrRepository repository) implements RepositoryRead {
        }

        record Failed(AccountReport.NotEvaluated notEvaluated) implements RepositoryRead {
        }

        record Gone() implements RepositoryRead {
        }
    }
}
