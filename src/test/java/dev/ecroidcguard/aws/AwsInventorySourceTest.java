package dev.ecroidcguard.aws;

import dev.ecroidcguard.core.ScanScope;
import dev.ecroidcguard.core.TimeBudget;
import dev.ecroidcguard.core.inventory.EcrRepository;
import dev.ecroidcguard.core.inventory.IamRole;
import dev.ecroidcguard.core.report.AccountReport;
import dev.ecroidcguard.ports.Inventory;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.services.ecr.EcrClient;
import software.amazon.awssdk.services.ecr.model.DescribeRepositoriesRequest;
import software.amazon.awssdk.services.ecr.model.DescribeRepositoriesResponse;
import software.amazon.awssdk.services.ecr.model.EcrException;
import software.amazon.awssdk.services.ecr.model.GetRepositoryPolicyRequest;
import software.amazon.awssdk.services.ecr.model.GetRepositoryPolicyResponse;
import software.amazon.awssdk.services.ecr.model.ListTagsForResourceRequest;
import software.amazon.awssdk.services.ecr.model.ListTagsForResourceResponse;
import software.amazon.awssdk.services.ecr.model.Repository;
import software.amazon.awssdk.services.ecr.model.RepositoryNotFoundException;
import software.amazon.awssdk.services.ecr.model.RepositoryPolicyNotFoundException;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.AttachedPermissionsBoundary;
import software.amazon.awssdk.services.iam.model.AttachedPolicy;
import software.amazon.awssdk.services.iam.model.GetAccountAuthorizationDetailsRequest;
import software.amazon.awssdk.services.iam.model.GetAccountAuthorizationDetailsResponse;
import software.amazon.awssdk.services.iam.model.GetOpenIdConnectProviderRequest;
import software.amazon.awssdk.services.iam.model.GetOpenIdConnectProviderResponse;
import software.amazon.awssdk.services.iam.model.ListOpenIdConnectProvidersRequest;
import software.amazon.awssdk.services.iam.model.ListOpenIdConnectProvidersResponse;
import software.amazon.awssdk.services.iam.model.ManagedPolicyDetail;
import software.amazon.awssdk.services.iam.model.PolicyDetail;
import software.amazon.awssdk.services.iam.model.PolicyVersion;
import software.amazon.awssdk.services.iam.model.RoleDetail;
import software.amazon.awssdk.services.resourcegroupstaggingapi.ResourceGroupsTaggingApiClient;
import software.amazon.awssdk.services.resourcegroupstaggingapi.model.GetResourcesRequest;
import software.amazon.awssdk.services.resourcegroupstaggingapi.model.GetResourcesResponse;
import software.amazon.awssdk.services.resourcegroupstaggingapi.model.ResourceGroupsTaggingApiException;
import software.amazon.awssdk.services.resourcegroupstaggingapi.model.ResourceTagMapping;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.model.GetCallerIdentityRequest;
import software.amazon.awssdk.services.sts.model.GetCallerIdentityResponse;

import java.net.URLEncoder;
import java.time.Duration;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What moto cannot show: real IAM URL-encodes every document and truncates GetAccountAuthorizationDetails, ECR
 * pages DescribeRepositories and throttles, a repository read can keep failing after the SDK's retries, and the
 * Tagging API lists ECR repositories (moto's lists none). In-memory fakes of the SDK client interfaces (only the
 * operations the adapter calls) play those answers.
 */
class AwsInventorySourceTest {

    private static final String ACCOUNT = "210987654321";
    private static final String TRUST = """
            {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Federated":"arn:aws:iam::210987654321:oidc-provider/token.actions.githubusercontent.com"},\
            "Action":"sts:AssumeRoleWithWebIdentity","Condition":{"StringLike":{"token.actions.githubusercontent.com:sub":"repo:acme/c++ tools:*"}}}]}""";
    private static final String PUSH = """
            {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"ecr:PutImage","Resource":"*"}]}""";

    /** IAM's encoding (RFC 3986): every reserved character percent-encoded, spaces as %20, '+' as %2B. */
    private static String iamEncoded(String document) {
        return URLEncoder.encode(document, StandardCharsets.UTF_8).replace("+", "%20");
    }

