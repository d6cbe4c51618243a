package dev.ecroidcguard.core;

import dev.ecroidcguard.core.finding.FindingCode;
import dev.ecroidcguard.core.fix.DocumentChange;
import dev.ecroidcguard.core.inventory.SnapshotParser;
import dev.ecroidcguard.core.report.RepositoryReport;
import dev.ecroidcguard.testing.Snapshots;
import dev.ecroidcguard.testing.Snapshots.Doc;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static dev.ecroidcguard.testing.Snapshots.canonicalTrust;
import static dev.ecroidcguard.testing.Snapshots.repositoryArn;
import static dev.ecroidcguard.testing.Snapshots.roleArn;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 11, F1: a repository-policy fix that removes the CI role's only push grant must not be applied silently:
 * never-widening is not enough, a fix must not take away what the repository's own workflows need.
 */
class RepositoryPolicyFixKeepsPushTest {

    private static final GuardConfig ACME = config();

    private static GuardConfig config() {
        try {
            return new GuardConfig("acme", RoleNaming.of(GuardConfig.DEFAULT_ROLE_NAME_TEMPLATE));
        } catch (GuardConfig.ConfigException e) {
            throw new AssertionError(e);
        }
    }

    /** Pull and the registry token from the role's own policy; push only from the repository policy. */
    private static final String PULL_ONLY = """
            {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"ecr:GetAuthorizationToken","Resource":"*"},\
            {"Effect":"Allow","Action":["ecr:BatchGetImage","ecr:GetDownloadUrlForLayer","ecr:BatchCheckLayerAvailability"],\
            "Resource":"%s"}]}""";
    private static final String PUSH = "[\"ecr:BatchCheckLayerAvailability\",\"ecr:InitiateLayerUpload\",\"ecr:UploadLayerPart\","
            + "\"ecr:CompleteLayerUpload\",\"ecr:PutImage\"]";

    private static RepositoryReport analyse(String repositoryPolicy) throws Exception {
        Snapshots account = Snapshots.account()
                .role("github-actions-web", Doc.encoded(canonicalTrust("web")), Map.of("ecr-pull", Doc.encoded(PULL_ONLY.formatted(repositoryArn("web")))),
                        List.of())
                .canonicalRole("other")
                .repository("other")
                .repository("web", Doc.string(repositoryPolicy), Map.of());
        return new Analyzer(ACME).analyze(SnapshotParser.parse(account.json())).repository("web").orElseThrow();
    }

    @Test
    void aFixThatWouldRemoveTheRolesOnlyPushGrantIsLeftToAPerson() throws Exception {
        // Push open to every principal (the role pushes through it too): the fix removes the statement altogether.
        RepositoryReport web = analyse("""
                {"Version":"2012-10-17","Statement":[{"Sid":"Push","Effect":"Allow","Principal":"*","Action":%s}]}""".formatted(PUSH));

        assertThat(web.findings().stream().map(f -> f.code()).toList()).contains(FindingCode.ECR_POLICY_PUBLIC_WRITE)
                .doesNotContain(FindingCode.PERM_MISSING_PUSH_ACTIONS);
        assertThat(web.fix().repositoryPolicy()).isInstanceOfSatisfying(DocumentChange.NeedsHuman.class,
                h -> assertThat(h.reason()).contains("take away the push grant", "github-actions-web"));
    }

    @Test
    void aFixThatKeepsTheRolesPushGrantIsStillProposed() throws Exception {
        // The paired role's grant and the bypass are separate statements: removing the bypass keeps push.
        RepositoryReport web = analyse("""
                {"Version":"2012-10-17","Statement":[{"Sid":"Own","Effect":"Allow","Principal":{"AWS":"%s"},"Action":%s},\
                {"Sid":"Bypass","Effect":"Allow","Principal":{"AWS":"%s"},"Action":%s}]}"""
                .formatted(roleArn("github-actions-web"), PUSH, roleArn("github-actions-other"), PUSH));

        assertThat(web.findings().stream().map(f -> f.code()).toList()).contains(FindingCode.ECR_POLICY_OTHER_ROLE_WRITE);
        assertThat(web.fix().repositoryPolicy()).isInstanceOfSatisfying(DocumentChange.Replace.class,
                r -> assertThat(r.document()).contains("github-actions-web").doesNotContain("github-actions-other"));
    }
}
