package dev.ecroidcguard.lambda;

/**
 * What the handler returns, serialized by the Lambda runtime: a flat record of strings and numbers so the
 * runtime's own Jackson needs no help. {@code status} is {@code scanned}, {@code ignored} (a well-formed event
 * about something this function does not guard) or {@code rejected} (an event it cannot interpret); in the
 * last two, nothing was read or written and {@code reason} says why. {@code changes} counts the remediation
 * steps reported (applied, already done, restored, failed, skipped), {@code changesApplied} those written and
 * verified, {@code changesFailed} those restored or failed; {@code suppressed} the repositories tagged to be ignored;
 * {@code notFound} (null when none) the repositories the event names that do not exist, and whether their role does.
 */
public record InvocationResult(String status, String trigger, String eventId, String scope, int repositories, int findings,
                               String highestSeverity, int orphanRoles, int notEvaluated, int notificationParts,
                               int apiCalls, long durationMs, String reason, int changes, int changesApplied, int changesFailed,
                               int suppressed, String notFound) {

    static InvocationResult ignored(EventRouting.Trigger trigger, String reason) {
        return new InvocationResult("ignored", trigger.describe(), trigger.eventId(), null, 0, 0, null, 0, 0, 0, 0, 0, reason, 0, 0, 0, 0, null);
    }

    static InvocationResult rejected(String reason) {
        return new InvocationResult("rejected", null, null, null, 0, 0, null, 0, 0, 0, 0, 0, reason, 0, 0, 0, 0, null);
    }
}
