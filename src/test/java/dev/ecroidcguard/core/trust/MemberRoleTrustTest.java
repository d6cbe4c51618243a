package dev.ecroidcguard.core.trust;

import dev.ecroidcguard.core.finding.Finding;
import dev.ecroidcguard.core.finding.FindingCode;
import dev.ecroidcguard.core.finding.Witness;
import dev.ecroidcguard.core.inventory.AccountSnapshot;
import dev.ecroidcguard.core.inventory.IamRole;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** The guard's own member role, judged against what member-role.yaml grants: the hub's role, with the hub's external id. */
class MemberRoleTrustTest {

    static final String HUB = "arn:aws:iam::111111111111:role/guard-ScanFunctionRole-X";
    static final String MEMBER = "ecr-oidc-guard-member";
    static final MemberRoleTrust.Expected WITH_ID = new MemberRoleTrust.Expected(MEMBER, HUB, Optional.of("s3cret"));
    static final MemberRoleTrust.Expected WITHOUT_ID = new MemberRoleTrust.Expected(MEMBER, HUB, Optional.empty());

    static AccountSnapshot account(String trust) {
        IamRole role = new IamRole(MEMBER, "arn:aws:iam::222222222222:role/" + MEMBER, "/", trust, List.of(), List.of(), Optional.empty(), Map.of());
        return new AccountSnapshot("222222222222", "us-east-1", "aws", List.of(role), Map.of(), List.of(), List.of());
    }

    static String trust(String principal, String condition) {
        return "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":" + principal
                + ",\"Action\":\"sts:AssumeRole\"" + (condition == null ? "" : ",\"Condition\":" + condition) + "}]}";
    }

    static final String HUB_PRINCIPAL = "{\"AWS\":\"" + HUB + "\"}";

    @Test
    void theTemplatesTrustIsNotWiderWithOrWithoutItsOptionalConditions() {
        assertThat(MemberRoleTrust.audit(account(trust(HUB_PRINCIPAL, "{\"StringEquals\":{\"sts:ExternalId\":\"s3cret\"}}")), WITH_ID)).isEmpty();
        assertThat(MemberRoleTrust.audit(account(trust(HUB_PRINCIPAL,
                "{\"StringEquals\":{\"sts:ExternalId\":\"s3cret\",\"aws:PrincipalOrgID\":\"o-abcdefghij\"}}")), WITH_ID)).isEmpty();
        assertThat(MemberRoleTrust.audit(account(trust(HUB_PRINCIPAL, null)), WITHOUT_ID)).isEmpty();
        assertThat(MemberRoleTrust.audit(account(trust(HUB_PRINCIPAL, "{\"StringEquals\":{\"aws:PrincipalOrgID\":\"o-abcdefghij\"}}")),
                WITHOUT_ID)).isEmpty();
        assertThat(MemberRoleTrust.audit(account(trust(HUB_PRINCIPAL, null)), new MemberRoleTrust.Expected("other-role", HUB, Optional.of("x"))))
                .as("no such role in the account: nothing to judge").isEmpty();
    }

    @Test
    void anotherPrincipalIsTheWitnessThatGetsIn() {
        List<Finding> findings = MemberRoleTrust.audit(account(trust("{\"AWS\":[\"" + HUB + "\",\"arn:aws:iam::333333333333:root\"]}",
                "{\"StringEquals\":{\"sts:ExternalId\":\"s3cret\"}}")), WITH_ID);
        assertThat(findings).singleElement().satisfies(f -> {
            assertThat(f.code()).isEqualTo(FindingCode.MEMBER_ROLE_TRUST_WIDER);
            assertThat(f.resource()).isEqualTo("arn:aws:iam::222222222222:role/" + MEMBER);
            assertThat(f.witness()).isEqualTo(new Witness.Principal("arn:aws:iam::333333333333:root", "sts:AssumeRole"));
        });
        assertThat(MemberRoleTrust.audit(account(trust("{\"AWS\":\"111111111111\"}", null)), WITHOUT_ID)).extracting(Finding::witness)
                .as("the hub's whole account, not its function's role").containsExactly(new Witness.Principal("111111111111", "sts:AssumeRole"));
        assertThat(MemberRoleTrust.audit(account(trust("\"*\"", "{\"StringEquals\":{\"sts:ExternalId\":\"s3cret\"}}")), WITH_ID))
                .extracting(Finding::witness).containsExactly(new Witness.Principal("*", "sts:AssumeRole"));
        assertThat(MemberRoleTrust.audit(account("{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"NotPrincipal\":"
                + HUB_PRINCIPAL + ",\"Action\":\"sts:*\"}]}"), WITHOUT_ID)).extracting(Finding::witness)
                .containsExactly(new Witness.Principal("arn:aws:iam::111122223333:root", "sts:AssumeRole"));
        assertThat(MemberRoleTrust.audit(account(trust("{\"Service\":\"lambda.amazonaws.com\"}", null)), WITHOUT_ID)).extracting(Finding::witness)
                .containsExactly(new Witness.Principal("lambda.amazonaws.com", "sts:AssumeRole"));
    }

