package dev.ecroidcguard.core.repositorypolicy;

import dev.ecroidcguard.core.analysis.CheckOutcome;
import dev.ecroidcguard.core.finding.Finding;
import dev.ecroidcguard.core.finding.FindingCode;
import dev.ecroidcguard.core.fix.DocumentChange;
import dev.ecroidcguard.core.policy.PolicyDocument;
import dev.ecroidcguard.core.policy.PolicyParseException;
import dev.ecroidcguard.core.policy.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;
import java.util.Optional;

import static dev.ecroidcguard.core.repositorypolicy.RepositoryPolicyFixtures.*;
import static org.assertj.core.api.Assertions.assertThat;

/** The never-widening repair, and documents that cannot be evaluated. */
class RepositoryPolicyFixTest {

    private static List<Statement> replacement(CheckOutcome<DocumentChange> outcome) throws PolicyParseException {
        assertThat(outcome.change()).isInstanceOf(DocumentChange.Replace.class);
        return PolicyDocument.parse(((DocumentChange.Replace) outcome.change()).document()).statements();
    }

    @Test
    void noPolicyIsUnchanged() {
        CheckOutcome<DocumentChange> outcome = RepositoryPolicyCheck.check(context(Optional.empty()));
        assertThat(outcome.findings()).isEmpty();
        assertThat(outcome.change()).isEqualTo(DocumentChange.UNCHANGED);
    }

    @Test
    void removesOnlyTheOffendingPrincipalOfAStatement() throws PolicyParseException {
        List<Statement> fixed = replacement(check("{'Sid':'CI','Effect':'Allow','Principal':{'AWS':['" + ROLE + "','" + PAYMENTS_ROLE
                + "','999988887777'],'Service':'lambda.amazonaws.com'},'Action':" + quotedList(PUSH_PULL) + "}"));
        assertThat(fixed).singleElement().satisfies(s -> {
            assertThat(s.principals().orElseThrow().byType()).containsOnlyKeys("AWS");
            assertThat(s.principals().orElseThrow().of("AWS")).containsExactly(ROLE);
            assertThat(s.actions()).containsExactlyElementsOf(PUSH_PULL);
            assertThat(s.sid()).contains("CI");
        });
    }

    @Test
    void narrowsTheCiRolesActionsToThePushPullActionsItAlreadyHad() throws PolicyParseException {
        List<Statement> fixed = replacement(check("{'Effect':'Allow','Principal':{'AWS':'" + ROLE + "'},"
                + "'Action':['ecr:PutImage','ecr:InitiateLayerUpload','ecr:DeleteRepository','ecr:SetRepositoryPolicy']}"));
        assertThat(fixed).singleElement().satisfies(s -> {
            assertThat(s.actions()).containsExactly("ecr:InitiateLayerUpload", "ecr:PutImage");
            assertThat(s.notAction()).isFalse();
        });
    }

    @Test
    void ecrStarForTheCiRoleBecomesTheSevenPushPullActions() throws PolicyParseException {
        List<Statement> fixed = replacement(check("{'Effect':'Allow','Principal':'*','Action':'ecr:*',"
                + "'Condition':{'ArnEquals':{'aws:PrincipalArn':'" + ROLE + "'}}}"));
        assertThat(fixed).singleElement().satisfies(s -> {
            assertThat(s.actions()).containsExactlyElementsOf(PUSH_PULL);
            assertThat(s.principals().orElseThrow().isEveryone()).isTrue();
            assertThat(s.conditions()).hasSize(1);
        });
    }

    @Test
    void deletesThePolicyWhenNothingRemainsAndSaysSo() {
        CheckOutcome<DocumentChange> outcome = check("{'Effect':'Allow','Principal':'*','Action':'ecr:*'}",
                "{'Effect':'Allow','Principal':{'AWS':'" + PAYMENTS_ROLE + "'},'Action':'ecr:PutImage'}");
        assertThat(outcome.findings()).extracting(Finding::code)
                .containsExactlyInAnyOrder(FindingCode.ECR_POLICY_PUBLIC_WRITE, FindingCode.ECR_POLICY_OTHER_ROLE_WRITE);
        assertThat(outcome.change()).isInstanceOfSatisfying(DocumentChange.Delete.class,
                d -> {
                    assertThat(d.reasons()).anyMatch(r -> r.contains("deleted"));
                    assertThat(d.remaining()).isEmpty();
                });
    }

