package dev.ecroidcguard.application;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ecroidcguard.core.finding.FindingCode;
import dev.ecroidcguard.core.report.AccountReport;
import dev.ecroidcguard.ports.Notification;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/** NOTIFY_ON=changes notifications: only the tracked sections, the digest line in every part, and splitting keeps every entry. */
class NotificationBuilderChangesTest {

    static FindingChanges.Entry entry(int i, boolean reopened) {
        return new FindingChanges.Entry("id-" + i, "service-" + i, "arn:aws:ecr:us-east-1:123456789012:repository/service-" + i,
                FindingCode.ROLE_MISSING.name(), "BROKEN", "arn:aws:iam::123456789012:role/github-actions-service-" + i,
                List.of("- service-" + i + ": ROLE_MISSING (BROKEN) no role github-actions-service-" + i), Instant.parse("2026-11-01T00:00:00Z"), reopened);
    }

    @Test
    void onlyNewChangedAndResolvedAreListedWithADigestOfWhatIsStillOpen() throws Exception {
        AccountReport report = NotificationBuilderTest.report(3);
        FindingChanges changes = new FindingChanges(List.of(entry(0, true)), List.of(), List.of(entry(9, false)), List.of(entry(1, false), entry(2, false)));

        List<Notification> parts = new NotificationBuilder().build(report, NotificationBuilderTest.INVOCATION, List.of(), List.of(), Optional.of(changes));

        assertThat(parts).hasSize(1);
        JsonNode message = NotificationBuilderTest.MAPPER.readTree(parts.getFirst().message());
        String text = message.path("default").asText();
        assertThat(text).contains("Since the last scan: 1 new, 0 changed, 1 resolved; still open, not repeated: 2 (BROKEN 2)")
                .contains("New findings:\n- service-0: ROLE_MISSING (BROKEN) no role github-actions-service-0 (back after being resolved)")
                .contains("Resolved findings (gone since the last scan):\n- service-9")
                .doesNotContain("- service-1:").doesNotContain("Orphan roles (their repository does not exist):")
                .contains("Not evaluated (could not be read):");
        JsonNode sqs = NotificationBuilderTest.MAPPER.readTree(message.path("sqs").asText());
        assertThat(sqs.path("repositories")).isEmpty();
        assertThat(sqs.path("newFindings").get(0).path("reopened").asBoolean()).isTrue();
        assertThat(sqs.path("changedFindings")).isEmpty();
        assertThat(sqs.path("resolvedFindings").get(0).path("findingId").asText()).isEqualTo("id-9");
        assertThat(sqs.path("summary").path("findings").asInt()).isEqualTo(3);
        assertThat(parts.getFirst().subject()).isEqualTo("ecr-oidc-guard 123456789012 us-east-1: 1 new, 1 resolved, 3 open (BROKEN)");
    }

    @Test
    void aLargeChangeIsSplitAndThePartsTogetherCarryEveryEntry() throws Exception {
        AccountReport report = NotificationBuilderTest.report(2);
        List<FindingChanges.Entry> many = IntStream.range(0, 400).mapToObj(i -> entry(i, false)).toList();
        FindingChanges changes = new FindingChanges(many.subList(0, 300), List.of(), many.subList(300, 400), List.of());

        List<Notification> parts = new NotificationBuilder(64 * 1024).build(report, NotificationBuilderTest.INVOCATION, List.of(), List.of(),
                Optional.of(changes));

        assertThat(parts).hasSizeGreaterThan(1);
        Set<String> ids = new HashSet<>();
        for (Notification part : parts) {
            assertThat(NotificationBuilder.size(part)).isLessThanOrEqualTo(64 * 1024);
            assertThat(part.subject()).hasSizeLessThanOrEqualTo(NotificationBuilder.SUBJECT_MAX);
            JsonNode message = NotificationBuilderTest.MAPPER.readTree(part.message());
            assertThat(message.path("default").asText()).contains("Since the last scan: 300 new, 0 changed, 100 resolved");
            JsonNode sqs = NotificationBuilderTest.MAPPER.readTree(message.path("sqs").asText());
            sqs.path("newFindings").forEach(e -> ids.add(e.path("findingId").asText()));
            sqs.path("resolvedFindings").forEach(e -> ids.add(e.path("findingId").asText()));
        }
        assertThat(ids).hasSize(400);
    }
}
