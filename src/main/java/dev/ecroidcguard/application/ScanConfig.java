package dev.ecroidcguard.application;

import dev.ecroidcguard.core.GuardConfig;
import dev.ecroidcguard.core.finding.RemediationClass;

import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What a scan does, whichever door it came through: the naming contract ({@code guard}), the {@code mode} it reports
 * under, the remediation classes it applies (none in report mode), the tags that mark a resource as owned by other
 * infrastructure as code, when it publishes, and the function's own name (null outside Lambda), by which it
 * recognises events that only echo its own writes.
 */
public record ScanConfig(GuardConfig guard, String mode, Set<RemediationClass> remediate, Map<String, Set<String>> iacOwnerTags,
                         NotifyOn notifyOn, String functionName) {

    /**
     * {@code FINDINGS}: publish only when there is something to act on; {@code CHANGES}: only when a finding is new,
     * changed or resolved since the last scan (or remediation wrote something, or a repository could not be read), and
     * then only those plus a digest of
     * what is still open (needs the finding state); {@code ALWAYS}: every scan ({@code NOTIFY_ON});
     * {@code NEVER}: the CLI, whose output is the report itself.
     */
    public enum NotifyOn { FINDINGS, CHANGES, ALWAYS, NEVER }

    public ScanConfig {
        remediate = Set.copyOf(remediate);
        iacOwnerTags = Map.copyOf(iacOwnerTags);
    }

    /** Audit only, publish nothing: the CLI's {@code analyze}. */
    public static ScanConfig offline(GuardConfig guard) {
        return new ScanConfig(guard, "report", Set.of(), Map.of(), NotifyOn.NEVER, null);
    }

    /**
     * Whether a CloudTrail record's caller is this function itself (its role session is named after the function,
     * as Lambda does): such events only echo the function's own writes, and remediating on them could turn a
     * fix that keeps failing verification into a loop of restore, event, retry.
     */
    public boolean isSelf(String actorArn) {
        return functionName != null && actorArn != null
                && actorArn.matches("arn:aws[a-z-]*:sts::\\d{12}:assumed-role/[\\w+=,.@-]+/" + Pattern.quote(functionName));
    }
}
