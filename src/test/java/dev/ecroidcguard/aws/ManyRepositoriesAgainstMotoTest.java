package dev.ecroidcguard.aws;

import dev.ecroidcguard.core.Analyzer;
import dev.ecroidcguard.core.ScanScope;
import dev.ecroidcguard.core.TimeBudget;
import dev.ecroidcguard.core.report.AccountReport;
import dev.ecroidcguard.ports.Inventory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * An account past the page sizes of real AWS, read through {@link FaultProxy} so the calls are counted on the wire,
 * not by the project's own counter: this is the test that fails when a change adds a call per repository. moto
 * answers in one page, so this proves the scale and the per-repository cost; the page-following, the bulk tag read
 * over a Tagging API that lists ECR repositories, and the pacing are proven with fakes in {@link AwsInventorySourceTest}.
 */
@ExtendWith(MotoServer.class)
class ManyRepositoriesAgainstMotoTest {

    private static final int REPOSITORIES = 160;
    /**
     * Calls whatever the account's size: GetCallerIdentity, GetAccountAuthorizationDetails, ListOpenIDConnectProviders,
     * GetOpenIDConnectProvider (one provider), DescribeRepositories.
     */
    private static final int PER_SCAN = 5;

    @Test
    void everyOneOf160RepositoriesIsReadAndAnalysedAtTwoCallsPerRepositoryCountedOnTheWire(MotoServer.Moto moto) {
        try (FaultProxy proxy = new FaultProxy(moto.endpoint());
             AwsClients clients = AwsClients.forEndpoint(MotoServer.REGION, proxy.endpoint(), moto.credentials(), List.of(CallsMade.RECORDER))) {
            seed(clients);

            proxy.resetCounts();
            Inventory inventory = AwsInventorySource.of(clients, AwsInventorySource.TagReads.PER_REPOSITORY)
                    .read(new ScanScope.WholeAccount(), TimeBudget.UNLIMITED);
            Map<String, Integer> calls = proxy.calls();

            assertThat(inventory.snapshot().repositories()).hasSize(REPOSITORIES);
            assertThat(inventory.snapshot().roles()).hasSize(REPOSITORIES);
            assertThat(inventory.notEvaluated()).isEmpty();
            assertThat(calls)
                    .containsEntry("ecr:GetRepositoryPolicy", REPOSITORIES)
                    .containsEntry("ecr:ListTagsForResource", REPOSITORIES)
                    .containsEntry("iam:GetAccountAuthorizationDetails", 1)
                    .containsEntry("ecr:DescribeRepositories", 1);
            // The policy read is the one call a repository needs; its tags are the second here (the bulk read
            // replaces them on AWS). No per-role calls however many roles there are.
            assertThat(total(calls)).isEqualTo(2 * REPOSITORIES + PER_SCAN);
            assertThat(clients.calls().counts()).as("the project's own count agrees with the wire")
                    .containsEntry("ecr:GetRepositoryPolicy", REPOSITORIES);

            AccountReport report = new Analyzer(AccountSeeder.CONFIG).analyze(inventory.snapshot());
            assertThat(report.repositories()).hasSize(REPOSITORIES);
            assertThat(report.allCompliant()).isTrue();
        }
    }

    /**
     * The bulk path on moto: the SDK's Tagging API client (the module pinned at 2.40.2 on the BOM's runtime) makes its
     * call and reads moto's answer, which lists no ECR repository; each repository's tags are then read on their own,
     * so the scan is still complete and correct, at one call more.
     */
    @Test
    void withBulkTagReadsMotoListsNoRepositoryAndEachFallsBackToItsOwnTagRead(MotoServer.Moto moto) {
        try (FaultProxy proxy = new FaultProxy(moto.endpoint());
             AwsClients clients = AwsClients.forEndpoint(MotoServer.REGION, proxy.endpoint(), moto.credentials(), List.of(CallsMade.RECORDER))) {
            seed(clients);

            proxy.resetCounts();
            Inventory inventory = AwsInventorySource.of(clients, AwsInventorySource.TagReads.BULK)
                    .read(new ScanScope.WholeAccount(), TimeBudget.UNLIMITED);
            Map<String, Integer> calls = proxy.calls();

            assertThat(inventory.notEvaluated()).isEmpty();
            assertThat(inventory.snapshot().repositories()).hasSize(REPOSITORIES)
                    .allSatisfy(r -> assertThat(r.tags()).containsEntry("github:repository", "acme/" + r.name()));
            assertThat(calls).containsEntry("tagging:GetResources", 1).containsEntry("ecr:ListTagsForResource", REPOSITORIES);
            assertThat(total(calls)).isEqualTo(2 * REPOSITORIES + PER_SCAN + 1);
            assertThat(clients.calls().counts()).containsEntry("tag:GetResources", 1);
        }
    }

