package dev.ecroidcguard.application;

import dev.ecroidcguard.core.GuardConfig;
import dev.ecroidcguard.core.finding.RemediationClass;

import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a scan does, whichever door it came through: the naming contract ({@code guard}), the {@code mode} it reports
 * under, the remediation classes it applies (none in report mode), the tags that mark a resource as owned by other
 * infrastructure as code, when it publishes, and the function's own name and role (null outside Lambda), by which it
 * recognises events that only echo its own writes.
 */
public record ScanConfig(GuardConfig guard, String mode, Set<RemediationClass> remediate, Map<String, Set<String>> iacOwnerTags,
                         NotifyOn notifyOn, String functionName, String functionRoleArn) {

    /** partition, account, role name (an assumed-role ARN names the role without its path). */
    public static final Pattern ROLE_ARN = Pattern.compile("arn:(aws[a-z-]*):iam::(\\d{12}):role/(?:[\\w+=,.@/-]*/)?([\\w+=,.@-]+)");

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
        return new ScanConfig(guard, "report", Set.of(), Map.of(), NotifyOn.NEVER, null, null);
    }

    /** The same scan publishing as {@code when} says: a unit of an organization run leaves publishing to the run's roll-up. */
    public ScanConfig withNotifyOn(NotifyOn when) {
        return new ScanConfig(guard, mode, remediate, iacOwnerTags, when, functionName, functionRoleArn);
    }

    /**
     * Whether a CloudTrail record's caller is this function itself: a session of the function's own role
     * ({@code FUNCTION_ROLE_ARN}) named after the function, as Lambda names it. Such events only echo the function's
     * own writes, and remediating on them could turn a fix that keeps failing verification into a loop of restore,
     * event, retry. The role is compared, not only the session name, which whoever can assume any role chooses;
     * without FUNCTION_ROLE_ARN no event counts as the function's own.
     */
    public boolean isSelf(String actorArn) {
        if (functionName == null || functionRoleArn == null || actorArn == null) {
            return false;
        }
        Matcher role = ROLE_ARN.matcher(functionRoleArn);
        return role.matches() && actorArn.equals("arn:" + role.group(1) + ":sts::" + role.group(2) + ":assumed-role/" + role.group(3)
                + "/" + functionName);
    }
}