    @Test
    void followsTruncatedAuthorizationDetailsAndDecodesUrlEncodedDocuments() {
        FakeIam iam = new FakeIam();
        iam.pages.put(null, GetAccountAuthorizationDetailsResponse.builder().isTruncated(true).marker("page-2")
                .roleDetailList(RoleDetail.builder().roleName("github-actions-api").arn("arn:aws:iam::210987654321:role/github-actions-api")
                        .path("/").assumeRolePolicyDocument(iamEncoded(TRUST))
                        .rolePolicyList(PolicyDetail.builder().policyName("push").policyDocument(iamEncoded(PUSH)).build())
                        .attachedManagedPolicies(AttachedPolicy.builder().policyArn("arn:aws:iam::210987654321:policy/p").build())
                        .permissionsBoundary(AttachedPermissionsBoundary.builder().permissionsBoundaryArn("arn:aws:iam::210987654321:policy/b").build())
                        .tags(software.amazon.awssdk.services.iam.model.Tag.builder().key("team").value("a").build())
                        .build())
                .build());
        iam.pages.put("page-2", GetAccountAuthorizationDetailsResponse.builder().isTruncated(false)
                // A raw (not encoded) document, as moto returns some: kept as is.
                .roleDetailList(RoleDetail.builder().roleName("github-actions-web").arn("arn:aws:iam::210987654321:role/github-actions-web")
                        .assumeRolePolicyDocument(TRUST).build())
                .policies(ManagedPolicyDetail.builder().arn("arn:aws:iam::210987654321:policy/p").policyName("p").defaultVersionId("v2")
                        .policyVersionList(
                                PolicyVersion.builder().versionId("v1").isDefaultVersion(false).document(iamEncoded("{\"old\":true}")).build(),
                                PolicyVersion.builder().versionId("v2").isDefaultVersion(true).document(iamEncoded(PUSH)).build())
                        .build())
                .build());
        FakeEcr ecr = new FakeEcr(List.of("api"));

        Inventory inventory = source(iam, ecr).read(new ScanScope.WholeAccount());

        assertThat(iam.markers).containsExactly(null, "page-2");
        Map<String, IamRole> roles = inventory.snapshot().rolesByName();
        assertThat(roles).containsOnlyKeys("github-actions-api", "github-actions-web");
        IamRole api = roles.get("github-actions-api");
        assertThat(api.trustPolicy()).isEqualTo(TRUST);
        assertThat(api.inlinePolicies()).containsExactly(new IamRole.InlinePolicy("push", PUSH));
        assertThat(api.attachedPolicyArns()).containsExactly("arn:aws:iam::210987654321:policy/p");
        assertThat(api.permissionsBoundaryArn()).contains("arn:aws:iam::210987654321:policy/b");
        assertThat(api.tags()).containsEntry("team", "a");
        assertThat(roles.get("github-actions-web").trustPolicy()).isEqualTo(TRUST);
        assertThat(roles.get("github-actions-web").path()).isEqualTo("/");
        assertThat(inventory.snapshot().managedPolicy("arn:aws:iam::210987654321:policy/p").orElseThrow().defaultDocument()).contains(PUSH);
        assertThat(inventory.snapshot().accountId()).isEqualTo(ACCOUNT);
        assertThat(inventory.snapshot().partition()).isEqualTo("aws");
        assertThat(inventory.snapshot().oidcProviders()).singleElement()
                .satisfies(p -> assertThat(p.url()).isEqualTo("token.actions.githubusercontent.com"));
    }

    @Test
    void followsDescribeRepositoriesPagesAndReadsEveryRepository() {
        List<String> names = IntStream.range(0, 250).mapToObj(i -> "repo-%03d".formatted(i)).toList();
        FakeEcr ecr = new FakeEcr(names);
        ecr.pageSize = 100;
        ecr.policies.put("repo-007", iamEncoded(PUSH));

        Inventory inventory = source(new FakeIam(), ecr).read(new ScanScope.WholeAccount());

        assertThat(ecr.describeTokens).containsExactly(null, "100", "200");
        assertThat(inventory.snapshot().repositories()).extracting(EcrRepository::name).containsExactlyElementsOf(names);
        assertThat(inventory.snapshot().repositories().get(7).policyText()).contains(PUSH);
        assertThat(inventory.snapshot().repositories().get(8).policyText()).isEmpty();
        assertThat(inventory.snapshot().repositories().get(8).tags()).containsEntry("github:repository", "acme/repo-008");
        assertThat(inventory.notEvaluated()).isEmpty();
    }