    @Test
    void keepsDenyStatementsAndLeavesADenyOfPushToAPerson() throws PolicyParseException {
        String deny = "{'Effect':'Deny','Principal':'*','Action':'ecr:PutImage'}";
        CheckOutcome<DocumentChange> outcome = check(
                "{'Effect':'Allow','Principal':{'AWS':'" + ORG_CI_ROLE + "'},'Action':'ecr:*'}",
                "{'Effect':'Allow','Principal':{'AWS':'" + ROLE + "'},'Action':" + quotedList(PUSH_PULL) + "}",
                deny);
        assertThat(outcome.findings()).extracting(Finding::code)
                .containsExactlyInAnyOrder(FindingCode.ECR_POLICY_OTHER_ROLE_WRITE, FindingCode.ECR_POLICY_DENIES_PUSH);
        List<Statement> fixed = replacement(outcome);
        assertThat(fixed).hasSize(2);
        assertThat(fixed.get(1)).isEqualTo(PolicyDocument.parse(policy(deny)).statements().getFirst());
        assertThat(((DocumentChange.Replace) outcome.change()).reasons()).anyMatch(r -> r.startsWith("left for a person"));
        assertThat(((DocumentChange.Replace) outcome.change()).remaining()).containsExactly(FindingCode.ECR_POLICY_DENIES_PUSH);
    }

    @Test
    void aCompleteFixLeavesNothingRemaining() {
        CheckOutcome<DocumentChange> outcome = check("{'Effect':'Allow','Principal':{'AWS':['" + ROLE + "','" + PAYMENTS_ROLE
                + "']},'Action':" + quotedList(PUSH_PULL) + "}");
        assertThat(outcome.change()).isInstanceOfSatisfying(DocumentChange.Replace.class, r -> {
            assertThat(r.remaining()).isEmpty();
            assertThat(RepositoryPolicyCheck.check(context(Optional.of(r.document()))).findings()).isEmpty();
        });
    }

    @Test
    void aDeleteLeavesNothingRemaining() {
        CheckOutcome<DocumentChange> outcome = check("{'Effect':'Allow','Principal':'*','Action':'ecr:*'}");
        assertThat(outcome.change()).isInstanceOfSatisfying(DocumentChange.Delete.class, d -> assertThat(d.remaining()).isEmpty());
    }

    @Test
    void aDenyOfPushNextToAFixableGrantRemainsForAPerson() {
        CheckOutcome<DocumentChange> outcome = check(
                "{'Effect':'Allow','Principal':{'AWS':'" + PAYMENTS_ROLE + "'},'Action':'ecr:PutImage'}",
                "{'Effect':'Allow','Principal':{'AWS':'" + ROLE + "'},'Action':" + quotedList(PUSH_PULL) + "}",
                "{'Effect':'Deny','Principal':{'AWS':'" + ROLE + "'},'Action':'ecr:PutImage'}");
        assertThat(outcome.findings()).extracting(Finding::code)
                .containsExactlyInAnyOrder(FindingCode.ECR_POLICY_OTHER_ROLE_WRITE, FindingCode.ECR_POLICY_DENIES_PUSH);
        assertThat(outcome.change()).isInstanceOfSatisfying(DocumentChange.Replace.class, r -> {
            assertThat(r.remaining()).containsExactly(FindingCode.ECR_POLICY_DENIES_PUSH);
            // remaining is exactly what the analysis finds in the replaced document.
            assertThat(RepositoryPolicyCheck.check(context(Optional.of(r.document()))).findings()).extracting(Finding::code)
                    .containsExactlyInAnyOrderElementsOf(r.remaining());
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "{'Version':'2012-10-17','Statement':[{'Effect':'Allow',",
            "{'Statement':[{'Effect':'Allow','Principal':'*','Action':'ecr:PutImage','Condition':{'StringLikeish':{'aws:PrincipalArn':'x'}}}]}",
            "{'Statement':[{'Effect':'Allow','Principal':'*','Action':'ecr:BatchGetImage','Action':'ecr:PutImage'}]}",
            "{'Statement':[{'Effect':'Allow','Principal':'*','Action':'ecr:PutImage','Condition':"
                    + "{'ArnLike':{'aws:PrincipalArn':'" + ROLE + "'},'ArnLike':{'aws:PrincipalArn':'arn:aws:iam::*:root'}}}]}",
            "[]"})
    void malformedDocumentsBecomePolicyMalformedWithoutThrowing(String text) {
        CheckOutcome<DocumentChange> outcome = RepositoryPolicyCheck.check(context(Optional.of(text.replace('\'', '"'))));
        assertThat(outcome.findings()).singleElement().satisfies(f -> {
            assertThat(f.code()).isEqualTo(FindingCode.POLICY_MALFORMED);
            assertThat(f.message()).isNotBlank();
        });
        assertThat(outcome.change()).isInstanceOf(DocumentChange.NeedsHuman.class);
    }
}
