package dev.ecroidcguard.aws;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ecroidcguard.core.Analyzer;
import dev.ecroidcguard.core.ScanScope;
import dev.ecroidcguard.core.analysis.Baseline;
import dev.ecroidcguard.core.finding.FindingCode;
import dev.ecroidcguard.core.inventory.AccountSnapshot;
import dev.ecroidcguard.core.inventory.EcrRepository;
import dev.ecroidcguard.core.inventory.IamRole;
import dev.ecroidcguard.core.report.AccountReport;
import dev.ecroidcguard.core.report.OrphanRole;
import dev.ecroidcguard.ports.Inventory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.regions.Region;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

/** The inventory adapter against moto: what a live account holds arrives in the snapshot, decoded, with few calls. */
@ExtendWith(MotoServer.class)
class InventoryAgainstMotoTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ECR_ALL = """
            {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"ecr:*","Resource":"*"}]}""";

    private AwsClients clients;
    private AccountSeeder seed;

    @BeforeEach
    void clients(MotoServer.Moto moto) {
        clients = moto.clients();
        seed = new AccountSeeder(clients);
    }

    @AfterEach
    void close() {
        clients.close();
    }

    @Test
    void readsRolesPoliciesProvidersAndRepositoriesDecodedWithOneCallPerKindAndTwoPerRepository() {
        String provider = seed.githubProvider();
        // api: the origin post's setup, GitHub name given by tag.
        Map<String, String> apiTags = Map.of("github:repository", "acme/api-service");
        seed.compliant("api", apiTags, provider);
        // web: permissions through a managed policy (second version is the default) under a boundary; tagged role.
        String webArn = seed.repository("web", Map.of());
        String web = AccountSeeder.roleName("web");
        String webTrust = Baseline.trustPolicy(provider, Baseline.GITHUB_ISSUER, AccountSeeder.github("web", Map.of()));
        seed.role(web, webTrust, Map.of("team", "web"));
        String webPolicy = seed.managedPolicy("web-push-pull", List.of(ECR_ALL, Baseline.pushPullPolicy(webArn)));
        String boundary = seed.managedPolicy("ecr-boundary", List.of(ECR_ALL));
        seed.attach(web, webPolicy);
        seed.boundary(web, boundary);
        // worker: a repository policy that lets its own role push and pull.
        seed.compliant("worker", Map.of(), provider);
        String workerPolicy = """
                {"Version":"2012-10-17","Statement":[{"Sid":"OwnRole","Effect":"Allow",\
                "Principal":{"AWS":"%s"},"Action":["ecr:BatchGetImage","ecr:PutImage"]}]}""".formatted(AccountSeeder.roleArn("worker"));
        seed.repositoryPolicy("worker", workerPolicy);

        Map<String, Integer> before = clients.calls().counts();
        // Bulk tag reads, as deployed: moto's Tagging API lists no ECR repository, so each one's tags are read on their own.
        Inventory inventory = AwsInventorySource.of(clients, AwsInventorySource.TagReads.BULK).read(new ScanScope.WholeAccount());
        Map<String, Integer> calls = clients.calls().since(before);
        AccountSnapshot snapshot = inventory.snapshot();

        assertThat(snapshot.accountId()).isEqualTo(MotoServer.ACCOUNT_ID);
        assertThat(snapshot.region()).isEqualTo("us-east-1");
        assertThat(snapshot.partition()).isEqualTo("aws");
        Map<String, IamRole> roles = snapshot.rolesByName();
        assertThat(roles).containsOnlyKeys(AccountSeeder.roleName("api"), web, AccountSeeder.roleName("worker"));

        IamRole api = roles.get(AccountSeeder.roleName("api"));
        assertSameJson(api.trustPolicy(), Baseline.trustPolicy(provider, Baseline.GITHUB_ISSUER, AccountSeeder.github("api", apiTags)));
        assertThat(api.inlinePolicies()).singleElement().satisfies(p -> {
            assertThat(p.name()).isEqualTo(Baseline.INLINE_POLICY_NAME);
            assertSameJson(p.document(), Baseline.pushPullPolicy("arn:aws:ecr:us-east-1:123456789012:repository/api"));
        });
        assertThat(api.attachedPolicyArns()).isEmpty();
        assertThat(api.permissionsBoundaryArn()).isEmpty();

        IamRole webRole = roles.get(web);
        assertSameJson(webRole.trustPolicy(), webTrust);
        assertThat(webRole.inlinePolicies()).isEmpty();
        assertThat(webRole.attachedPolicyArns()).containsExactly(webPolicy);
        assertThat(webRole.permissionsBoundaryArn()).contains(boundary);
        assertThat(webRole.tags()).containsExactly(entry("team", "web"));
        assertSameJson(snapshot.managedPolicy(webPolicy).orElseThrow().defaultDocument().orElseThrow(), Baseline.pushPullPolicy(webArn));
        assertSameJson(snapshot.managedPolicy(boundary).orElseThrow().defaultDocument().orElseThrow(), ECR_ALL);

        assertThat(snapshot.oidcProviders()).singleElement().satisfies(p -> {
            assertThat(p.arn()).isEqualTo(provider);
            assertThat(p.url()).isEqualTo(Baseline.GITHUB_ISSUER);
            assertThat(p.clientIds()).containsExactly(Baseline.AUDIENCE);
        });

        assertThat(snapshot.repositories()).extracting(EcrRepository::name).containsExactlyInAnyOrder("api", "web", "worker");
        Map<String, EcrRepository> repositories = snapshot.repositories().stream()
                .collect(java.util.stream.Collectors.toMap(EcrRepository::name, r -> r));
        assertThat(repositories.get("api").tags()).isEqualTo(apiTags);
        assertThat(repositories.get("api").policyText()).isEmpty();
        assertSameJson(repositories.get("worker").policyText().orElseThrow(), workerPolicy);
        assertThat(inventory.notEvaluated()).isEmpty();

        // No per-role or per-policy loops: the account-wide reads happen once, the repository reads once each.
        assertThat(calls).containsExactlyInAnyOrderEntriesOf(Map.of(
                "sts:GetCallerIdentity", 1,
                "iam:GetAccountAuthorizationDetails", 1,
                "iam:ListOpenIDConnectProviders", 1,
                "iam:GetOpenIDConnectProvider", 1,
                "ecr:DescribeRepositories", 1,
                "ecr:GetRepositoryPolicy", 3,
                "tag:GetResources", 1,
                "ecr:ListTagsForResource", 3));
        // What was called is what the adapter declares (GetCallerIdentity needs no permission).
        assertThat(calls.keySet()).containsExactlyInAnyOrderElementsOf(
                java.util.stream.Stream.concat(AwsInventorySource.REQUIRED_PERMISSIONS.stream(), java.util.stream.Stream.of("sts:GetCallerIdentity")).toList());

        // Fully compliant: the analysis of what was read finds nothing (re-checked by every catalogue check as it lands).
        AccountReport report = new Analyzer(AccountSeeder.CONFIG).analyze(snapshot).withNotEvaluated(inventory.notEvaluated());
        assertThat(report.findings()).isEmpty();
        assertThat(report.orphanRoles()).isEmpty();
        assertThat(report.allCompliant()).isTrue();
    }

    @Test
    void aRepositoryWithoutRoleIsMissingItsRoleAndARoleWithoutRepositoryIsAnOrphan() {
        String provider = seed.githubProvider();
        seed.compliant("api", Map.of(), provider);
        seed.repository("new-service", Map.of());
        seed.role(AccountSeeder.roleName("retired"), Baseline.trustPolicy(provider, Baseline.GITHUB_ISSUER,
                AccountSeeder.github("retired", Map.of())), Map.of());
        seed.role("unrelated-role", "{\"Version\":\"2012-10-17\",\"Statement\":[]}", Map.of());

        Inventory inventory = AwsInventorySource.of(clients, AwsInventorySource.TagReads.PER_REPOSITORY).read(new ScanScope.WholeAccount());
        AccountReport report = new Analyzer(AccountSeeder.CONFIG).analyze(inventory.snapshot());

        assertThat(report.codes("new-service")).containsExactly(FindingCode.ROLE_MISSING);
        assertThat(report.codes("api")).isEmpty();
        assertThat(report.orphanRoles()).extracting(OrphanRole::roleName, OrphanRole::expectedRepository)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(AccountSeeder.roleName("retired"), "retired"));
    }

    @Test
    void aScopedReadDescribesOnlyTheNamedRepositoriesAndLeavesOutNamesThatNoLongerExist() {
        String provider = seed.githubProvider();
        seed.compliant("api", Map.of(), provider);
        seed.compliant("web", Map.of(), provider);
        seed.role(AccountSeeder.roleName("deleted"), Baseline.trustPolicy(provider, Baseline.GITHUB_ISSUER,
                AccountSeeder.github("deleted", Map.of())), Map.of());

        Map<String, Integer> before = clients.calls().counts();
        Inventory inventory = AwsInventorySource.of(clients, AwsInventorySource.TagReads.PER_REPOSITORY).read(new ScanScope.Repositories(Set.of("api", "deleted")));
        Map<String, Integer> calls = clients.calls().since(before);

        assertThat(inventory.snapshot().repositories()).extracting(EcrRepository::name).containsExactly("api");
        assertThat(inventory.snapshot().rolesByName()).containsKey(AccountSeeder.roleName("deleted"));
        assertThat(calls).containsEntry("ecr:GetRepositoryPolicy", 1).containsEntry("ecr:ListTagsForResource", 1);
        AccountReport report = new Analyzer(AccountSeeder.CONFIG).analyze(inventory.snapshot());
        assertThat(report.orphanRoles()).extracting(OrphanRole::expectedRepository).contains("deleted");
    }

    @Test
    void theSdkStandardEndpointConfigurationPointsProductionClientsAtTheEmulator(MotoServer.Moto moto) {
        // aws.endpointUrl is the system-property twin of AWS_ENDPOINT_URL (same SDK setting, same resolution path);
        // the environment of a running JVM cannot be changed, so the property stands in for the variable here.
        Map<String, String> properties = Map.of("aws.endpointUrl", moto.endpoint().toString(),
                "aws.accessKeyId", "testing", "aws.secretAccessKey", "testing");
        properties.forEach(System::setProperty);
        try (AwsClients production = AwsClients.forRegion(Region.US_EAST_1)) {
            assertThat(production.sts().getCallerIdentity().account()).isEqualTo(MotoServer.ACCOUNT_ID);
            assertThat(production.iam().listRoles().roles()).isEmpty();
            assertThat(production.calls().counts()).containsEntry("sts:GetCallerIdentity", 1).containsEntry("iam:ListRoles", 1);
        } finally {
            properties.keySet().forEach(System::clearProperty);
        }
    }

    private static void assertSameJson(String actual, String expected) {
        try {
            JsonNode a = JSON.readTree(actual);
            assertThat(a).as("decoded document %s", actual).isEqualTo(JSON.readTree(expected));
        } catch (java.io.IOException e) {
            throw new AssertionError("not JSON: " + actual, e);
        }
    }
}