    @Test
    void aRepositoryThrottledUntilTheDeadlineIsNotEvaluatedWithTheReasonAndTheOthersAreRead() {
        FakeEcr ecr = new FakeEcr(List.of("api", "flaky-policy", "flaky-tags", "web"));
        ecr.failing.put("flaky-policy", "policy");
        ecr.failing.put("flaky-tags", "tags");
        AtomicInteger checks = new AtomicInteger();
        // The deadline comes once the healthy repositories are being read and the throttled policy has been tried 8 times
        // (not after a number of budget checks, which depends on how the reader threads are scheduled): throttled reads
        // are retried until then, not given up.
        TimeBudget budget = () -> Optional.ofNullable(ecr.policyCalls.get("flaky-policy")).map(AtomicInteger::get).orElse(0) >= 8
                && ecr.tagCalls.contains("api") && ecr.tagCalls.contains("web")
                || checks.incrementAndGet() > 1_000_000 ? Optional.of("the invocation's time ran out") : Optional.empty();

        Inventory inventory = source(new FakeIam(), ecr).read(new ScanScope.WholeAccount(), budget);

        assertThat(inventory.snapshot().repositories()).extracting(EcrRepository::name).containsExactly("api", "web");
        assertThat(inventory.notEvaluated()).extracting(AccountReport.NotEvaluated::repository).containsExactly("flaky-policy", "flaky-tags");
        assertThat(inventory.notEvaluated().get(0).reason()).startsWith("not read before the deadline: the invocation's time ran out; "
                + "last error: ecr:GetRepositoryPolicy failed after retries: Rate exceeded");
        assertThat(inventory.notEvaluated().get(1).reason()).startsWith("not read before the deadline: the invocation's time ran out; "
                + "last error: ecr:ListTagsForResource failed after retries: Rate exceeded");
        assertThat(ecr.policyCalls.get("flaky-policy").get()).as("retried in rounds until the deadline").isGreaterThan(5);
        assertThat(ecr.policyCalls.get("flaky-tags").get()).as("the policy, once read, is not read again").isEqualTo(1);
    }

    @Test
    void throttlingLowersTheConcurrencyAndEveryRepositoryIsStillRead() {
        List<String> names = IntStream.range(0, 60).mapToObj(i -> "repo-" + i).toList();
        FakeEcr ecr = new FakeEcr(names);
        ecr.latencyMillis = 5;
        ecr.throttleWhileInFlightAbove = 3; // the service answers three at a time and throttles the rest
        AwsInventorySource source = new AwsInventorySource(new FakeIam(), ecr, new FakeSts(), FakeTagging::new, "eu-west-1",
                AwsInventorySource.TagReads.PER_REPOSITORY, new AwsInventorySource.Pacing(8, 1, 16, Duration.ofMillis(1), Duration.ofMillis(20), 3),
                AccountReads.perScan());

        Inventory inventory = source.read(new ScanScope.WholeAccount(), TimeBudget.UNLIMITED);

        assertThat(inventory.notEvaluated()).isEmpty();
        assertThat(inventory.snapshot().repositories()).extracting(EcrRepository::name).containsExactlyElementsOf(names);
        assertThat(ecr.throttled.get()).as("the fake did push back").isPositive();
        // Throttles halve the concurrency: most calls run within what the service answers.
        assertThat(ecr.throttled.get()).isLessThan(names.size());
    }

