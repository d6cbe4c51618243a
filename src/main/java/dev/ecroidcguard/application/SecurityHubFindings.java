package dev.ecroidcguard.application;

import dev.ecroidcguard.core.finding.FindingCode;
import dev.ecroidcguard.core.finding.Repair;
import dev.ecroidcguard.ports.HubFinding;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The ASFF mapping: every open finding of a tracked scan becomes an active, failed Security Hub finding (re-imported each
 * scan, so its last-observed time and content stay current, and a finding that comes back is active again, which makes
 * Security Hub reset its workflow to NEW); every finding the scan resolved is imported once more as archived and
 * passed. The id is the finding's stable id. Severity: the guard's CRITICAL, HIGH, MEDIUM and LOW are the ASFF labels
 * of the same name; BROKEN (nothing gets in, but pushes fail) is LOW, with BROKEN kept as the original severity.
 * Pure: no I/O.
 */
public final class SecurityHubFindings {

    /** ASFF limits: Title 256 characters, Description 1024, Remediation.Recommendation.Text 512. */
    static final int TITLE_MAX = 256;
    static final int DESCRIPTION_MAX = 1024;
    static final int REMEDIATION_MAX = 512;
    static final String TYPE = "Software and Configuration Checks/AWS Security Best Practices";

    private SecurityHubFindings() {
    }

    public static List<HubFinding> of(String accountId, String region, FindingChanges changes, Instant now) {
        List<HubFinding> out = new ArrayList<>();
        changes.open().forEach(e -> out.add(finding(accountId, region, e, HubFinding.Compliance.FAILED, HubFinding.RecordState.ACTIVE, now)));
        changes.resolved().forEach(e -> out.add(finding(accountId, region, e, HubFinding.Compliance.PASSED, HubFinding.RecordState.ARCHIVED, now)));
        return out;
    }

    private static HubFinding finding(String accountId, String region, FindingChanges.Entry e, HubFinding.Compliance compliance,
                                      HubFinding.RecordState state, Instant now) {
        Optional<FindingCode> code = Arrays.stream(FindingCode.values()).filter(c -> c.name().equals(e.code())).findFirst();
        String meaning = code.map(FindingCode::summary).orElse(e.code());
        String title = cut(e.code() + " on ECR repository " + e.repository(), TITLE_MAX);
        String description = cut(meaning + "\n" + String.join("\n", e.lines()), DESCRIPTION_MAX);
        List<HubFinding.Resource> resources = Stream.of(
                        Optional.ofNullable(e.repositoryArn()).map(arn -> new HubFinding.Resource("AwsEcrRepository", arn)),
                        Optional.ofNullable(e.resource()).filter(SecurityHubFindings::isRole).map(arn -> new HubFinding.Resource("AwsIamRole", arn)))
                .flatMap(Optional::stream).toList();
        return new HubFinding(e.findingId(), accountId, region, "ecr-oidc-guard/" + e.code(), title, description, label(e.severity()),
                e.severity(), List.of(TYPE), resources, compliance, state, cut(remediation(code, e.repository()), REMEDIATION_MAX),
                e.firstSeen(), now);
    }

    static String label(String severity) {
        return switch (severity) {
            case "CRITICAL", "HIGH", "MEDIUM", "LOW" -> severity;
            default -> "LOW";
        };
    }

    private static String remediation(Optional<FindingCode> code, String repository) {
        if (code.isEmpty()) {
            return "See the ecr-oidc-guard report for repository " + repository + ".";
        }
        FindingCode c = code.get();
        return c.fixedBy().map(fix -> "ecr-oidc-guard fixes this with Mode=remediate and the '" + fix.configName()
                        + "' class in Remediate, unless the resource is owned by CloudFormation or other IaC; the report's fix plan shows the change.")
                .orElse((c.repair() == Repair.NEEDS_A_GRANT ? "Needs a person: any repair grants something new. "
                        : "Needs a person: what was meant cannot be read from the account. ") + c.summary());
    }

    private static boolean isRole(String arn) {
        return arn.matches("arn:aws[a-z-]*:iam::\\d{12}:role/.+");
    }

    private static String cut(String text, int max) {
        return text.length() <= max ? text : text.substring(0, max - 1) + "…";
    }
}
