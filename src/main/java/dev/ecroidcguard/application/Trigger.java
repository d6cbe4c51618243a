package dev.ecroidcguard.application;

/**
 * What started a scan: {@code schedule}, {@code cloudtrail} with the API call ({@code iam:UpdateAssumeRolePolicy}), or
 * {@code snapshot} (the CLI's {@code analyze}, with the file), {@code scan} (the CLI's live read-only scan); the event id, and {@code actor}, the CloudTrail record's
 * {@code userIdentity.arn} (null otherwise).
 */
public record Trigger(String type, String event, String eventId, String actor) {

    public Trigger(String type, String event, String eventId) {
        this(type, event, eventId, null);
    }

    public static Trigger snapshot(String file) {
        return new Trigger("snapshot", file, null);
    }

    /** The CLI's {@code scan} of a live account, with where it read ({@code region us-east-1 with profile p}). */
    public static Trigger live(String where) {
        return new Trigger("scan", where, null);
    }

    public String describe() {
        return switch (type) {
            case "schedule" -> "schedule";
            case "cloudtrail" -> "CloudTrail " + event;
            default -> type + " " + event;
        };
    }
}