    @Test
    void aServerErrorIsTriedForTheConfiguredRoundsAndADenialOnce() {
        FakeEcr ecr = new FakeEcr(List.of("api", "broken", "denied"));
        ecr.failing.put("broken", "server-error");
        ecr.failing.put("denied", "denied");

        Inventory inventory = source(new FakeIam(), ecr).read(new ScanScope.WholeAccount(), TimeBudget.UNLIMITED);

        assertThat(inventory.notEvaluated()).extracting(AccountReport.NotEvaluated::repository).containsExactly("broken", "denied");
        assertThat(inventory.notEvaluated().get(0).reason()).startsWith("ecr:GetRepositoryPolicy failed after retries: We encountered an internal error");
        assertThat(inventory.notEvaluated().get(1).reason()).startsWith("ecr:GetRepositoryPolicy failed after retries: not authorized");
        assertThat(ecr.policyCalls.get("broken").get()).isEqualTo(TEST_PACING.maxRounds());
        assertThat(ecr.policyCalls.get("denied").get()).isEqualTo(1);
    }

    @Test
    void aWholeAccountScanReadsTagsInBulkAndOnlyUnlistedRepositoriesOneByOne() {
        List<String> names = IntStream.range(0, 250).mapToObj(i -> "repo-%03d".formatted(i)).toList();
        FakeEcr ecr = new FakeEcr(names);
        FakeTagging tagging = new FakeTagging();
        names.stream().filter(n -> !n.equals("repo-042")).forEach(n -> tagging.tags.put(FakeEcr.arn(n), Map.of("github:repository", "bulk/" + n)));
        tagging.tags.put("arn:aws:ecr:eu-west-1:" + ACCOUNT + ":repository/deleted-long-ago", Map.of("github:repository", "x/y"));

        Inventory inventory = bulk(ecr, tagging).read(new ScanScope.WholeAccount(), TimeBudget.UNLIMITED);

        assertThat(tagging.requests).hasSize(3).allSatisfy(r -> {
            assertThat(r.resourceTypeFilters()).containsExactly("ecr:repository");
            assertThat(r.resourcesPerPage()).isEqualTo(100);
        });
        Map<String, EcrRepository> read = new LinkedHashMap<>();
        inventory.snapshot().repositories().forEach(r -> read.put(r.name(), r));
        assertThat(read).hasSize(250);
        assertThat(read.get("repo-007").tags()).containsExactly(Map.entry("github:repository", "bulk/repo-007"));
        // Not in the Tagging API's index (untagged, or too new): read on its own.
        assertThat(read.get("repo-042").tags()).containsExactly(Map.entry("github:repository", "acme/repo-042"));
        assertThat(ecr.tagCalls).containsExactly("repo-042");
        assertThat(ecr.policyCalls).hasSize(250);
    }

    @Test
    void aScopedScanAndAFailingTaggingApiReadTagsPerRepository() {
        FakeEcr ecr = new FakeEcr(List.of("api", "web"));
        FakeTagging tagging = new FakeTagging();
        tagging.tags.put(FakeEcr.arn("api"), Map.of("github:repository", "stale/api"));

        Inventory scoped = bulk(ecr, tagging).read(new ScanScope.Repositories(Set.of("api")), TimeBudget.UNLIMITED);
        assertThat(tagging.requests).as("an event about one repository: the index may lag behind it").isEmpty();
        assertThat(scoped.snapshot().repositories().getFirst().tags()).containsEntry("github:repository", "acme/api");

        tagging.failure = ResourceGroupsTaggingApiException.builder().statusCode(400).message("not authorized to perform tag:GetResources").build();
        Inventory whole = bulk(ecr, tagging).read(new ScanScope.WholeAccount(), TimeBudget.UNLIMITED);
        assertThat(whole.notEvaluated()).isEmpty();
        assertThat(whole.snapshot().repositories()).allSatisfy(r -> assertThat(r.tags()).containsEntry("github:repository", "acme/" + r.name()));
        assertThat(ecr.tagCalls).containsExactlyInAnyOrder("api", "api", "web");
    }

    @Test
    void readsWithTheLargestPages() {
        FakeIam iam = new FakeIam();
        FakeEcr ecr = new FakeEcr(List.of("api"));

        source(iam, ecr).read(new ScanScope.WholeAccount());

        assertThat(iam.maxItems).containsExactly(1000);
        assertThat(ecr.maxResults).containsExactly(1000);
    }

