package dev.ecroidcguard.application;

import dev.ecroidcguard.core.finding.FindingCode;
import dev.ecroidcguard.ports.HubFinding;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class SecurityHubFindingsTest {

    static final Instant FIRST = Instant.parse("2026-11-01T00:00:00Z");
    static final Instant NOW = Instant.parse("2026-11-30T09:00:00Z");
    static final String REPO_ARN = "arn:aws:ecr:us-east-1:123456789012:repository/web";
    static final String ROLE_ARN = "arn:aws:iam::123456789012:role/github-actions-web";

    static FindingChanges.Entry entry(String id, FindingCode code, String severity, String resource, List<String> lines) {
        return new FindingChanges.Entry(id, "web", REPO_ARN, code.name(), severity, resource, lines, FIRST, false);
    }

    @Test
    void openFindingsAreActiveAndFailedResolvedOnesArchivedAndPassed() {
        FindingChanges changes = new FindingChanges(
                List.of(entry("n", FindingCode.TRUST_SUB_ORG_WIDE, "HIGH", ROLE_ARN, List.of("- web: TRUST_SUB_ORG_WIDE (HIGH) token sub=repo:acme/evil:ref:refs/heads/main"))),
                List.of(entry("c", FindingCode.TRUST_SUB_OWNER_WILDCARD, "CRITICAL", ROLE_ARN, List.of("x"))),
                List.of(entry("r", FindingCode.ROLE_MISSING, "BROKEN", ROLE_ARN, List.of("y"))),
                List.of(entry("s", FindingCode.ECR_POLICY_CROSS_ACCOUNT_WRITE, "MEDIUM", REPO_ARN, List.of("z"))));

        List<HubFinding> filed = SecurityHubFindings.of("123456789012", "us-east-1", changes, NOW);

        assertThat(filed).extracting(f -> f.id() + " " + f.recordState() + " " + f.compliance() + " " + f.severityLabel() + "/" + f.severityOriginal())
                .containsExactly("n ACTIVE FAILED HIGH/HIGH", "c ACTIVE FAILED CRITICAL/CRITICAL", "s ACTIVE FAILED MEDIUM/MEDIUM",
                        "r ARCHIVED PASSED LOW/BROKEN");
        HubFinding n = filed.getFirst();
        assertThat(n.title()).isEqualTo("TRUST_SUB_ORG_WIDE on ECR repository web");
        assertThat(n.description()).startsWith(FindingCode.TRUST_SUB_ORG_WIDE.summary()).contains("token sub=repo:acme/evil:ref:refs/heads/main");
        assertThat(n.resources()).containsExactly(new HubFinding.Resource("AwsEcrRepository", REPO_ARN), new HubFinding.Resource("AwsIamRole", ROLE_ARN));
        assertThat(n.remediation()).contains("Mode=remediate").contains("'trust'");
        assertThat(n.firstObservedAt()).isEqualTo(FIRST);
        assertThat(n.lastObservedAt()).isEqualTo(NOW);
        assertThat(n.generatorId()).isEqualTo("ecr-oidc-guard/TRUST_SUB_ORG_WIDE");
        // A repository-policy finding is about the repository only.
        assertThat(filed.get(2).resources()).containsExactly(new HubFinding.Resource("AwsEcrRepository", REPO_ARN));
    }

    @Test
    void aFindingOnlyAPersonCanRepairSaysSoAndLongTextIsCutToTheAsffLimits() {
        String longLine = "- web: TRUST_SUB_CASE_MISMATCH (BROKEN) " + "x".repeat(2000);
        FindingChanges changes = new FindingChanges(List.of(entry("p", FindingCode.TRUST_SUB_CASE_MISMATCH, "BROKEN", ROLE_ARN, List.of(longLine))),
                List.of(), List.of(), List.of());
        HubFinding f = SecurityHubFindings.of("123456789012", "us-east-1", changes, NOW).getFirst();
        assertThat(f.remediation()).startsWith("Needs a person").hasSizeLessThanOrEqualTo(SecurityHubFindings.REMEDIATION_MAX);
        assertThat(f.description()).hasSize(SecurityHubFindings.DESCRIPTION_MAX).endsWith("…");
    }

    @Test
    void aScanThatTracksNothingFilesNothing() {
        assertThat(SecurityHubFindings.of("123456789012", "us-east-1", FindingChanges.UNTRACKED, NOW)).isEmpty();
    }
}
