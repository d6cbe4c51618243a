package dev.ecroidcguard.core.repositorypolicy;

import dev.ecroidcguard.core.analysis.CheckOutcome;
import dev.ecroidcguard.core.finding.Finding;
import dev.ecroidcguard.core.finding.FindingCode;
import dev.ecroidcguard.core.finding.Witness;
import dev.ecroidcguard.core.fix.DocumentChange;
import dev.ecroidcguard.core.lang.Wildcards;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;
import java.util.Optional;

import static dev.ecroidcguard.core.repositorypolicy.RepositoryPolicyFixtures.*;
import static org.assertj.core.api.Assertions.assertThat;

/** Catalogue §4.3, entry by entry: a failing variant (code and witness) and a passing variant for each code. */
class RepositoryPolicyCheckTest {

    private static final String PUSH_PULL_LIST = quotedList(PUSH_PULL);

    private static Finding only(CheckOutcome<DocumentChange> outcome, FindingCode code) {
        assertThat(outcome.findings()).extracting(Finding::code).containsExactly(code);
        return outcome.findings().getFirst();
    }

    private static void assertCompliant(CheckOutcome<DocumentChange> outcome) {
        assertThat(outcome.findings()).isEmpty();
        assertThat(outcome.change()).isEqualTo(DocumentChange.UNCHANGED);
    }

    @Nested
    class PublicWrite {
        @ParameterizedTest
        @ValueSource(strings = {"'*'", "{'AWS':'*'}"})
        void everyoneMayPush(String principal) {
            Finding f = only(check("{'Effect':'Allow','Principal':" + principal + ",'Action':['ecr:PutImage','ecr:BatchGetImage']}"),
                    FindingCode.ECR_POLICY_PUBLIC_WRITE);
            assertThat(f.witness()).isEqualTo(new Witness.Principal("arn:aws:iam::111122223333:root", "ecr:PutImage"));
            assertThat(f.resource()).isEqualTo(REPOSITORY_ARN);
        }

        @Test
        void sourceIpConditionDoesNotPinThePrincipal() {
            Finding f = only(check("{'Effect':'Allow','Principal':'*','Action':'ecr:*',"
                    + "'Condition':{'IpAddress':{'aws:SourceIp':'203.0.113.0/24'}}}"), FindingCode.ECR_POLICY_PUBLIC_WRITE);
            assertThat(f.witness()).isEqualTo(new Witness.Principal("arn:aws:iam::111122223333:root", "ecr:PutImage"));
        }

        @Test
        void publicWriteSubsumesExcessiveActions() {
            only(check("{'Effect':'Allow','Principal':'*','Action':'ecr:*'}"), FindingCode.ECR_POLICY_PUBLIC_WRITE);
        }

        @Test
        void everyonePinnedToTheCiRoleByPrincipalArnMayPush() {
            assertCompliant(check("{'Effect':'Allow','Principal':'*','Action':" + PUSH_PULL_LIST + ","
                    + "'Condition':{'ArnEquals':{'aws:PrincipalArn':'" + ROLE + "'}}}"));
        }
    }

    @Nested
    class PublicRead {
        @Test
        void everyoneMayPull() {
            Finding f = only(check("{'Effect':'Allow','Principal':'*','Action':['ecr:BatchGetImage','ecr:GetDownloadUrlForLayer']}"),
                    FindingCode.ECR_POLICY_PUBLIC_READ);
            assertThat(f.witness()).isEqualTo(new Witness.Principal("arn:aws:iam::111122223333:root", "ecr:BatchGetImage"));
        }

        @Test
        void theAccountMayPull() {
            assertCompliant(check("{'Effect':'Allow','Principal':{'AWS':'arn:aws:iam::123456789012:root'},"
                    + "'Action':['ecr:BatchGetImage','ecr:GetDownloadUrlForLayer']}"));
        }
    }

    @Nested
    class BroadWrite {
        @Test
        void everyoneInTheOrganisationMayPush() {
            Finding f = only(check("{'Effect':'Allow','Principal':'*','Action':'ecr:*',"
                    + "'Condition':{'StringEquals':{'aws:PrincipalOrgID':'o-acme'}}}"), FindingCode.ECR_POLICY_BROAD_WRITE);
            assertThat(f.witness()).isEqualTo(new Witness.Principal(PAYMENTS_ROLE, "ecr:PutImage"));
        }

        @Test
        void everyoneInTheAccountMayPushWithCaseInsensitiveKey() {
            Finding f = only(check("{'Effect':'Allow','Principal':{'AWS':'*'},'Action':'ecr:PutImage',"
                    + "'Condition':{'StringEquals':{'AWS:principalaccount':'123456789012'}}}"), FindingCode.ECR_POLICY_BROAD_WRITE);
            assertThat(f.witness()).isEqualTo(new Witness.Principal(PAYMENTS_ROLE, "ecr:PutImage"));
        }