    @Test
    void aScopedReadAsksForTheNamesAndFallsBackNameByNameWhenOneNoLongerExists() {
        FakeEcr ecr = new FakeEcr(List.of("api", "web", "worker"));

        Inventory present = source(new FakeIam(), ecr).read(new ScanScope.Repositories(Set.of("api", "web")));
        assertThat(present.snapshot().repositories()).extracting(EcrRepository::name).containsExactly("api", "web");
        assertThat(ecr.describedNames).containsExactly(List.of("api", "web"));

        ecr.describedNames.clear();
        Inventory oneGone = source(new FakeIam(), ecr).read(new ScanScope.Repositories(Set.of("api", "deleted")));
        assertThat(oneGone.snapshot().repositories()).extracting(EcrRepository::name).containsExactly("api");
        assertThat(oneGone.notEvaluated()).isEmpty();
        assertThat(ecr.describedNames).containsExactly(List.of("api", "deleted"), List.of("api"), List.of("deleted"));
    }

    /** Issue 12, problem 12: a name ECR cannot have (from a role name) made DescribeRepositories fail the whole scan. */
    @Test
    void aNameEcrCannotHaveIsAbsentAndFailsNothingElse() {
        FakeEcr ecr = new FakeEcr(List.of("api", "web"));

        Inventory inventory = source(new FakeIam(), ecr).read(new ScanScope.Repositories(Set.of("Foo", "web")));

        assertThat(inventory.snapshot().repositories()).extracting(EcrRepository::name).containsExactly("web");
        assertThat(ecr.describedNames).containsExactly(List.of("Foo", "web"), List.of("Foo"), List.of("web"));
    }

    @Test
    void aRepositoryDeletedWhileBeingReadIsAbsentNotFailed() {
        FakeEcr ecr = new FakeEcr(List.of("api", "vanishing"));
        ecr.failing.put("vanishing", "deleted");

        Inventory inventory = source(new FakeIam(), ecr).read(new ScanScope.WholeAccount());

        assertThat(inventory.snapshot().repositories()).extracting(EcrRepository::name).containsExactly("api");
        assertThat(inventory.notEvaluated()).isEmpty();
    }

    @Test
    void repositoriesAreReadConcurrentlyButNeverMoreThanTheBound() {
        FakeEcr ecr = new FakeEcr(IntStream.range(0, 40).mapToObj(i -> "repo-" + i).toList());
        ecr.latencyMillis = 15;

        source(new FakeIam(), ecr).read(new ScanScope.WholeAccount());

        assertThat(ecr.maxInFlight.get()).isBetween(2, TEST_PACING.maxConcurrency());
    }

    /** The default pacing without its waits. */
    private static final AwsInventorySource.Pacing TEST_PACING = new AwsInventorySource.Pacing(4, 1, 16, Duration.ZERO, Duration.ZERO, 5);

    private static AwsInventorySource source(FakeIam iam, FakeEcr ecr) {
        return new AwsInventorySource(iam, ecr, new FakeSts(), () -> {
            throw new AssertionError("per-repository tag reads never ask for the Tagging API");
        }, "eu-west-1", AwsInventorySource.TagReads.PER_REPOSITORY, TEST_PACING, AccountReads.perScan());
    }

    private static AwsInventorySource bulk(FakeEcr ecr, FakeTagging tagging) {
        return new AwsInventorySource(new FakeIam(), ecr, new FakeSts(), () -> tagging, "eu-west-1", AwsInventorySource.TagReads.BULK,
                TEST_PACING, AccountReads.perScan());
    }

    /** GetResources over {@code tags} by ARN, 100 a page at most, the index of the next entry as the token ("" at the end, as AWS). */
    private static final class FakeTagging implements ResourceGroupsTaggingApiClient {
        final Map<String, Map<String, String>> tags = new LinkedHashMap<>();
        final List<GetResourcesRequest> requests = new ArrayList<>();
        RuntimeException failure;

