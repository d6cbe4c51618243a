package dev.ecroidcguard.aws;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ecroidcguard.core.analysis.Baseline;
import dev.ecroidcguard.ports.AccountWriter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.ecr.model.RepositoryPolicyNotFoundException;
import software.amazon.awssdk.services.iam.model.Tag;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The writer's contract against the emulator: an existing role is AlreadyExists; removing what is gone succeeds; a
 * repository policy reads back as written.
 */
@ExtendWith(MotoServer.class)
class AwsAccountWriterAgainstMotoTest {

    private AwsClients clients;
    private AwsAccountWriter writer;
    private AccountSeeder seed;

    @BeforeEach
    void account(MotoServer.Moto moto) {
        clients = moto.clients();
        writer = new AwsAccountWriter(clients.iam(), clients.ecr(), AccountReads.perScan());
        seed = new AccountSeeder(clients);
    }

    @AfterEach
    void close() {
        clients.close();
    }

    @Test
    void creatingARoleTwiceIsAlreadyExistsAndTheFirstIsKept() {
        String provider = seed.githubProvider();
        String trust = Baseline.trustPolicy(provider, Baseline.GITHUB_ISSUER, AccountSeeder.github("api", Map.of()));
        writer.createRole("github-actions-api", trust, Map.of("managed-by", "ecr-oidc-guard", "repository", "api"));

        assertThatThrownBy(() -> writer.createRole("github-actions-api", trust, Map.of("managed-by", "someone-else")))
                .isInstanceOf(AccountWriter.AlreadyExists.class);
        assertThat(clients.iam().listRoleTags(r -> r.roleName("github-actions-api")).tags()).extracting(Tag::key, Tag::value)
                .containsExactlyInAnyOrder(org.assertj.core.groups.Tuple.tuple("managed-by", "ecr-oidc-guard"),
                        org.assertj.core.groups.Tuple.tuple("repository", "api"));
    }

    @Test
    void removingWhatIsAlreadyGoneSucceeds() {
        seed.repository("api", Map.of());
        seed.role("github-actions-api", "{\"Version\":\"2012-10-17\",\"Statement\":[]}", Map.of());
        String managed = seed.managedPolicy("read", List.of("{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"ecr:DescribeImages\",\"Resource\":\"*\"}]}"));
        seed.attach("github-actions-api", managed);
        writer.detachManagedPolicy("github-actions-api", managed);

        writer.detachManagedPolicy("github-actions-api", managed);
        writer.deleteInlinePolicy("github-actions-api", "never-there");
        writer.deleteRepositoryPolicy("api");
        writer.deleteRole("github-actions-api");
        writer.deleteRole("github-actions-api");

        assertThat(clients.iam().listRoles().roles()).isEmpty();
    }

    @Test
    void aRepositoryPolicyIsSetAsWrittenAndDeletedAgain() throws Exception {
        seed.repository("api", Map.of());
        String policy = """
                {"Version":"2012-10-17","Statement":[{"Sid":"OwnPull","Effect":"Allow","Principal":{"AWS":"%s"},\
                "Action":["ecr:BatchGetImage","ecr:GetDownloadUrlForLayer"]}]}""".formatted(AccountSeeder.roleArn("api"));

        writer.setRepositoryPolicy("api", policy);

        ObjectMapper json = new ObjectMapper();
        assertThat(json.readTree(clients.ecr().getRepositoryPolicy(r -> r.repositoryName("api")).policyText())).isEqualTo(json.readTree(policy));
        writer.deleteRepositoryPolicy("api");
        assertThatThrownBy(() -> clients.ecr().getRepositoryPolicy(r -> r.repositoryName("api")))
                .isInstanceOf(RepositoryPolicyNotFoundException.class);
    }
}
