package dev.ecroidcguard.application.organization;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ecroidcguard.application.NotificationBuilder;
import dev.ecroidcguard.application.ScanConfig.NotifyOn;
import dev.ecroidcguard.core.finding.Severity;
import dev.ecroidcguard.ports.Notification;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The roll-up from units' results: an account's chunks add up, the message fits one publish, NOTIFY_ON decides. */
class RunReportTest {

    static final ObjectMapper MAPPER = new ObjectMapper();
    static final UnitResult.Listed NONE = new UnitResult.Listed(0, List.of());

    static UnitResult.RegionResult region(String region, String chunk, int repositories, UnitResult.Listed opened, UnitResult.Listed resolved) {
        return new UnitResult.RegionResult(region, chunk, repositories, opened.count(), Map.of(Severity.HIGH, opened.count()), 0, 0, true,
                opened, NONE, resolved, NONE, NONE, NONE);
    }

    static UnitResult.Listed listed(String repository, int count) {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            lines.add("- " + repository + "-" + i + ": TRUST_SUB_WILDCARD (HIGH) token sub=repo:acme/" + repository + "-" + i + ":" + "x".repeat(300));
        }
        return new UnitResult.Listed(count, lines);
    }

    @Test
    void anAccountsChunksAddUpToOneAccountAndTheUnitResultRoundTrips() {
        UnitResult parent = new UnitResult("111111111111", "111111111111", null, List.of(region("eu-west-1", "", 2, NONE, NONE)),
                Map.of(), 2, 10);
        UnitResult chunk1 = new UnitResult("111111111111/us-east-1/chunk-1-of-2", "111111111111", null,
                List.of(region("us-east-1", "1 of 2", 3, listed("a", 1), NONE)), Map.of(), 0, 10);
        UnitResult chunk2 = new UnitResult("111111111111/us-east-1/chunk-2-of-2", "111111111111", null,
                List.of(region("us-east-1", "2 of 2", 2, NONE, listed("z", 1))), Map.of(), 0, 10);
        UnitResult unreachable = new UnitResult("222222222222", "222222222222", "AccessDenied", List.of(), Map.of(), 0, 5);
        assertThat(UnitResult.fromJson(chunk1.toJson())).isEqualTo(chunk1);

        RunReport report = RunReport.of("run-1", List.of(chunk2, unreachable, parent, chunk1));
        assertThat(report.accounts()).extracting(RunReport.AccountTotal::accountId).containsExactly("111111111111", "222222222222");
        RunReport.AccountTotal large = report.accounts().getFirst();
        assertThat(large.repositories()).isEqualTo(7);
        assertThat(large.chunks()).isEqualTo(2);
        assertThat(large.regions()).containsExactly("eu-west-1", "us-east-1");
        assertThat(large.opened()).isEqualTo(1);
        assertThat(large.resolved()).isEqualTo(1);
        assertThat(report.accounts().get(1).notEvaluated()).isEqualTo("AccessDenied");
        assertThat(report.notification().message()).contains("- 111111111111 us-east-1 a-0: TRUST_SUB_WILDCARD (HIGH)");
    }

    @Test
    void aRunLargerThanOnePublishIsCutToFitAndSaysWhatIsLeftOut() throws Exception {
        List<UnitResult> units = new ArrayList<>();
        for (int a = 0; a < 40; a++) {
            String account = String.format("%012d", a);
            units.add(new UnitResult(account, account, null, List.of(region("us-east-1", "", 500, listed("svc", UnitResult.LINES_KEPT), NONE)),
                    Map.of(), 0, 10));
        }
        Notification n = RunReport.of("run-big", units).notification();
        int size = n.message().getBytes(StandardCharsets.UTF_8).length
                + n.attributes().entrySet().stream().mapToInt(e -> (e.getKey() + "String" + e.getValue()).length()).sum();
        assertThat(size).isLessThanOrEqualTo(NotificationBuilder.SNS_MAX_BYTES);
        JsonNode message = MAPPER.readTree(n.message());
        JsonNode json = MAPPER.readTree(message.get("sqs").asText());
        int listed = json.get("listed").get("newFindings").asInt();
        assertThat(listed).isPositive().isLessThan(4_000).isEqualTo(json.get("newFindings").size());
        assertThat(json.get("summary").get("newFindings").asInt()).as("the count is exact").isEqualTo(4_000);
        assertThat(message.get("default").asText()).contains("(" + (4_000 - listed) + " more not listed here");
        assertThat(n.attributes()).containsEntry("newCount", "4000").containsEntry("accountCount", "40").containsEntry("part", "1");
    }

    @Test
    void notifyOnDecidesForTheWholeRun() {
        UnitResult quiet = new UnitResult("111111111111", "111111111111", null, List.of(region("us-east-1", "", 3, NONE, NONE)), Map.of(), 0, 1);
        RunReport nothing = RunReport.of("r", List.of(quiet));
        assertThat(nothing.worthPublishing(NotifyOn.CHANGES)).isFalse();
        assertThat(nothing.worthPublishing(NotifyOn.FINDINGS)).isFalse();
        assertThat(nothing.worthPublishing(NotifyOn.ALWAYS)).isTrue();
        UnitResult resolvedOnly = new UnitResult("222222222222", "222222222222", null, List.of(region("us-east-1", "", 3, NONE, listed("x", 1))),
                Map.of(), 0, 1);
        assertThat(RunReport.of("r", List.of(quiet, resolvedOnly)).worthPublishing(NotifyOn.CHANGES)).isTrue();
        UnitResult regionDown = new UnitResult("333333333333", "333333333333", null, List.of(), Map.of("eu-west-1", "ECR not enabled"), 0, 1);
        RunReport down = RunReport.of("r", List.of(quiet, regionDown));
        assertThat(down.worthPublishing(NotifyOn.CHANGES)).isTrue();
        assertThat(down.worthPublishing(NotifyOn.NEVER)).isFalse();
        assertThat(down.notification().message()).contains("region eu-west-1 not evaluated: ECR not enabled");
    }

    /**
     * The guard's own member role wider than member-role.yaml is an account finding, the same in every region of the
     * account: listed once for the account, and said every run while it lasts (NOTIFY_ON=changes publishes it though
     * nothing is new), as the account's own report does.
     */
    @Test
    void anAccountFindingIsListedOncePerAccountAndPublishedEveryRunWhileItLasts() throws Exception {
        String line = "- arn:aws:iam::222222222222:role/ecr-oidc-guard-member: MEMBER_ROLE_TRUST_WIDER (HIGH) arn:aws:iam::123412341234:root may sts:AssumeRole";
        UnitResult.Listed wider = new UnitResult.Listed(1, List.of(line));
        List<UnitResult.RegionResult> regions = new ArrayList<>();
        for (String region : List.of("us-east-1", "eu-west-1")) {
            regions.add(new UnitResult.RegionResult(region, "", 1, 0, Map.of(), 0, 0, true, NONE, NONE, NONE, NONE, wider, NONE));
        }
        RunReport quiet = RunReport.of("run-1", List.of(new UnitResult("222222222222", "222222222222", null, regions, Map.of(), 0, 10)));

        assertThat(quiet.accountFindings()).singleElement().satisfies(l -> assertThat(l.text()).isEqualTo(line));
        assertThat(quiet.accounts()).singleElement().satisfies(a -> assertThat(a.accountFindings()).isEqualTo(1));
        assertThat(quiet.worthPublishing(NotifyOn.CHANGES)).as("nothing new, but the guard's own access is wider").isTrue();
        Notification n = quiet.notification();
        assertThat(n.message()).contains("MEMBER_ROLE_TRUST_WIDER").contains("123412341234");
        JsonNode json = MAPPER.readTree(MAPPER.readTree(n.message()).get("sqs").asText());
        assertThat(json.get("accountFindings")).singleElement().satisfies(f -> assertThat(f.get("accountId").asText()).isEqualTo("222222222222"));
    }

    /**
     * A region evaluated while Security Hub refused its findings: listed under the roll-up's warnings with the account
     * and region, said every run while it lasts; a unit result recorded before warnings existed reads as none.
     */
    @Test
    void aSecurityHubWarningIsListedWithItsAccountAndRegionAndPublishedEveryRunWhileItLasts() throws Exception {
        String warning = "Security Hub did not take this scan's 2 finding(s) (securityhub:BatchImportFindings refused: AccessDeniedException (...)); "
                + "they are filed again on the next scan.";
        UnitResult.RegionResult refused = new UnitResult.RegionResult("us-east-1", "", 2, 0, Map.of(), 0, 0, true, NONE, NONE, NONE, NONE, NONE,
                new UnitResult.Listed(1, List.of(warning)));
        UnitResult unit = new UnitResult("333333333333", "333333333333", null, List.of(refused), Map.of(), 0, 10);
        assertThat(UnitResult.fromJson(unit.toJson())).isEqualTo(unit);

        RunReport quiet = RunReport.of("run-1", List.of(unit));

        assertThat(quiet.warnings()).singleElement().isEqualTo(new RunReport.Line("333333333333", "us-east-1", warning));
        assertThat(quiet.worthPublishing(NotifyOn.CHANGES)).as("nothing new, but Security Hub did not take the findings").isTrue();
        Notification n = quiet.notification();
        assertThat(MAPPER.readTree(n.message()).get("default").asText())
                .contains("Warnings (evaluated, but Security Hub did not take everything):\n").contains(warning);
        JsonNode json = MAPPER.readTree(MAPPER.readTree(n.message()).get("sqs").asText());
        assertThat(json.get("warnings")).singleElement().satisfies(w -> {
            assertThat(w.get("accountId").asText()).isEqualTo("333333333333");
            assertThat(w.get("line").asText()).isEqualTo(warning);
        });
        assertThat(json.get("listed").get("warnings").asInt()).isEqualTo(1);

        String recordedBefore = unit.toJson().replaceAll(",\"warnings\":\\{[^}]*\\}", "");
        assertThat(recordedBefore).doesNotContain("warnings");
        assertThat(UnitResult.fromJson(recordedBefore).regions()).singleElement()
                .satisfies(r -> assertThat(r.warnings()).isEqualTo(NONE));
        assertThat(RunReport.of("run-2", List.of(UnitResult.fromJson(recordedBefore))).worthPublishing(NotifyOn.CHANGES)).isFalse();
    }
}
