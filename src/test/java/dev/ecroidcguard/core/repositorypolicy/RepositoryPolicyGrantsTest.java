package dev.ecroidcguard.core.repositorypolicy;

import dev.ecroidcguard.core.policy.PolicyDocument;
import dev.ecroidcguard.core.policy.PolicyParseException;
import org.junit.jupiter.api.Test;

import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

import static dev.ecroidcguard.core.repositorypolicy.RepositoryPolicyFixtures.*;
import static org.assertj.core.api.Assertions.assertThat;

/** The direct grants the permissions check adds to the CI role's effective permissions. */
class RepositoryPolicyGrantsTest {

    private static final Set<String> ALL_LOWER = PUSH_PULL.stream().map(a -> a.toLowerCase(Locale.ROOT)).collect(Collectors.toSet());

    private static RepositoryPolicyGrants.Granted grants(String... statements) throws PolicyParseException {
        return RepositoryPolicyGrants.grantsTo(PolicyDocument.parse(policy(statements)), ROLE, ACCOUNT);
    }

    @Test
    void roleArnGrant() throws PolicyParseException {
        RepositoryPolicyGrants.Granted g = grants("{'Effect':'Allow','Principal':{'AWS':'" + ROLE + "'},'Action':'ecr:*'}");
        assertThat(g.viaRoleArn()).isEqualTo(ALL_LOWER);
        assertThat(g.viaSession()).isEmpty();
    }

    @Test
    void sessionArnGrant() throws PolicyParseException {
        RepositoryPolicyGrants.Granted g = grants("{'Effect':'Allow','Principal':{'AWS':'" + ROLE_SESSION + "'},'Action':['ECR:PutImage','ecr:Batch*']}");
        assertThat(g.viaRoleArn()).isEmpty();
        assertThat(g.viaSession()).containsExactlyInAnyOrder("ecr:putimage", "ecr:batchgetimage", "ecr:batchchecklayeravailability");
    }

    @Test
    void everyonePinnedByAPrincipalArnPatternAdmittingTheRole() throws PolicyParseException {
        RepositoryPolicyGrants.Granted g = grants("{'Effect':'Allow','Principal':'*','Action':['ecr:PutImage','ecr:UploadLayerPart'],"
                + "'Condition':{'ArnLike':{'aws:PrincipalArn':'arn:aws:iam::123456789012:role/github-actions-*'}}}");
        assertThat(g.viaRoleArn()).containsExactlyInAnyOrder("ecr:putimage", "ecr:uploadlayerpart");
    }

    @Test
    void principalArnPatternNotAdmittingTheRoleGrantsNothing() throws PolicyParseException {
        RepositoryPolicyGrants.Granted g = grants("{'Effect':'Allow','Principal':'*','Action':'ecr:*',"
                + "'Condition':{'ArnLike':{'aws:PrincipalArn':'arn:aws:iam::123456789012:role/org-*'}}}");
        assertThat(g.viaRoleArn()).isEmpty();
    }

    @Test
    void explicitDenyIsSubtracted() throws PolicyParseException {
        RepositoryPolicyGrants.Granted g = grants("{'Effect':'Allow','Principal':{'AWS':['" + ROLE + "','" + ROLE_SESSION + "']},'Action':'ecr:*'}",
                "{'Effect':'Deny','Principal':{'AWS':'123456789012'},'Action':'ecr:PutImage'}");
        assertThat(g.viaRoleArn()).hasSize(6).doesNotContain("ecr:putimage");
        assertThat(g.viaSession()).hasSize(6).doesNotContain("ecr:putimage");
    }

    @Test
    void grantsThatDependOnTheRequestOrDelegateToIamDoNotCount() throws PolicyParseException {
        RepositoryPolicyGrants.Granted g = grants(
                "{'Effect':'Allow','Principal':{'AWS':'" + ROLE + "'},'Action':'ecr:*','Condition':{'IpAddress':{'aws:SourceIp':'203.0.113.0/24'}}}",
                "{'Effect':'Allow','Principal':{'AWS':'arn:aws:iam::123456789012:root'},'Action':'ecr:*'}");
        assertThat(g.viaRoleArn()).isEmpty();
        assertThat(g.viaSession()).isEmpty();
    }
}
