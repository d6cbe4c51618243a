package dev.ecroidcguard.aws;

import dev.ecroidcguard.core.Analyzer;
import dev.ecroidcguard.core.ScanScope;
import dev.ecroidcguard.core.report.AccountReport;
import dev.ecroidcguard.ports.Inventory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An account past the page sizes of real AWS (DescribeRepositories returns at most 100 per page by default;
 * GetAccountAuthorizationDetails truncates around 100 roles). moto answers in one page, so this proves the scale
 * and the per-repository cost; the page-following itself is proven with fakes in {@link AwsInventorySourceTest}.
 */
@ExtendWith(MotoServer.class)
class ManyRepositoriesAgainstMotoTest {

    private static final int REPOSITORIES = 160;

    @Test
    void everyOneOf160RepositoriesIsReadAndAnalysedAtTwoCallsPerRepository(MotoServer.Moto moto) {
        try (AwsClients clients = moto.clients()) {
            AccountSeeder seed = new AccountSeeder(clients);
            String provider = seed.githubProvider();
            List<String> names = IntStream.range(0, REPOSITORIES).mapToObj(i -> "service-%03d".formatted(i)).toList();
            names.parallelStream().forEach(name -> seed.compliant(name, Map.of("github:repository", "acme/" + name), provider));

            Map<String, Integer> before = clients.calls().counts();
            Inventory inventory = AwsInventorySource.of(clients).read(new ScanScope.WholeAccount());
            Map<String, Integer> calls = clients.calls().since(before);

            assertThat(inventory.snapshot().repositories()).hasSize(REPOSITORIES);
            assertThat(inventory.snapshot().roles()).hasSize(REPOSITORIES);
            assertThat(inventory.notEvaluated()).isEmpty();
            assertThat(calls)
                    .containsEntry("ecr:GetRepositoryPolicy", REPOSITORIES)
                    .containsEntry("ecr:ListTagsForResource", REPOSITORIES)
                    .containsEntry("iam:GetAccountAuthorizationDetails", 1)
                    .containsEntry("ecr:DescribeRepositories", 1);
            // Two per repository plus a constant: no per-role calls however many roles there are.
            assertThat(calls.values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(2 * REPOSITORIES + 5);

            AccountReport report = new Analyzer(AccountSeeder.CONFIG).analyze(inventory.snapshot());
            assertThat(report.repositories()).hasSize(REPOSITORIES);
            assertThat(report.allCompliant()).isTrue();
        }
    }
}