    @Test
    void theHubsRoleWithoutTheHubsExternalIdIsWider() {
        assertThat(MemberRoleTrust.audit(account(trust(HUB_PRINCIPAL, null)), WITH_ID)).extracting(Finding::witness)
                .containsExactly(new Witness.Detail(HUB + " with no external id"));
        assertThat(MemberRoleTrust.audit(account(trust(HUB_PRINCIPAL, "{\"StringEqualsIfExists\":{\"sts:ExternalId\":\"s3cret\"}}")), WITH_ID))
                .as("IfExists holds when the key is absent").extracting(Finding::witness).containsExactly(new Witness.Detail(HUB + " with no external id"));
        assertThat(MemberRoleTrust.audit(account(trust(HUB_PRINCIPAL, "{\"StringNotEquals\":{\"sts:ExternalId\":\"guess\"}}")), WITH_ID))
                .extracting(Finding::witness).containsExactly(new Witness.Detail(HUB + " with no external id"));
        // The languages of the conditions decide: a pattern admits other ids, the witness is one of them.
        List<Finding> like = MemberRoleTrust.audit(account(trust(HUB_PRINCIPAL, "{\"StringLike\":{\"sts:ExternalId\":\"s3c*\"}}")), WITH_ID);
        assertThat(like).singleElement().satisfies(f -> assertThat(((Witness.Detail) f.witness()).text())
                .startsWith(HUB + " with sts:ExternalId 's3c").isNotEqualTo(HUB + " with sts:ExternalId 's3cret'"));
        assertThat(MemberRoleTrust.audit(account(trust(HUB_PRINCIPAL, "{\"StringEquals\":{\"sts:ExternalId\":[\"s3cret\",\"old\"]}}")), WITH_ID))
                .extracting(Finding::witness).containsExactly(new Witness.Detail(HUB + " with sts:ExternalId 'old'"));
        assertThat(MemberRoleTrust.audit(account(trust(HUB_PRINCIPAL, "{\"StringEqualsIgnoreCase\":{\"sts:ExternalId\":\"s3cret\"}}")), WITH_ID))
                .extracting(Finding::witness).singleElement().satisfies(w -> assertThat(((Witness.Detail) w).text()).matches(
                        "\\Q" + HUB + " with sts:ExternalId '\\E(?i:s3cret)'").isNotEqualTo(HUB + " with sts:ExternalId 's3cret'"));
        // A pattern and an exact value together (ANDed) admit only the exact one: confined.
        assertThat(MemberRoleTrust.audit(account(trust(HUB_PRINCIPAL,
                "{\"StringLike\":{\"sts:ExternalId\":\"s3*\"},\"StringEquals\":{\"sts:ExternalId\":\"s3cret\"}}")), WITH_ID)).isEmpty();
    }

    @Test
    void anUnreadableTrustCannotBeShownConfined() {
        assertThat(MemberRoleTrust.audit(account("{not json"), WITH_ID)).singleElement()
                .satisfies(f -> assertThat(f.witness()).isEqualTo(new Witness.Detail("unparseable trust policy")));
    }
}
