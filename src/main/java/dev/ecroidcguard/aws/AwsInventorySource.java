package dev.ecroidcguard.aws;

import dev.ecroidcguard.core.ScanScope;
import dev.ecroidcguard.core.TimeBudget;
import dev.ecroidcguard.core.inventory.AccountSnapshot;
import dev.ecroidcguard.core.inventory.EcrRepository;
import dev.ecroidcguard.core.inventory.IamRole;
import dev.ecroidcguard.core.inventory.ManagedPolicy;
import dev.ecroidcguard.core.inventory.OidcProvider;
import dev.ecroidcguard.core.inventory.SnapshotParser;
import dev.ecroidcguard.core.report.AccountReport;
import dev.ecroidcguard.ports.Inventory;
import dev.ecroidcguard.ports.InventorySource;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
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
import software.amazon.awssdk.services.resourcegroupstaggingapi.ResourceGroupsTaggingApiClient;
import software.amazon.awssdk.services.resourcegroupstaggingapi.model.ResourceTagMapping;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.model.GetCallerIdentityResponse;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
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
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;

/**
 * Reads an account with the fewest calls: one {@code GetAccountAuthorizationDetails} pass (1,000 entities a page)
 * for every role and managed policy — never per-role {@code GetRole}/{@code ListRolePolicies} loops — the OIDC
 * providers, {@code DescribeRepositories} (1,000 a page), then per repository its policy; tags as
 * {@link TagReads} says. The per-repository reads are paced ({@link AdaptiveConcurrency}): fewer at once while
 * ECR throttles, more while it answers; a throttled repository is tried again, after a backoff, for as long as the
 * {@link TimeBudget} lasts, and what could not be read before it ran out is reported as not evaluated, with the
 * reason. A repository whose read fails otherwise (denied, or a server error that outlasts
 * {@link Pacing#maxRounds} rounds of the SDK's retries) is not evaluated either; none disappears from the report
 * and none aborts the scan. Failures of the account-wide calls do abort: without roles or the repository list
 * nothing can be judged. The account-wide reads are made through {@link AccountReads}, which an organization run shares
 * between the regions of one account (IAM read once per account, each region's listing once).
 */
public final class AwsInventorySource implements InventorySource {

    /**
     * The IAM actions this adapter calls (the template test compares them to template.yaml).
     * {@code sts:GetCallerIdentity} is not listed: it needs no permission and cannot be denied.
     */
    public static final Set<String> REQUIRED_PERMISSIONS = Set.of(
            "iam:GetAccountAuthorizationDetails", "iam:ListOpenIDConnectProviders", "iam:GetOpenIDConnectProvider",
            "ecr:DescribeRepositories", "ecr:GetRepositoryPolicy", "ecr:ListTagsForResource", "tag:GetResources");

    /**
     * Where repository tags come from ({@code TAG_READS}).
     * <ul>
     * <li>{@code BULK} (the default): a whole-account scan, or a chunk of one (whose bulk read covers the whole
     * account's repositories, still fewer calls than one per repository of the chunk), reads them with the Resource Groups Tagging API,
     * {@code GetResources} for type {@code ecr:repository}, 100 repositories a call, instead of one
     * {@code ListTagsForResource} each. That API is eventually consistent: a repository it does not list (never
     * tagged, or created or tagged moments ago) is read with {@code ListTagsForResource}, and a tag changed moments
     * before a scheduled scan may be seen as it was (the next scan, or the event the change raises, sees it).
     * A scan of named repositories (an event about one new repository) always reads per repository, where a
     * lagging index would matter most and few calls are at stake.</li>
     * <li>{@code PER_REPOSITORY}: always {@code ListTagsForResource}; for emulators whose tagging API does not know
     * ECR (moto answers {@code GetResources} with no repository, which would cost one useless call).</li>
     * </ul>
     */
    public enum TagReads { BULK, PER_REPOSITORY }

    /**
     * The pacing of per-repository reads: the concurrency (start, floor, ceiling), the backoff between rounds
     * (doubling from {@code firstBackoff}, capped, with jitter), and how many rounds a repository gets for errors
     * other than throttling (throttles are retried while time remains).
     */
    public record Pacing(int initialConcurrency, int minConcurrency, int maxConcurrency, Duration firstBackoff, Duration maxBackoff,
                         int maxRounds) {
        /** Start at 4 in flight, ramp up to 16; back off 200 ms doubling to 5 s; 5 rounds for server errors. */
        public static final Pacing DEFAULT = new Pacing(4, 1, 16, Duration.ofMillis(200), Duration.ofSeconds(5), 5);

        Duration backoff(int round) {
            long millis = Math.min(maxBackoff.toMillis(), firstBackoff.toMillis() << Math.min(20, round - 1));
            return Duration.ofMillis(millis / 2 + (millis == 0 ? 0 : ThreadLocalRandom.current().nextLong(millis / 2 + 1)));
        }
    }