        @Test
        void organisationWidePullIsNotBroadWrite() {
            assertCompliant(check("{'Effect':'Allow','Principal':'*','Action':['ecr:BatchGetImage','ecr:GetDownloadUrlForLayer'],"
                    + "'Condition':{'StringEquals':{'aws:PrincipalOrgID':'o-acme'}}}"));
        }
    }

    @Nested
    class CrossAccountWrite {
        @ParameterizedTest
        @ValueSource(strings = {"arn:aws:iam::999988887777:root", "999988887777", "arn:aws:iam::999988887777:role/deployer"})
        void anotherAccountMayPush(String principal) {
            Finding f = only(check("{'Effect':'Allow','Principal':{'AWS':'" + principal + "'},'Action':" + PUSH_PULL_LIST + "}"),
                    FindingCode.ECR_POLICY_CROSS_ACCOUNT_WRITE);
            assertThat(f.witness()).isEqualTo(new Witness.Principal(principal, "ecr:PutImage"));
        }

        @Test
        void principalArnPatternWithAnyAccountAdmitsOtherAccounts() {
            Finding f = only(check("{'Effect':'Allow','Principal':'*','Action':" + PUSH_PULL_LIST + ","
                    + "'Condition':{'ArnLike':{'aws:PrincipalArn':'arn:aws:iam::*:role/github-actions-web-api'}}}"),
                    FindingCode.ECR_POLICY_CROSS_ACCOUNT_WRITE);
            Witness.Principal w = (Witness.Principal) f.witness();
            assertThat(w.principal()).endsWith(":role/github-actions-web-api").doesNotContain(ACCOUNT);
            assertThat(Wildcards.matches("arn:aws:iam::*:role/github-actions-web-api", w.principal())).isTrue();
            assertThat(w.action()).isEqualTo("ecr:PutImage");
        }

        @Test
        void anotherAccountMayPull() {
            assertCompliant(check("{'Effect':'Allow','Principal':{'AWS':'999988887777'},'Action':['ecr:BatchGetImage']}"));
        }
    }

    @Nested
    class OtherRoleWrite {
        @Test
        void anotherRepositorysCiRoleMayPush() {
            // The origin post's comment: payments' repo-scoped role can push to web-api through this grant.
            Finding f = only(check("{'Effect':'Allow','Principal':{'AWS':'" + PAYMENTS_ROLE + "'},'Action':" + PUSH_PULL_LIST + "}"),
                    FindingCode.ECR_POLICY_OTHER_ROLE_WRITE);
            assertThat(f.witness()).isEqualTo(new Witness.Principal(PAYMENTS_ROLE, "ecr:PutImage"));
        }

        @ParameterizedTest
        @ValueSource(strings = {"arn:aws:iam::123456789012:user/alice",
                "arn:aws:sts::123456789012:assumed-role/org-ci/build-42"})
        void sameAccountUsersAndOtherRolesSessionsMayPush(String principal) {
            Finding f = only(check("{'Effect':'Allow','Principal':{'AWS':'" + principal + "'},'Action':'ecr:PutImage'}"),
                    FindingCode.ECR_POLICY_OTHER_ROLE_WRITE);
            assertThat(f.witness()).isEqualTo(new Witness.Principal(principal, "ecr:PutImage"));
        }

        @Test
        void principalArnWildcardAdmitsARealRole() {
            Finding f = only(check("{'Effect':'Allow','Principal':'*','Action':" + PUSH_PULL_LIST + ","
                    + "'Condition':{'ArnLike':{'AWS:PrincipalARN':'arn:aws:iam::123456789012:role/github-actions-*'}}}"),
                    FindingCode.ECR_POLICY_OTHER_ROLE_WRITE);
            assertThat(f.witness()).isEqualTo(new Witness.Principal(PAYMENTS_ROLE, "ecr:PutImage"));
        }

        @Test
        void principalArnWildcardWithoutRealMatchGetsAnAutomatonExample() {
            String pattern = "arn:aws:iam::123456789012:role/github-actions-*";
            CheckOutcome<DocumentChange> outcome = RepositoryPolicyCheck.check(context(Optional.of(policy(
                    "{'Effect':'Allow','Principal':'*','Action':'ecr:PutImage','Condition':{'StringLike':{'aws:PrincipalArn':'" + pattern + "'}}}")),
                    List.of(role(ROLE), role(ORG_CI_ROLE))));
            Witness.Principal w = (Witness.Principal) only(outcome, FindingCode.ECR_POLICY_OTHER_ROLE_WRITE).witness();
            assertThat(Wildcards.matches(pattern, w.principal())).isTrue();
            assertThat(w.principal()).isNotEqualTo(ROLE).startsWith("arn:aws:iam::123456789012:role/");
        }

