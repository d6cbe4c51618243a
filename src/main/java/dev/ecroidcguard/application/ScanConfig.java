package dev.ecroidcguard.application;

import dev.ecroidcguard.core.GuardConfig;
import dev.ecroidcguard.core.finding.RemediationClass;

import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a scan does, whichever door it came through: the naming contract ({@code guard}), the {@code mode} it reports
 * under, the remediation classes it applies (none in report mode), the tags that mark a resource as owned by other
 * infrastructure as code, when it publishes, the function's own name and role (null outside Lambda), by which it
 * recognises events that only echo its own writes, and, in an organization run, the member role it reaches the
 * account through (whose trust it audits, and whose sessions are its own too).
 */
public record ScanConfig(GuardConfig guard, String mode, Set<RemediationClass> remediate, Map<String, Set<String>> iacOwnerTags,
                         NotifyOn notifyOn, String functionName, String functionRoleArn, Optional<MemberRole> memberRole) {

    /** The role the hub assumes in a member account (member-role.yaml): its name, and the external id the hub presents. */
    public record MemberRole(String name, Optional<String> externalId) {
    }

    /** partition, account, role name (an assumed-role ARN names the role without its path). */
    public static final Pattern ROLE_ARN = Pattern.compile("arn:(aws[a-z-]*):iam::(\\d{12}):role/(?:[\\w+=,.@/-]*/)?([\\w+=,.@-]+)");

    /** partition, account, role name, session name of an STS assumed-role ARN. */
    private static final Pattern ASSUMED_ROLE_ARN = Pattern.compile("arn:(aws[a-z-]*):sts::(\\d{12}):assumed-role/([\\w+=,.@-]+)/([\\w+=,.@-]+)");

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

    /** A scan of the function's own account (no member role). */
    public ScanConfig(GuardConfig guard, String mode, Set<RemediationClass> remediate, Map<String, Set<String>> iacOwnerTags,
                      NotifyOn notifyOn, String functionName, String functionRoleArn) {
        this(guard, mode, remediate, iacOwnerTags, notifyOn, functionName, functionRoleArn, Optional.empty());
    }

    /** The same configuration for scans of member accounts reached through {@code role}. */
    public ScanConfig withMemberRole(MemberRole role) {
        return new ScanConfig(guard, mode, remediate, iacOwnerTags, notifyOn, functionName, functionRoleArn, Optional.of(role));
    }

    /** Audit only, publish nothing: the CLI's {@code analyze}. */
    public static ScanConfig offline(GuardConfig guard) {
        return new ScanConfig(guard, "report", Set.of(), Map.of(), NotifyOn.NEVER, null, null);
    }

    /** The same scan publishing as {@code when} says: a unit of an organization run leaves publishing to the run's roll-up. */
    public ScanConfig withNotifyOn(NotifyOn when) {
        return new ScanConfig(guard, mode, remediate, iacOwnerTags, when, functionName, functionRoleArn, memberRole);
    }

    /**
     * Whether a CloudTrail record's caller is this function itself: a session of the function's own role
     * ({@code FUNCTION_ROLE_ARN}) named after the function, as Lambda names it, or, in an organization run, a session
     * of the member role in a member account, which the function names after itself when it assumes the role
     * ({@code AssumedRoleMembers}). Such events only echo the function's own writes, and remediating on them could turn
     * a fix that keeps failing verification into a loop of restore, event, retry. The role is compared, not only the
     * session name, which whoever can assume any role chooses (the member role's trust admits only the function's
     * role, which the guard audits: {@code MEMBER_ROLE_TRUST_WIDER}); without FUNCTION_ROLE_ARN no event counts as the
     * function's own.
     */
    public boolean isSelf(String actorArn) {
        if (functionName == null || functionRoleArn == null || actorArn == null) {
            return false;
        }
        Matcher role = ROLE_ARN.matcher(functionRoleArn);
        if (!role.matches()) {
            return false;
        }
        String partition = role.group(1);
        if (actorArn.equals("arn:" + partition + ":sts::" + role.group(2) + ":assumed-role/" + role.group(3) + "/" + functionName)) {
            return true;
        }
        Matcher member = ASSUMED_ROLE_ARN.matcher(actorArn);
        return memberRole.isPresent() && member.matches() && member.group(1).equals(partition)
                && member.group(3).equals(memberRole.get().name()) && member.group(4).equals(functionName);
    }

}