    /** DescribeRepositories accepts at most 100 names per request. */
    private static final int NAMES_PER_DESCRIBE = 100;
    /** The largest pages the APIs serve: GetAccountAuthorizationDetails and DescribeRepositories 1,000, GetResources 100. */
    static final int IAM_PAGE = 1000;
    static final int ECR_PAGE = 1000;
    static final int TAGGING_PAGE = 100;

    private final IamClient iam;
    private final EcrClient ecr;
    private final StsClient sts;
    private final Supplier<ResourceGroupsTaggingApiClient> tagging;
    private final String region;
    private final TagReads tagReads;
    private final Pacing pacing;
    private final AccountReads reads;

    /**
     * {@code tagging} is asked for only when a bulk tag read happens, so a scoped scan never builds that client;
     * {@code reads} shares the account's IAM read and repository listings with the scans of its other regions.
     */
    public AwsInventorySource(IamClient iam, EcrClient ecr, StsClient sts, Supplier<ResourceGroupsTaggingApiClient> tagging, String region,
                              TagReads tagReads, Pacing pacing, AccountReads reads) {
        this.iam = iam;
        this.ecr = ecr;
        this.sts = sts;
        this.tagging = tagging;
        this.region = region;
        this.tagReads = tagReads;
        this.pacing = pacing;
        this.reads = reads;
    }

    /** A source that shares nothing: the single-account function, the CLI. */
    public static AwsInventorySource of(AwsClients clients, TagReads tagReads) {
        return of(clients, tagReads, AccountReads.perScan());
    }

    public static AwsInventorySource of(AwsClients clients, TagReads tagReads, AccountReads reads) {
        return new AwsInventorySource(clients.iam(), clients.ecr(), clients.sts(), clients::tagging, clients.region().id(), tagReads,
                Pacing.DEFAULT, reads);
    }

    @Override
    public Inventory read(ScanScope scope) {
        return read(scope, TimeBudget.UNLIMITED);
    }

    @Override
    public List<String> repositoryNames() {
        return reads.listing(region, () -> listing(ecr)).stream().map(Repository::repositoryName).toList();
    }

    @Override
    public Inventory read(ScanScope scope, TimeBudget budget) {
        AccountReads.Iam account = reads.iam(this::readIam);
        List<EcrRepository> repositories = new ArrayList<>();
        List<AccountReport.NotEvaluated> notEvaluated = new ArrayList<>();
        List<Repository> described = describe(scope);
        Map<String, Map<String, String>> knownTags = tagReads == TagReads.BULK && !(scope instanceof ScanScope.Repositories) && !described.isEmpty()
                ? bulkTags() : Map.of();
        for (RepositoryRead read : readRepositories(described, knownTags, budget)) {
            switch (read) {
                case RepositoryRead.Read r -> repositories.add(r.repository());
                case RepositoryRead.Failed f -> notEvaluated.add(f.notEvaluated());
                case RepositoryRead.Gone g -> { } // deleted since DescribeRepositories: absent, like a name that never existed
            }
        }
        AccountSnapshot snapshot = new AccountSnapshot(account.accountId(), region, account.partition(), account.roles(),
                account.managedPolicies(), account.oidcProviders(), repositories);
        return new Inventory(snapshot, notEvaluated, reads.repositoriesOutside(region));
    }

