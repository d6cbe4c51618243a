package dev.ecroidcguard.core.finding;

import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class FindingIdTest {

    static final String ROLE = "arn:aws:iam::123456789012:role/github-actions-web";

    @Test
    void theIdDependsOnWhereAndWhatNotOnTheMessageOrWitness() {
        String id = FindingId.of("123456789012", "us-east-1", "web", FindingCode.TRUST_SUB_ORG_WIDE, ROLE);
        assertThat(id).matches("ecr-oidc-guard/123456789012/us-east-1/web/TRUST_SUB_ORG_WIDE/[0-9a-f]{12}");
        Finding one = Finding.of(FindingCode.TRUST_SUB_ORG_WIDE, ROLE, "repo:acme/* admits every repository", new Witness.Token("repo:acme/x:ref:refs/heads/main", Map.of()));
        Finding other = Finding.of(FindingCode.TRUST_SUB_ORG_WIDE, ROLE, "another message", null);
        assertThat(FindingId.of("123456789012", "us-east-1", "web", one)).isEqualTo(id).isEqualTo(FindingId.of("123456789012", "us-east-1", "web", other));
        assertThat(FindingId.of("123456789012", "eu-west-1", "web", one)).isNotEqualTo(id);
        assertThat(FindingId.of("210987654321", "us-east-1", "web", one)).isNotEqualTo(id);
        assertThat(FindingId.of("123456789012", "us-east-1", "api", one)).isNotEqualTo(id);
        assertThat(FindingId.of("123456789012", "us-east-1", "web", FindingCode.TRUST_SUB_WRONG_REPO, ROLE)).isNotEqualTo(id);
        assertThat(FindingId.of("123456789012", "us-east-1", "web", FindingCode.TRUST_SUB_ORG_WIDE, ROLE + "2")).isNotEqualTo(id);
    }

    @Test
    void theFingerprintIgnoresOrderAndClaimMapOrderButNotContent() {
        Map<String, String> ab = new LinkedHashMap<>();
        ab.put("a", "1");
        ab.put("b", "2");
        Map<String, String> ba = new LinkedHashMap<>();
        ba.put("b", "2");
        ba.put("a", "1");
        Finding x = Finding.of(FindingCode.TRUST_SUB_ORG_WIDE, ROLE, "m", new Witness.Token("repo:acme/x:*", ab));
        Finding y = Finding.of(FindingCode.TRUST_SUB_ORG_WIDE, ROLE, "n", new Witness.Detail("d"));
        assertThat(FindingId.fingerprint(List.of(x, y))).isEqualTo(FindingId.fingerprint(List.of(y,
                Finding.of(FindingCode.TRUST_SUB_ORG_WIDE, ROLE, "m", new Witness.Token("repo:acme/x:*", ba)))));
        assertThat(FindingId.fingerprint(List.of(x))).isNotEqualTo(FindingId.fingerprint(List.of(
                Finding.of(FindingCode.TRUST_SUB_ORG_WIDE, ROLE, "m", new Witness.Token("repo:acme/y:*", ab)))));
        assertThat(FindingId.fingerprint(List.of(x))).isNotEqualTo(FindingId.fingerprint(List.of(
                new Finding(FindingCode.TRUST_SUB_ORG_WIDE, Severity.CRITICAL, ROLE, "m", new Witness.Token("repo:acme/x:*", ab)))));
    }
}
