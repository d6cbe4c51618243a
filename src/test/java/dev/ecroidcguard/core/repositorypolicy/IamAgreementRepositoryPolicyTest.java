package dev.ecroidcguard.core.repositorypolicy;

import dev.ecroidcguard.core.finding.Finding;
import dev.ecroidcguard.core.finding.FindingCode;
import dev.ecroidcguard.core.finding.Witness;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.ecroidcguard.core.repositorypolicy.RepositoryPolicyFixtures.*;
import static org.assertj.core.api.Assertions.assertThat;

/** Issue 11, R2: conditions on keys a principal never carries are not satisfiable for it. */
class IamAgreementRepositoryPolicyTest {

    private static List<FindingCode> codes(String... statements) {
        return check(statements).findings().stream().map(Finding::code).toList();
    }

    @Test
    void everyone_with_a_source_account_condition_is_no_public_write() {
        // IAM principals and anonymous callers never carry aws:SourceAccount: only services acting for that account's resources get in.
        List<Finding> findings = check("{'Effect':'Allow','Principal':'*','Action':['ecr:PutImage','ecr:BatchGetImage'],"
                + "'Condition':{'StringEquals':{'aws:SourceAccount':'" + ACCOUNT + "'}}}").findings();
        assertThat(findings).extracting(Finding::code).containsExactly(FindingCode.ECR_POLICY_BROAD_WRITE);
        assertThat(findings.getFirst().witness()).isEqualTo(new Witness.Principal("codebuild.amazonaws.com", "ecr:PutImage"));
    }

    @Test
    void everyone_with_a_source_arn_condition_and_an_org_condition_admits_nobody() {
        assertThat(codes("{'Effect':'Allow','Principal':'*','Action':'ecr:PutImage','Condition':{'ArnLike':{'aws:SourceArn':"
                + "'arn:aws:codebuild:eu-west-1:" + ACCOUNT + ":project/*'},'StringEquals':{'aws:PrincipalOrgID':'o-abc'}}}")).isEmpty();
    }

    @Test
    void a_service_principal_under_an_org_id_condition_gets_nothing() {
        assertThat(codes("{'Effect':'Allow','Principal':{'Service':'codebuild.amazonaws.com'},'Action':'ecr:BatchGetImage',"
                + "'Condition':{'StringEquals':{'aws:PrincipalOrgID':'o-abc'}}}")).doesNotContain(FindingCode.ECR_POLICY_SERVICE_NO_SOURCE_CONDITION);
    }

    @Test
    void an_unconditioned_public_write_is_still_critical() {
        assertThat(codes("{'Effect':'Allow','Principal':'*','Action':'ecr:PutImage'}")).containsExactly(FindingCode.ECR_POLICY_PUBLIC_WRITE);
    }

    /** R1: the Principal element is intersected with aws:PrincipalArn / aws:PrincipalAccount conditions. */
    @Test
    void another_role_pinned_by_principal_arn_to_the_ci_role_is_contradictory() {
        assertThat(codes("{'Effect':'Allow','Principal':{'AWS':'" + PAYMENTS_ROLE + "'},'Action':'ecr:PutImage',"
                + "'Condition':{'StringEquals':{'aws:PrincipalArn':'" + ROLE + "'}}}")).isEmpty();
    }

    @Test
    void a_foreign_account_pinned_to_this_account_is_contradictory() {
        assertThat(codes("{'Effect':'Allow','Principal':{'AWS':'" + FOREIGN_ACCOUNT + "'},'Action':'ecr:PutImage',"
                + "'Condition':{'StringEquals':{'aws:PrincipalAccount':'" + ACCOUNT + "'}}}")).isEmpty();
        assertThat(codes("{'Effect':'Allow','Principal':{'AWS':'" + FOREIGN_ACCOUNT + "'},'Action':'ecr:PutImage',"
                + "'Condition':{'ArnLike':{'aws:PrincipalArn':'arn:aws:iam::" + ACCOUNT + ":role/*'}}}")).isEmpty();
    }

    @Test
    void a_consistent_condition_keeps_the_finding() {
        assertThat(codes("{'Effect':'Allow','Principal':{'AWS':'" + PAYMENTS_ROLE + "'},'Action':'ecr:PutImage',"
                + "'Condition':{'StringEquals':{'aws:PrincipalAccount':'" + ACCOUNT + "'}}}")).containsExactly(FindingCode.ECR_POLICY_OTHER_ROLE_WRITE);
    }

    /** R3: a role-ARN grant is effective only within the role's permissions boundary. */
    @Test
    void administrative_actions_the_boundary_cuts_are_no_excess() {
        String boundaryArn = "arn:aws:iam::" + ACCOUNT + ":policy/ci-boundary";
        String boundary = policy("{'Effect':'Allow','Action':" + quotedList(PUSH_PULL) + ",'Resource':'*'}");
        dev.ecroidcguard.core.inventory.IamRole ci = new dev.ecroidcguard.core.inventory.IamRole("github-actions-web-api", ROLE, "/", "{}",
                List.of(), List.of(), java.util.Optional.of(boundaryArn), java.util.Map.of());
        String grant = policy("{'Effect':'Allow','Principal':{'AWS':'" + ROLE + "'},'Action':'ecr:*'}");
        dev.ecroidcguard.core.analysis.RepositoryContext ctx = context(java.util.Optional.of(grant), List.of(ci, role(PAYMENTS_ROLE)));
        dev.ecroidcguard.core.inventory.AccountSnapshot account = ctx.account();
        dev.ecroidcguard.core.inventory.AccountSnapshot withBoundary = new dev.ecroidcguard.core.inventory.AccountSnapshot(account.accountId(),
                account.region(), account.partition(), account.roles(), java.util.Map.of(boundaryArn,
                new dev.ecroidcguard.core.inventory.ManagedPolicy(boundaryArn, "ci-boundary", java.util.Optional.of(boundary))),
                account.oidcProviders(), account.repositories());
        dev.ecroidcguard.core.analysis.RepositoryContext bounded = new dev.ecroidcguard.core.analysis.RepositoryContext(withBoundary,
                ctx.repository(), ctx.github(), ctx.roleName(), ctx.role(), ctx.githubProviders());
        assertThat(RepositoryPolicyCheck.check(bounded).findings()).isEmpty();
        // Without the boundary the same grant is excessive.
        assertThat(RepositoryPolicyCheck.check(ctx).findings()).extracting(Finding::code).containsExactly(FindingCode.ECR_POLICY_EXCESSIVE_ACTIONS);
    }
}
