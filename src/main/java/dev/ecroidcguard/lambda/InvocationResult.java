package dev.ecroidcguard.lambda;

import dev.ecroidcguard.application.ScanOutcome;
import dev.ecroidcguard.application.Trigger;
import dev.ecroidcguard.core.report.AccountReport;
import dev.ecroidcguard.remediation.Change;

/**
 * What the handler returns, serialized by the Lambda runtime: a flat record of strings and numbers so the
 * runtime's own Jackson needs no help; its field names are the function's output contract. {@code status} is
 * {@code scanned}, {@code ignored} (a well-formed event about something this function does not guard) or
 * {@code rejected} (an event it cannot interpret); in the last two, nothing was read or written and {@code reason}
 * says why. {@code changes} counts the remediation steps reported (applied, already done, restored, failed, skipped),
 * {@code changesApplied} those written and verified, {@code changesFailed} those restored, failed or unverified (written, not read back); {@code suppressed}
 * the repositories tagged to be ignored; {@code notFound} (null when none) the repositories the event names that do
 * not exist, and whether their role does. {@code apiCalls} is the figure the report quotes. Built only by the three
 * factories below, which name every value they set.
 */
public record InvocationResult(String status, String trigger, String eventId, String scope, int repositories, int findings,
                               String highestSeverity, int orphanRoles, int notEvaluated, int notificationParts,
                               int apiCalls, long durationMs, String reason, int changes, int changesApplied, int changesFailed,
                               int suppressed, String notFound) {

    static InvocationResult scanned(ScanOutcome outcome) {
        AccountReport.Summary summary = outcome.report().summary();
        String status = "scanned";
        String trigger = outcome.trigger().describe();
        String eventId = outcome.trigger().eventId();
        String scope = outcome.scopeDescription();
        String highestSeverity = outcome.report().highestSeverity().map(Enum::name).orElse("NONE");
        int apiCalls = outcome.invocation().totalApiCalls();
        long durationMs = outcome.invocation().durationMs();
        String reason = outcome.publishFailure().orElse(null);
        int changes = outcome.changes().size();
        int changesApplied = (int) outcome.changesWith(Change.Status.APPLIED);
        int changesFailed = (int) outcome.changesWith(Change.Status.RESTORED, Change.Status.FAILED, Change.Status.UNVERIFIED);
        return new InvocationResult(status, trigger, eventId, scope, summary.repositories(), summary.findings(), highestSeverity,
                summary.orphanRoles(), summary.notEvaluated(), outcome.notificationParts(), apiCalls, durationMs, reason,
                changes, changesApplied, changesFailed, outcome.suppressed().size(),
                outcome.invocation().notFound().isEmpty() ? null : String.join("; ", outcome.invocation().notFound()));
    }

    static InvocationResult ignored(Trigger trigger, String reason) {
        return nothingScanned("ignored", trigger.describe(), trigger.eventId(), reason);
    }

    static InvocationResult rejected(String reason) {
        return nothingScanned("rejected", null, null, reason);
    }

    private static InvocationResult nothingScanned(String status, String trigger, String eventId, String reason) {
        return new InvocationResult(status, trigger, eventId, null, 0, 0, null, 0, 0, 0, 0, 0, reason, 0, 0, 0, 0, null);
    }
}