        @Test
        void principalArnExactlyTheCiRoleIsFine() {
            assertCompliant(check("{'Effect':'Allow','Principal':'*','Action':" + PUSH_PULL_LIST + ","
                    + "'Condition':{'StringEquals':{'aws:PrincipalArn':'" + ROLE + "'}}}"));
        }

        @ParameterizedTest
        @ValueSource(strings = {"arn:aws:iam::123456789012:root", "123456789012"})
        void theAccountPrincipalDelegatesToIam(String principal) {
            assertCompliant(check("{'Effect':'Allow','Principal':{'AWS':'" + principal + "'},'Action':'ecr:*'}"));
        }

        @Test
        void otherRolePullOnlyIsFine() {
            assertCompliant(check("{'Effect':'Allow','Principal':{'AWS':'" + ORG_CI_ROLE + "'},'Action':['ecr:BatchGetImage']}"));
        }
    }

    @Nested
    class FederatedPrincipal {
        @Test
        void federatedGitHubProvider() {
            Finding f = only(check("{'Effect':'Allow','Principal':{'Federated':'" + PROVIDER + "'},'Action':" + PUSH_PULL_LIST + "}"),
                    FindingCode.ECR_POLICY_FEDERATED_PRINCIPAL);
            assertThat(f.witness()).isEqualTo(new Witness.Principal(PROVIDER, "ecr:PutImage"));
        }

        @Test
        void everyoneKeyedOnFederatedProvider() {
            // Every web-identity role of the account gets in: the same-account bypass (IamAgreementRepositoryPolicyTest).
            Finding f = only(check("{'Effect':'Allow','Principal':'*','Action':" + PUSH_PULL_LIST + ","
                    + "'Condition':{'StringEquals':{'aws:FederatedProvider':'" + PROVIDER + "'}}}"), FindingCode.ECR_POLICY_OTHER_ROLE_WRITE);
            assertThat(f.witness()).isEqualTo(new Witness.Principal(PAYMENTS_ROLE, "ecr:PutImage"));
        }

        @Test
        void theCiRoleByArnIsFine() {
            assertCompliant(check("{'Effect':'Allow','Principal':{'AWS':'" + ROLE + "'},'Action':" + PUSH_PULL_LIST + "}"));
        }
    }

    @Nested
    class NotPrincipal {
        @Test
        void allowWithNotPrincipal() {
            Finding f = only(check("{'Effect':'Allow','NotPrincipal':{'AWS':'" + ROLE + "'},'Action':'ecr:BatchGetImage'}"),
                    FindingCode.ECR_POLICY_NOT_PRINCIPAL);
            assertThat(f.witness()).isEqualTo(new Witness.Principal(PAYMENTS_ROLE, "ecr:BatchGetImage"));
        }

        @Test
        void denyWithNotPrincipalExemptingTheAccountIsAGuard() {
            assertCompliant(check("{'Effect':'Allow','Principal':{'AWS':'" + ROLE + "'},'Action':" + PUSH_PULL_LIST + "}",
                    "{'Effect':'Deny','NotPrincipal':{'AWS':'123456789012'},'Action':'ecr:*'}"));
        }
    }

    @Nested
    class ExcessiveActions {
        @Test
        void ciRoleGetsEcrStar() {
            Finding f = only(check("{'Effect':'Allow','Principal':{'AWS':'" + ROLE + "'},'Action':'ecr:*'}"),
                    FindingCode.ECR_POLICY_EXCESSIVE_ACTIONS);
            assertThat(f.witness()).isEqualTo(new Witness.Principal(ROLE, "ecr:SetRepositoryPolicy"));
        }

        @Test
        void ciRoleSessionGetsDeleteRepositoryAndTheMessageSaysItBypassesTheBoundary() {
            Finding f = only(check("{'Effect':'Allow','Principal':{'AWS':'" + ROLE_SESSION + "'},'Action':['ecr:PutImage','ECR:deleterepository']}"),
                    FindingCode.ECR_POLICY_EXCESSIVE_ACTIONS);
            assertThat(f.witness()).isEqualTo(new Witness.Principal(ROLE_SESSION, "ecr:DeleteRepository"));
            assertThat(f.message()).contains("session").contains("permissions boundary");
        }