    /**
     * ECR throttling a third of the repository reads (answered before they reach moto): whether the SDK's STANDARD
     * retries absorb a throttle or the pacing reads the repository again in a later round, no repository is lost.
     */
    @Test
    void underThrottlingEveryRepositoryIsStillReadInLaterRounds(MotoServer.Moto moto) {
        try (FaultProxy proxy = new FaultProxy(moto.endpoint());
             AwsClients clients = AwsClients.forEndpoint(MotoServer.REGION, proxy.endpoint(), moto.credentials(), List.of(CallsMade.RECORDER))) {
            seed(clients, 40);

            proxy.arm(0.33, 7, List.of(FaultProxy.Fault.THROTTLE), java.util.Set.of("ecr:GetRepositoryPolicy", "ecr:ListTagsForResource"),
                    FaultProxy.Phase.ALWAYS);
            Inventory inventory = AwsInventorySource.of(clients, AwsInventorySource.TagReads.PER_REPOSITORY)
                    .read(new ScanScope.WholeAccount(), TimeBudget.UNLIMITED);
            proxy.disarm();

            assertThat(proxy.injected()).as("the proxy did throttle").isNotEmpty();
            assertThat(inventory.notEvaluated()).isEmpty();
            assertThat(inventory.snapshot().repositories()).hasSize(40)
                    .allSatisfy(r -> assertThat(r.tags()).containsEntry("github:repository", "acme/" + r.name()));
        }
    }

    /** A throttle the SDK's retries absorb still reaches the pacing: every attempt's answer is seen on the calling thread. */
    @Test
    void throttledAttemptsAreSignalledToTheThreadThatWatches(MotoServer.Moto moto) {
        try (FaultProxy proxy = new FaultProxy(moto.endpoint());
             AwsClients clients = AwsClients.forEndpoint(MotoServer.REGION, proxy.endpoint(), moto.credentials(), List.of())) {
            clients.ecr().describeRepositories();
            ThrottleSignal.watch();
            clients.ecr().describeRepositories();
            assertThat(ThrottleSignal.throttledSinceWatch()).isFalse();

            proxy.arm(1.0, 1, List.of(FaultProxy.Fault.THROTTLE), java.util.Set.of("ecr:DescribeRepositories"), FaultProxy.Phase.ALWAYS);
            ThrottleSignal.watch();
            assertThatThrownBy(() -> clients.ecr().describeRepositories()).hasMessageContaining("Rate exceeded");
            assertThat(ThrottleSignal.throttledSinceWatch()).isTrue();
            assertThat(ThrottleSignal.throttledSinceWatch()).as("watching ends with the answer").isFalse();
        }
    }

    private static void seed(AwsClients clients) {
        seed(clients, REPOSITORIES);
    }

    private static void seed(AwsClients clients, int repositories) {
        AccountSeeder seed = new AccountSeeder(clients);
        String provider = seed.githubProvider();
        List<String> names = IntStream.range(0, repositories).mapToObj(i -> "service-%03d".formatted(i)).toList();
        names.parallelStream().forEach(name -> seed.compliant(name, Map.of("github:repository", "acme/" + name), provider));
    }

    private static int total(Map<String, Integer> calls) {
        return calls.values().stream().mapToInt(Integer::intValue).sum();
    }
}