        @Override
        public GetResourcesResponse getResources(GetResourcesRequest request) {
            requests.add(request);
            if (failure != null) {
                throw failure;
            }
            assertThat(request.resourcesPerPage()).isBetween(1, 100);
            List<String> arns = new ArrayList<>(tags.keySet());
            int from = request.paginationToken() == null || request.paginationToken().isEmpty() ? 0 : Integer.parseInt(request.paginationToken());
            int to = Math.min(arns.size(), from + request.resourcesPerPage());
            return GetResourcesResponse.builder()
                    .resourceTagMappingList(arns.subList(from, to).stream().map(arn -> ResourceTagMapping.builder().resourceARN(arn)
                            .tags(tags.get(arn).entrySet().stream().map(t -> software.amazon.awssdk.services.resourcegroupstaggingapi.model.Tag
                                    .builder().key(t.getKey()).value(t.getValue()).build()).toList()).build()).toList())
                    .paginationToken(to < arns.size() ? String.valueOf(to) : "")
                    .build();
        }

        @Override
        public String serviceName() {
            return "tagging";
        }

        @Override
        public void close() {
        }
    }

    /** GetAccountAuthorizationDetails pages by marker (null: first page), one GitHub OIDC provider. */
    private static final class FakeIam implements IamClient {
        final Map<String, GetAccountAuthorizationDetailsResponse> pages = new LinkedHashMap<>();
        final List<String> markers = new ArrayList<>();
        final List<Integer> maxItems = new ArrayList<>();

        FakeIam() {
            pages.put(null, GetAccountAuthorizationDetailsResponse.builder().isTruncated(false).build());
        }

        @Override
        public GetAccountAuthorizationDetailsResponse getAccountAuthorizationDetails(GetAccountAuthorizationDetailsRequest request) {
            assertThat(request.filterAsStrings()).containsExactlyInAnyOrder("Role", "LocalManagedPolicy", "AWSManagedPolicy");
            markers.add(request.marker());
            maxItems.add(request.maxItems());
            return pages.get(request.marker());
        }

        @Override
        public ListOpenIdConnectProvidersResponse listOpenIDConnectProviders(ListOpenIdConnectProvidersRequest request) {
            return ListOpenIdConnectProvidersResponse.builder().openIDConnectProviderList(e -> e.arn(
                    "arn:aws:iam::210987654321:oidc-provider/token.actions.githubusercontent.com")).build();
        }

        @Override
        public GetOpenIdConnectProviderResponse getOpenIDConnectProvider(GetOpenIdConnectProviderRequest request) {
            return GetOpenIdConnectProviderResponse.builder().url("token.actions.githubusercontent.com").clientIDList("sts.amazonaws.com").build();
        }

        @Override
        public String serviceName() {
            return "iam";
        }

        @Override
        public void close() {
        }
    }

    /**
     * Repositories by name, paged by {@code pageSize} with the next index as token; every repository tagged with its
     * GitHub name; {@code failing} makes a repository's "policy" or "tags" read throttle, or a read find it "deleted".
     */
    private static final class FakeEcr implements EcrClient {
        final List<String> names;
        final Map<String, String> policies = new LinkedHashMap<>();
        final Map<String, String> failing = new LinkedHashMap<>();
        final List<String> describeTokens = Collections.synchronizedList(new ArrayList<>());
        final List<List<String>> describedNames = Collections.synchronizedList(new ArrayList<>());
        final AtomicInteger inFlight = new AtomicInteger();
        final AtomicInteger maxInFlight = new AtomicInteger();
        final Map<String, AtomicInteger> policyCalls = new java.util.concurrent.ConcurrentHashMap<>();
        final List<String> tagCalls = Collections.synchronizedList(new ArrayList<>());
        final List<Integer> maxResults = Collections.synchronizedList(new ArrayList<>());
        final AtomicInteger throttled = new AtomicInteger();
        int pageSize = 1000;
        long latencyMillis;
        int throttleWhileInFlightAbove = Integer.MAX_VALUE;

        FakeEcr(List<String> names) {
            this.names = names;
        }