        @Test
        void ciRoleViaNotActionGetsAdminActions() {
            Finding f = only(check("{'Effect':'Allow','Principal':{'AWS':'" + ROLE + "'},'NotAction':'ecr:DeleteRepository'}"),
                    FindingCode.ECR_POLICY_EXCESSIVE_ACTIONS);
            assertThat(f.witness()).isEqualTo(new Witness.Principal(ROLE, "ecr:SetRepositoryPolicy"));
        }

        @Test
        void ciRolePinnedByPrincipalArnGetsEcrStar() {
            Finding f = only(check("{'Effect':'Allow','Principal':'*','Action':'ecr:*',"
                    + "'Condition':{'ArnEquals':{'aws:PrincipalArn':'" + ROLE + "'}}}"), FindingCode.ECR_POLICY_EXCESSIVE_ACTIONS);
            assertThat(f.witness()).isEqualTo(new Witness.Principal(ROLE, "ecr:SetRepositoryPolicy"));
        }

        @ParameterizedTest
        @ValueSource(strings = {ROLE, ROLE_SESSION})
        void ciRoleOrSessionWithPushPullAndReadOnlyActionsIsFine(String principal) {
            assertCompliant(check("{'Effect':'Allow','Principal':{'AWS':'" + principal + "'},'Action':"
                    + quotedList(List.of("ecr:BatchGetImage", "ecr:PutImage", "ecr:InitiateLayerUpload", "ecr:UploadLayerPart",
                    "ecr:CompleteLayerUpload", "ecr:BatchCheckLayerAvailability", "ecr:GetDownloadUrlForLayer", "ecr:DescribeImages")) + "}"));
        }
    }

    @Nested
    class ServiceWithoutSourceCondition {
        @Test
        void lambdaWithoutSourceArn() {
            Finding f = only(check("{'Effect':'Allow','Principal':{'Service':'lambda.amazonaws.com'},"
                    + "'Action':['ecr:BatchGetImage','ecr:GetDownloadUrlForLayer']}"), FindingCode.ECR_POLICY_SERVICE_NO_SOURCE_CONDITION);
            assertThat(f.witness()).isEqualTo(new Witness.Principal("lambda.amazonaws.com", "ecr:BatchGetImage"));
        }

        @Test
        void lambdaScopedBySourceArn() {
            assertCompliant(check("{'Effect':'Allow','Principal':{'Service':'lambda.amazonaws.com'},"
                    + "'Action':['ecr:BatchGetImage','ecr:GetDownloadUrlForLayer'],"
                    + "'Condition':{'StringLike':{'aws:sourceArn':'arn:aws:lambda:eu-west-1:123456789012:function:*'}}}"));
        }
    }

    @Nested
    class DeniesPush {
        @Test
        void denyPutImageToEveryone() {
            CheckOutcome<DocumentChange> outcome = check(
                    "{'Effect':'Allow','Principal':{'AWS':'" + ROLE + "'},'Action':" + PUSH_PULL_LIST + "}",
                    "{'Effect':'Deny','Principal':'*','Action':'ecr:PutImage'}");
            Finding f = only(outcome, FindingCode.ECR_POLICY_DENIES_PUSH);
            assertThat(f.witness()).isEqualTo(new Witness.Principal(ROLE, "ecr:PutImage"));
            assertThat(outcome.change()).isInstanceOf(DocumentChange.NeedsHuman.class);
        }

        @Test
        void denyEverythingToTheCiRoleByWildcardAction() {
            Finding f = only(check("{'Effect':'Deny','Principal':{'AWS':'" + ROLE + "'},'Action':'ecr:*Upload*'}"),
                    FindingCode.ECR_POLICY_DENIES_PUSH);
            assertThat(f.witness()).isEqualTo(new Witness.Principal(ROLE, "ecr:InitiateLayerUpload"));
        }

        @Test
        void denyExemptingTheCiRoleIsAGuard() {
            assertCompliant(check("{'Effect':'Deny','Principal':'*','Action':'ecr:PutImage',"
                    + "'Condition':{'ArnNotEquals':{'aws:PrincipalArn':'" + ROLE + "'}}}"));
        }

        @Test
        void denyOfDestructiveActionsIsAGuard() {
            assertCompliant(check("{'Effect':'Deny','Principal':'*','Action':['ecr:DeleteRepository','ecr:BatchDeleteImage']}"));
        }

        @Test
        void denyDependingOnTheRequestIsNotCertainToBreakPush() {
            assertCompliant(check("{'Effect':'Deny','Principal':'*','Action':'ecr:PutImage',"
                    + "'Condition':{'Bool':{'aws:SecureTransport':'false'}}}"));
        }
    }
}
