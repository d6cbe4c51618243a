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

    /**
     * Issue 11, repository policies: a statement keyed on aws:FederatedProvider admits every session of every role
     * assumed through that provider, so for this account's GitHub provider every other repository's GitHub role
     * may write: the same-account bypass, not a mere federation note.
     */
    @Test
    void everyone_keyed_on_the_accounts_provider_lets_other_web_identity_roles_write() {
        List<Finding> findings = check("{'Effect':'Allow','Principal':'*','Action':['ecr:PutImage','ecr:BatchGetImage'],"
                + "'Condition':{'StringEquals':{'aws:FederatedProvider':'" + PROVIDER + "'}}}").findings();
        assertThat(findings).extracting(Finding::code).containsExactly(FindingCode.ECR_POLICY_OTHER_ROLE_WRITE);
        assertThat(findings.getFirst().witness()).isEqualTo(new Witness.Principal(PAYMENTS_ROLE, "ecr:PutImage"));
    }

    @Test
    void the_witness_is_a_role_that_trusts_the_provider() {
        String trustsProvider = policy("{'Effect':'Allow','Principal':{'Federated':'" + PROVIDER + "'},'Action':'sts:AssumeRoleWithWebIdentity'}");
        dev.ecroidcguard.core.inventory.IamRole deploy = new dev.ecroidcguard.core.inventory.IamRole("deploy", "arn:aws:iam::" + ACCOUNT
                + ":role/deploy", "/", trustsProvider, List.of(), List.of(), java.util.Optional.empty(), java.util.Map.of());
        String statement = policy("{'Effect':'Allow','Principal':'*','Action':'ecr:PutImage',"
                + "'Condition':{'StringLike':{'aws:FederatedProvider':'arn:aws:iam::" + ACCOUNT + ":oidc-provider/*'}}}");
        List<Finding> findings = RepositoryPolicyCheck.check(context(java.util.Optional.of(statement),
                List.of(role(ROLE), role(PAYMENTS_ROLE), deploy))).findings();
        assertThat(findings).extracting(Finding::witness).containsExactly(new Witness.Principal(deploy.arn(), "ecr:PutImage"));
    }

    @Test
    void another_accounts_provider_admits_that_accounts_roles() {
        List<Finding> findings = check("{'Effect':'Allow','Principal':'*','Action':'ecr:PutImage','Condition':{'StringEquals':"
                + "{'aws:FederatedProvider':'arn:aws:iam::" + FOREIGN_ACCOUNT + ":oidc-provider/token.actions.githubusercontent.com'}}}").findings();
        assertThat(findings).extracting(Finding::code).containsExactly(FindingCode.ECR_POLICY_CROSS_ACCOUNT_WRITE);
        assertThat(findings.getFirst().witness()).isEqualTo(
                new Witness.Principal("arn:aws:iam::" + FOREIGN_ACCOUNT + ":role/web-identity-role", "ecr:PutImage"));
    }

    @Test
    void a_value_that_names_no_provider_admits_nobody() {
        // The issuer's host name is no aws:FederatedProvider value (IAM OIDC providers are keyed by their ARN).
        assertThat(codes("{'Effect':'Allow','Principal':'*','Action':'ecr:PutImage',"
                + "'Condition':{'StringEquals':{'aws:FederatedProvider':'token.actions.githubusercontent.com'}}}")).isEmpty();
        // Services never carry aws:FederatedProvider, IAM roles never aws:SourceAccount.
        assertThat(codes("{'Effect':'Allow','Principal':'*','Action':'ecr:PutImage','Condition':{'StringEquals':"
                + "{'aws:FederatedProvider':'" + PROVIDER + "','aws:SourceAccount':'" + ACCOUNT + "'}}}")).isEmpty();
    }

    @Test
    void pull_only_keyed_on_the_provider_stays_a_federation_note() {
        assertThat(codes("{'Effect':'Allow','Principal':'*','Action':'ecr:BatchGetImage',"
                + "'Condition':{'StringEquals':{'aws:FederatedProvider':'" + PROVIDER + "'}}}")).containsExactly(FindingCode.ECR_POLICY_FEDERATED_PRINCIPAL);
    }

    @Test
    void named_principals_that_cannot_carry_the_provider_get_nothing() {
        // An IAM user never carries aws:FederatedProvider; a role of this account is never assumed through another account's provider.
        assertThat(codes("{'Effect':'Allow','Principal':{'AWS':'arn:aws:iam::" + ACCOUNT + ":user/ci'},'Action':'ecr:PutImage',"
                + "'Condition':{'StringEquals':{'aws:FederatedProvider':'" + PROVIDER + "'}}}")).isEmpty();
        assertThat(codes("{'Effect':'Allow','Principal':{'AWS':'" + PAYMENTS_ROLE + "'},'Action':'ecr:PutImage','Condition':{'StringEquals':"
                + "{'aws:FederatedProvider':'arn:aws:iam::" + FOREIGN_ACCOUNT + ":oidc-provider/token.actions.githubusercontent.com'}}}")).isEmpty();
        assertThat(codes("{'Effect':'Allow','Principal':{'AWS':'" + PAYMENTS_ROLE + "'},'Action':'ecr:PutImage',"
                + "'Condition':{'StringEquals':{'aws:FederatedProvider':'" + PROVIDER + "'}}}")).containsExactly(FindingCode.ECR_POLICY_OTHER_ROLE_WRITE);
    }

    /** Whose web-identity roles a generated aws:FederatedProvider value admits, known by construction. */
    private record ProviderPin(String operator, String value, boolean ownAccount, boolean otherAccounts, String action, boolean accountKey) {
    }

    @Test
    void generated_provider_pins_admit_exactly_the_roles_of_the_providers_accounts() {
        String foreignProvider = "arn:aws:iam::" + FOREIGN_ACCOUNT + ":oidc-provider/token.actions.githubusercontent.com";
        List<ProviderPin> pins = List.of(
                new ProviderPin("StringEquals", PROVIDER, true, false, null, false),
                new ProviderPin("StringEqualsIgnoreCase", PROVIDER.toUpperCase(java.util.Locale.ROOT), true, false, null, false),
                new ProviderPin("StringLike", "arn:aws:iam::" + ACCOUNT + ":oidc-provider/*", true, false, null, false),
                new ProviderPin("StringLike", "arn:aws:iam::*:oidc-provider/token.actions.githubusercontent.com", true, true, null, false),
                new ProviderPin("StringEquals", foreignProvider, false, true, null, false),
                new ProviderPin("StringEquals", "cognito-identity.amazonaws.com", true, true, null, false),
                new ProviderPin("StringEquals", "token.actions.githubusercontent.com", false, false, null, false),
                new ProviderPin("StringLike", "arn:aws:iam::" + ACCOUNT + ":role/*", false, false, null, false));
        dev.ecroidcguard.testing.Generated.forAll(40, random -> {
            ProviderPin pin = dev.ecroidcguard.testing.Generated.oneOf(random, pins);
            String action = dev.ecroidcguard.testing.Generated.oneOf(random, "ecr:PutImage", "ecr:DeleteRepository", "ecr:BatchGetImage", "ecr:*");
            return new ProviderPin(pin.operator(), pin.value(), pin.ownAccount(), pin.otherAccounts(), action,
                    dev.ecroidcguard.testing.Generated.chance(random, 0.5));
        }, pin -> {
            // One operator block per operator (a duplicate key is a malformed policy).
            String account = "'aws:PrincipalAccount':'" + ACCOUNT + "'";
            String provider = "'aws:FederatedProvider':'" + pin.value() + "'";
            String condition = !pin.accountKey() ? "'" + pin.operator() + "':{" + provider + "}"
                    : pin.operator().equals("StringEquals") ? "'StringEquals':{" + provider + "," + account + "}"
                    : "'" + pin.operator() + "':{" + provider + "},'StringEquals':{" + account + "}";
            List<Finding> findings = check("{'Effect':'Allow','Principal':'*','Action':'" + pin.action() + "','Condition':{"
                    + condition + "}}").findings();
            boolean write = !pin.action().equals("ecr:BatchGetImage");
            List<FindingCode> expected = new java.util.ArrayList<>();
            if (write && pin.ownAccount()) {
                expected.add(FindingCode.ECR_POLICY_OTHER_ROLE_WRITE);
            }
            // The account condition pins this account: other accounts' roles cannot meet it.
            boolean otherAccounts = pin.otherAccounts() && !pin.accountKey();
            if (write && otherAccounts) {
                expected.add(FindingCode.ECR_POLICY_CROSS_ACCOUNT_WRITE);
            }
            if (!write && (pin.ownAccount() || otherAccounts)) {
                expected.add(FindingCode.ECR_POLICY_FEDERATED_PRINCIPAL);
            }
            assertThat(findings).extracting(Finding::code).containsExactlyElementsOf(expected);
            for (Finding f : findings) {
                Witness.Principal w = (Witness.Principal) f.witness();
                boolean inAccount = w.principal().startsWith("arn:aws:iam::" + ACCOUNT + ":role/") && !w.principal().equals(ROLE);
                boolean ownSide = f.code() == FindingCode.ECR_POLICY_OTHER_ROLE_WRITE
                        || (f.code() == FindingCode.ECR_POLICY_FEDERATED_PRINCIPAL && pin.ownAccount());
                assertThat(inAccount).as("witness %s", w).isEqualTo(ownSide);
            }
        });
    }
}