        @Override
        public DescribeRepositoriesResponse describeRepositories(DescribeRepositoriesRequest request) {
            if (request.hasRepositoryNames()) {
                describedNames.add(request.repositoryNames());
                if (request.repositoryNames().stream().anyMatch(n -> EcrRepository.nameInvalidBecause(n).isPresent())) {
                    throw software.amazon.awssdk.services.ecr.model.InvalidParameterException.builder()
                            .message("Invalid parameter at 'repositoryNames' failed to satisfy constraint").statusCode(400).build();
                }
                Set<String> missing = new HashSet<>(request.repositoryNames());
                missing.removeAll(names);
                if (!missing.isEmpty()) {
                    throw RepositoryNotFoundException.builder().message("The repository with name '" + missing.iterator().next()
                            + "' does not exist in the registry with id '" + ACCOUNT + "'").statusCode(400).build();
                }
                return DescribeRepositoriesResponse.builder().repositories(request.repositoryNames().stream().map(FakeEcr::repository).toList()).build();
            }
            describeTokens.add(request.nextToken());
            maxResults.add(request.maxResults());
            int from = request.nextToken() == null ? 0 : Integer.parseInt(request.nextToken());
            int to = Math.min(names.size(), from + pageSize);
            return DescribeRepositoriesResponse.builder()
                    .repositories(names.subList(from, to).stream().map(FakeEcr::repository).toList())
                    .nextToken(to < names.size() ? String.valueOf(to) : null)
                    .build();
        }

        @Override
        public GetRepositoryPolicyResponse getRepositoryPolicy(GetRepositoryPolicyRequest request) {
            int now = inFlight.incrementAndGet();
            maxInFlight.accumulateAndGet(now, Math::max);
            policyCalls.computeIfAbsent(request.repositoryName(), k -> new AtomicInteger()).incrementAndGet();
            try {
                Thread.sleep(latencyMillis);
                if (now > throttleWhileInFlightAbove) {
                    throttled.incrementAndGet();
                    throw throttle();
                }
                fail(request.repositoryName(), "policy");
                String policy = policies.get(request.repositoryName());
                if (policy == null) {
                    throw RepositoryPolicyNotFoundException.builder().message("Repository policy does not exist").statusCode(400).build();
                }
                return GetRepositoryPolicyResponse.builder().repositoryName(request.repositoryName()).policyText(policy).build();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            } finally {
                inFlight.decrementAndGet();
            }
        }

        @Override
        public ListTagsForResourceResponse listTagsForResource(ListTagsForResourceRequest request) {
            String name = request.resourceArn().substring(request.resourceArn().indexOf('/') + 1);
            tagCalls.add(name);
            fail(name, "tags");
            return ListTagsForResourceResponse.builder().tags(t -> t.key("github:repository").value("acme/" + name)).build();
        }

        private void fail(String repository, String read) {
            String how = failing.get(repository);
            if ("deleted".equals(how)) {
                throw RepositoryNotFoundException.builder().message("The repository does not exist").statusCode(400).build();
            }
            if (read.equals(how)) {
                throw throttle();
            }
            if ("server-error".equals(how)) {
                throw EcrException.builder().message("We encountered an internal error").statusCode(500)
                        .awsErrorDetails(AwsErrorDetails.builder().errorCode("ServerException").errorMessage("We encountered an internal error").build())
                        .build();
            }
            if ("denied".equals(how)) {
                throw EcrException.builder().message("not authorized to perform ecr:GetRepositoryPolicy").statusCode(400)
                        .awsErrorDetails(AwsErrorDetails.builder().errorCode("AccessDeniedException").build()).build();
            }
        }

        private static EcrException throttle() {
            return (EcrException) EcrException.builder().message("Rate exceeded").statusCode(400)
                    .awsErrorDetails(AwsErrorDetails.builder().errorCode("ThrottlingException").errorMessage("Rate exceeded").build()).build();
        }

        static String arn(String name) {
            return "arn:aws:ecr:eu-west-1:" + ACCOUNT + ":repository/" + name;
        }

        private static Repository repository(String name) {
            return Repository.builder().repositoryName(name).registryId(ACCOUNT).repositoryArn(arn(name)).build();
        }

        @Override
        public String serviceName() {
            return "ecr";
        }

        @Override
        public void close() {
        }
    }

    private static final class FakeSts implements StsClient {
        @Override
        public GetCallerIdentityResponse getCallerIdentity(GetCallerIdentityRequest request) {
            return GetCallerIdentityResponse.builder().account(ACCOUNT)
                    .arn("arn:aws:sts::" + ACCOUNT + ":assumed-role/ecr-oidc-guard/session").build();
        }

        @Override
        public String serviceName() {
            return "sts";
        }

        @Override
        public void close() {
        }
    }
}