    /** The account-wide part: who the caller is, every role and managed policy, the OIDC providers. */
    private AccountReads.Iam readIam() {
        GetCallerIdentityResponse identity = sts.getCallerIdentity();
        List<IamRole> roles = new ArrayList<>();
        Map<String, ManagedPolicy> policies = new LinkedHashMap<>();
        for (GetAccountAuthorizationDetailsResponse page : iam.getAccountAuthorizationDetailsPaginator(r -> r.maxItems(IAM_PAGE).filter(
                EntityType.ROLE, EntityType.LOCAL_MANAGED_POLICY, EntityType.AWS_MANAGED_POLICY))) {
            page.roleDetailList().forEach(role -> roles.add(role(role)));
            page.policies().forEach(policy -> policies.put(policy.arn(), managedPolicy(policy)));
        }
        List<OidcProvider> providers = new ArrayList<>();
        for (OpenIDConnectProviderListEntry entry : iam.listOpenIDConnectProviders().openIDConnectProviderList()) {
            GetOpenIdConnectProviderResponse provider = iam.getOpenIDConnectProvider(r -> r.openIDConnectProviderArn(entry.arn()));
            providers.add(new OidcProvider(entry.arn(), provider.url(), provider.clientIDList()));
        }
        return new AccountReads.Iam(identity.account(), partition(identity.arn()), roles, policies, providers);
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
            case ScanScope.WholeAccount w -> reads.listing(region, () -> listing(ecr));
            // A chunk: the listing is a call per 1,000 repositories (shared by the chunk's reads); the per-repository reads
            // are what the range saves.
            case ScanScope.NameRange range -> reads.listing(region, () -> listing(ecr)).stream()
                    .filter(r -> range.covers(r.repositoryName())).toList();
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

    /** Every repository of the region {@code ecr} is a client of. */
    static List<Repository> listing(EcrClient ecr) {
        return ecr.describeRepositoriesPaginator(r -> r.maxResults(ECR_PAGE)).repositories().stream().toList();
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

    /**
     * Every tagged (or once tagged) repository's tags by ARN, from the Tagging API. A failure of that API (not granted
     * to an older deployment, throttled beyond the retries) costs calls, not correctness: every repository is then
     * read per repository.
     */
    private Map<String, Map<String, String>> bulkTags() {
        Map<String, Map<String, String>> byArn = new HashMap<>();
        try {
            for (ResourceTagMapping mapping : tagging.get().getResourcesPaginator(r -> r.resourceTypeFilters("ecr:repository")
                    .resourcesPerPage(TAGGING_PAGE)).resourceTagMappingList()) {
                Map<String, String> tags = new LinkedHashMap<>();
                mapping.tags().forEach(t -> tags.put(t.key(), t.value()));
                byArn.put(mapping.resourceARN(), tags);
            }
            return byArn;
        } catch (SdkException e) {
            return Map.of();
        }
    }

    private List<RepositoryRead> readRepositories(List<Repository> repositories, Map<String, Map<String, String>> knownTags,
                                                  TimeBudget budget) {
        AdaptiveConcurrency concurrency = new AdaptiveConcurrency(pacing.initialConcurrency(), pacing.minConcurrency(),
                pacing.maxConcurrency());
        // One thread per slot at the ceiling; the concurrency decides how many of them are in a call.
        try (ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, Math.min(pacing.maxConcurrency(), repositories.size())))) {
            List<Future<RepositoryRead>> reads = repositories.stream()
                    .map(r -> pool.submit(() -> readRepository(r, knownTags.get(r.repositoryArn()), concurrency, budget))).toList();
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

    /**
     * One repository, in rounds: each round takes a slot, reads what is still missing (the policy; the tags unless
     * {@code knownTags} has them) and frees the slot. A throttled round halves the concurrency and is followed, after
     * a backoff, by another while time remains; other transient errors get {@link Pacing#maxRounds} rounds.
     */
    private RepositoryRead readRepository(Repository repository, Map<String, String> knownTags, AdaptiveConcurrency concurrency,
                                          TimeBudget budget) throws InterruptedException {
        Optional<String> policy = null; // null: not read yet
        Map<String, String> tags = knownTags;
        String lastError = null;
        for (int round = 1; ; round++) {
            Optional<String> outOfTime = budget.exhausted();
            if (outOfTime.isPresent()) {
                return new RepositoryRead.Failed(new AccountReport.NotEvaluated(repository.repositoryName(),
                        "not read before the deadline: " + outOfTime.get() + (lastError == null ? "" : "; last error: " + lastError)));
            }
            long ticket = concurrency.acquire();
            boolean throttled = false;
            String step = "ecr:GetRepositoryPolicy";
            ThrottleSignal.watch();
            try {
                if (policy == null) {
                    policy = policy(repository);
                }
                if (tags == null) {
                    step = "ecr:ListTagsForResource";
                    tags = tags(repository);
                }
                return new RepositoryRead.Read(new EcrRepository(repository.repositoryName(), repository.repositoryArn(), policy, tags));
            } catch (RepositoryNotFoundException deleted) {
                return new RepositoryRead.Gone();
            } catch (SdkException e) {
                throttled = e instanceof AwsServiceException service && service.isThrottlingException();
                lastError = step + " failed after retries: " + e.getMessage();
                if (!throttled && (!transientError(e) || round >= pacing.maxRounds())) {
                    return new RepositoryRead.Failed(new AccountReport.NotEvaluated(repository.repositoryName(), lastError));
                }
            } finally {
                // A throttle the SDK's retries absorbed counts too: the service asked for fewer requests.
                concurrency.release(ticket, ThrottleSignal.throttledSinceWatch() || throttled);
            }
            Thread.sleep(pacing.backoff(round));
        }
    }

    private Optional<String> policy(Repository repository) {
        try {
            return Optional.ofNullable(ecr.getRepositoryPolicy(r -> r.registryId(repository.registryId())
                    .repositoryName(repository.repositoryName())).policyText()).map(SnapshotParser::decode);
        } catch (RepositoryPolicyNotFoundException noPolicy) {
            return Optional.empty();
        }
    }

    private Map<String, String> tags(Repository repository) {
        Map<String, String> tags = new LinkedHashMap<>();
        ecr.listTagsForResource(r -> r.resourceArn(repository.repositoryArn())).tags().forEach(t -> tags.put(t.key(), t.value()));
        return tags;
    }

    /** Worth another round: the service failed (5xx) or the connection did, not the request (denied, invalid). */
    private static boolean transientError(SdkException e) {
        return e instanceof SdkClientException || (e instanceof AwsServiceException service && service.statusCode() >= 500);
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
