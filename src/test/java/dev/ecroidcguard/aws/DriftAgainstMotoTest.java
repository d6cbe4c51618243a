package dev.ecroidcguard.aws;

import dev.ecroidcguard.core.Analyzer;
import dev.ecroidcguard.core.ScanScope;
import dev.ecroidcguard.core.analysis.Baseline;
import dev.ecroidcguard.core.finding.FindingCode;
import dev.ecroidcguard.core.report.AccountReport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Drift seeded through the real SDK, read back by the inventory and judged by the catalogue checks: the
 * end-to-end path a scheduled scan takes. Each test names the catalogue code it expects for one repository.
 */
@ExtendWith(MotoServer.class)
class DriftAgainstMotoTest {

    private AwsClients clients;
    private AccountSeeder seed;
    private String provider;

    @BeforeEach
    void account(MotoServer.Moto moto) {
        clients = moto.clients();
        seed = new AccountSeeder(clients);
        provider = seed.githubProvider();
    }

    @AfterEach
    void close() {
        clients.close();
    }

    @Test
    void aTrustPolicyForEveryRepositoryOfTheOrganisationIsOrgWide() {
        String arn = seed.repository("api", Map.of());
        String role = AccountSeeder.roleName("api");
        seed.role(role, """
                {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Federated":"%s"},\
                "Action":"sts:AssumeRoleWithWebIdentity","Condition":{"StringEquals":{"token.actions.githubusercontent.com:aud":"sts.amazonaws.com"},\
                "StringLike":{"token.actions.githubusercontent.com:sub":"repo:acme/*"}}}]}""".formatted(provider), Map.of());
        seed.inlinePolicy(role, Baseline.INLINE_POLICY_NAME, Baseline.pushPullPolicy(arn));

        assertThat(scan().codes("api")).contains(FindingCode.TRUST_SUB_ORG_WIDE);
    }

    @Test
    void ecrStarOnEveryRepositoryLetsTheRolePushAnywhere() {
        seed.repository("api", Map.of());
        String role = AccountSeeder.roleName("api");
        seed.role(role, Baseline.trustPolicy(provider, Baseline.GITHUB_ISSUER, AccountSeeder.github("api", Map.of())), Map.of());
        seed.inlinePolicy(role, "ecr-everything", """
                {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"ecr:*","Resource":"*"}]}""");

        assertThat(scan().codes("api")).contains(FindingCode.PERM_ECR_ALL_REPOS_WRITE);
    }

    @Test
    void aRepositoryPolicyLettingAnotherRepositorysRolePushIsReported() {
        seed.compliant("api", Map.of(), provider);
        seed.compliant("web", Map.of(), provider);
        seed.repositoryPolicy("api", """
                {"Version":"2012-10-17","Statement":[{"Sid":"WebPushes","Effect":"Allow","Principal":{"AWS":"%s"},\
                "Action":["ecr:BatchCheckLayerAvailability","ecr:InitiateLayerUpload","ecr:UploadLayerPart",\
                "ecr:CompleteLayerUpload","ecr:PutImage"]}]}""".formatted(AccountSeeder.roleArn("web")));

        AccountReport report = scan();
        assertThat(report.codes("api")).contains(FindingCode.ECR_POLICY_OTHER_ROLE_WRITE);
        assertThat(report.codes("web")).isEmpty();
    }

    private AccountReport scan() {
        var inventory = AwsInventorySource.of(clients, AwsInventorySource.TagReads.PER_REPOSITORY).read(new ScanScope.WholeAccount());
        assertThat(inventory.notEvaluated()).isEmpty();
        return new Analyzer(AccountSeeder.CONFIG).analyze(inventory.snapshot());
    }
}
