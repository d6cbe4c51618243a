package dev.ecroidcguard.application;


import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ecroidcguard.core.Analyzer;
import dev.ecroidcguard.core.GuardConfig;
import dev.ecroidcguard.core.analysis.Baseline;
import dev.ecroidcguard.core.inventory.AccountSnapshot;
import dev.ecroidcguard.core.inventory.EcrRepository;
import dev.ecroidcguard.core.inventory.IamRole;
import dev.ecroidcguard.core.inventory.OidcProvider;
import dev.ecroidcguard.core.report.AccountReport;
import dev.ecroidcguard.core.report.RepositoryReport;
import dev.ecroidcguard.core.report.Suppressed;
import dev.ecroidcguard.ports.Notification;
import dev.ecroidcguard.remediation.Change;
import dev.ecroidcguard.remediation.Documents;
import dev.ecroidcguard.remediation.Operation;
import dev.ecroidcguard.core.finding.RemediationClass;
import dev.ecroidcguard.testing.Fakes;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

class NotificationBuilderTest {

    static final ObjectMapper MAPPER = new ObjectMapper();
    static final InvocationMetadata INVOCATION = new InvocationMetadata(new Trigger("schedule", "Scheduled Event", "e-1"),
            Fakes.ACCOUNT, "us-east-1", "report", Map.of("iam:GetAccountAuthorizationDetails", 3), 2, 1234, List.of(), List.of());

    /** {@code repositories} repositories without roles (ROLE_MISSING, each with a role-creation fix plan) and as many orphan roles. */
    static AccountReport report(int repositories) throws Exception {
        List<EcrRepository> repos = IntStream.range(0, repositories).mapToObj(i -> Fakes.repository("service-" + i)).toList();
        List<IamRole> orphans = IntStream.range(0, repositories).mapToObj(i -> Fakes.role("retired-" + i)).toList();
        AccountSnapshot snapshot = new AccountSnapshot(Fakes.ACCOUNT, "us-east-1", "aws", orphans, Map.of(),
                List.of(new OidcProvider(Fakes.PROVIDER, "token.actions.githubusercontent.com", List.of("sts.amazonaws.com"))), repos);
        GuardConfig config = GuardConfig.fromEnvironment(Map.of("GITHUB_ORG", "AcmeCorp"));
        return new Analyzer(config).analyze(snapshot).withNotEvaluated(
                IntStream.range(0, 50).mapToObj(i -> new AccountReport.NotEvaluated("locked-" + i, "AccessDeniedException")).toList());
    }

    @Test
    void smallReportIsOnePublishWithTextAndJson() throws Exception {
        AccountReport report = report(2);

        List<Notification> parts = new NotificationBuilder().build(report, INVOCATION);

        assertThat(parts).hasSize(1);
        Notification n = parts.get(0);
        assertThat(n.subject()).isEqualTo("ecr-oidc-guard 123456789012 us-east-1: 2 findings (BROKEN)");
        assertThat(n.attributes()).containsAllEntriesOf(
                Map.of("severity", "BROKEN", "findingCount", "2", "account", "123456789012", "region", "us-east-1", "part", "1"))
                .containsOnlyKeys("severity", "findingCount", "account", "region", "part", "reportId");
        // Subscribers dedupe on reportId: a publish whose answer was lost may be delivered twice by a standard topic.
        assertThat(n.attributes().get("reportId")).matches("[0-9a-f-]{36}#1/1");
        JsonNode message = MAPPER.readTree(n.message());
        assertThat(message.properties()).extracting(Map.Entry::getKey).containsExactly("default", "sqs", "lambda", "https");
        assertThat(message.get("default").asText()).startsWith("""
                ecr-oidc-guard report for account 123456789012 (us-east-1), GitHub owner AcmeCorp
                Trigger: schedule, mode report, 3 API calls, 1234 ms
                Repositories: 2 audited, 0 compliant, 2 non-compliant (compliant ones are counted, not listed)
                Findings: 2 (CRITICAL 0, HIGH 0, MEDIUM 0, LOW 0, BROKEN 2)
                Orphan roles: 2; not evaluated: 50

                Findings:
                - service-0: ROLE_MISSING (BROKEN) no role github-actions-service-0 for repository service-0 (GitHub AcmeCorp/service-0)
                """).contains("- github-actions-retired-1: repository retired-1 does not exist", "- locked-49: AccessDeniedException")
                .doesNotContain("Part ", "Not listed in this message");
        JsonNode json = MAPPER.readTree(message.get("sqs").asText());
        assertThat(json.get("repositories")).hasSize(2);
        JsonNode firstRepository = json.get("repositories").get(0);
        assertThat(firstRepository.get("repository").asText()).isEqualTo("service-0");
        JsonNode createRole = firstRepository.get("fix").get("createRole");
        assertThat(createRole.get("roleName").asText()).isEqualTo("github-actions-service-0");
        assertThat(createRole.get("inlinePolicyName").asText()).isEqualTo(Baseline.INLINE_POLICY_NAME);
        assertThat(createRole.get("inlinePolicy")).isEqualTo(MAPPER.readTree(Baseline.pushPullPolicy(Fakes.repository("service-0").arn())));
        assertThat(createRole.get("trustPolicy").toString()).contains(Fakes.PROVIDER, "repo:AcmeCorp/service-0:", "sts.amazonaws.com");
        assertThat(MAPPER.convertValue(createRole.get("tags"), Map.class))
                .isEqualTo(Map.of(Baseline.OWNER_TAG_KEY, Baseline.OWNER_TAG_VALUE, "repository", "service-0"));
        assertThat(json.get("invocation").get("apiCalls").get("byOperation").get("iam:GetAccountAuthorizationDetails").asInt()).isEqualTo(3);
        assertThat(json.get("invocation").get("apiCalls").get("perRepository").asDouble()).isEqualTo(1.5);
        assertThat(json.get("part").get("of").asInt()).isEqualTo(1);
    }

    @Test
    void largeReportIsSplitIntoNumberedPartsThatTogetherCarryEverything() throws Exception {
        AccountReport report = report(600);

        List<Notification> parts = new NotificationBuilder().build(report, INVOCATION);

        assertThat(parts.size()).isGreaterThan(2);
        // One report id for all parts, each part numbered.
        assertThat(parts).extracting(p -> p.attributes().get("reportId").replaceAll("#.*", "")).containsOnly(
                parts.get(0).attributes().get("reportId").replaceAll("#.*", ""));
        assertThat(parts.get(1).attributes().get("reportId")).endsWith("#2/" + parts.size());
        Set<String> repositories = new HashSet<>();
        Set<String> orphans = new HashSet<>();
        Set<String> notEvaluated = new HashSet<>();
        List<String> findingLines = new ArrayList<>();
        for (int i = 0; i < parts.size(); i++) {
            Notification n = parts.get(i);
            assertThat(NotificationBuilder.size(n)).isLessThanOrEqualTo(NotificationBuilder.SNS_MAX_BYTES);
            String label = "part " + (i + 1) + " of " + parts.size();
            assertThat(n.subject()).endsWith("[" + label + "]").hasSizeLessThanOrEqualTo(100);
            assertThat(n.attributes()).containsEntry("findingCount", "600").containsEntry("severity", "BROKEN")
                    .containsEntry("part", Integer.toString(i + 1));
            JsonNode message = MAPPER.readTree(n.message());
            String text = message.get("default").asText();
            assertThat(text).contains("P" + label.substring(1) + ": the parts together list every finding.", "Findings: 600 (");
            text.lines().filter(l -> l.contains("ROLE_MISSING")).forEach(findingLines::add);
            JsonNode json = MAPPER.readTree(message.get("https").asText());
            assertThat(json.get("part").get("number").asInt()).isEqualTo(i + 1);
            assertThat(json.get("part").get("of").asInt()).isEqualTo(parts.size());
            assertThat(json.get("summary").get("findings").asInt()).isEqualTo(600);
            json.get("repositories").forEach(r -> repositories.add(r.get("repository").asText()));
            json.get("orphanRoles").forEach(o -> orphans.add(o.get("roleName").asText()));
            json.get("notEvaluated").forEach(o -> notEvaluated.add(o.get("repository").asText()));
        }
        assertThat(repositories).hasSize(600);
        assertThat(findingLines).hasSize(600).doesNotHaveDuplicates();
        // The email subscription gets part 1 only: it counts what the other parts list.
        String first = MAPPER.readTree(parts.getFirst().message()).get("default").asText();
        long listedInFirst = first.lines().filter(l -> l.contains("ROLE_MISSING")).count();
        long orphansInFirst = first.lines().filter(l -> l.startsWith("- github-actions-retired-")).count();
        long notEvaluatedInFirst = first.lines().filter(l -> l.startsWith("- locked-")).count();
        assertThat(first).contains("Not listed in this message: " + (600 - listedInFirst) + " more findings in " + (600 - listedInFirst)
                + " repositories, " + (600 - orphansInFirst) + " orphan roles, " + (50 - notEvaluatedInFirst) + " not evaluated, 0 changes, "
                + "0 suppressed; parts 2-" + parts.size() + " carry them");
        assertThat(orphans).hasSize(600);
        assertThat(notEvaluated).hasSize(50);
    }

    @Test
    void compliantRepositoriesAreCountedNotListedSoTheMessageGrowsWithTheFindings() throws Exception {
        List<EcrRepository> repositories = new ArrayList<>();
        List<IamRole> roles = new ArrayList<>();
        for (int i = 0; i < 3000; i++) {
            repositories.add(Fakes.repository("service-" + i));
            roles.add(Fakes.role("service-" + i));
        }
        repositories.add(Fakes.repository("no-role"));
        AccountSnapshot snapshot = new AccountSnapshot(Fakes.ACCOUNT, "us-east-1", "aws", roles, Map.of(),
                List.of(new OidcProvider(Fakes.PROVIDER, "token.actions.githubusercontent.com", List.of("sts.amazonaws.com"))), repositories);
        AccountReport report = new Analyzer(GuardConfig.fromEnvironment(Map.of("GITHUB_ORG", "AcmeCorp"))).analyze(snapshot);
        assertThat(report.summary().compliant()).isEqualTo(3000);

        List<Notification> parts = new NotificationBuilder().build(report, INVOCATION);

        assertThat(parts).hasSize(1);
        JsonNode message = MAPPER.readTree(parts.getFirst().message());
        JsonNode json = MAPPER.readTree(message.get("lambda").asText());
        assertThat(json.get("repositories")).singleElement().satisfies(r -> assertThat(r.get("repository").asText()).isEqualTo("no-role"));
        assertThat(json.get("summary").get("compliant").asInt()).isEqualTo(3000);
        assertThat(json.get("compliantRepositoriesListed").asBoolean()).isFalse();
        assertThat(message.get("default").asText()).contains("Repositories: 3001 audited, 3000 compliant, 1 non-compliant")
                .doesNotContain("service-17");
        assertThat(NotificationBuilder.size(parts.getFirst())).isLessThan(16 * 1024);
    }

    @Test
    void splitsByTheGivenLimitAndStaysUnderIt() throws Exception {
        AccountReport report = report(20);
        int limit = 40_000;

        List<Notification> parts = new NotificationBuilder(limit).build(report, INVOCATION);

        assertThat(parts).hasSizeGreaterThan(1).allSatisfy(n -> assertThat(NotificationBuilder.size(n)).isLessThanOrEqualTo(limit));
        // Greedy packing: no two neighbouring parts could have been one.
        for (int i = 0; i + 1 < parts.size(); i++) {
            assertThat(NotificationBuilder.size(parts.get(i)) + NotificationBuilder.size(parts.get(i + 1))).isGreaterThan(limit / 2);
        }
    }

    /** With a stored full report, every part links it; the full report lists what the parts leave out, uncut. */
    @Test
    void everyPartLinksTheFullReportWhichListsEverythingUncut() throws Exception {
        AccountReport report = report(20);
        int limit = 40_000;
        String location = "s3://guard-full-reports/reports/" + Fakes.ACCOUNT + "/us-east-1/2026-11-30/x.json";

        List<Notification> parts = new NotificationBuilder(limit).build(report, INVOCATION, changes(report), List.of(), Optional.empty(),
                Optional.of(location));

        assertThat(parts).hasSizeGreaterThan(1).allSatisfy(n -> {
            assertThat(NotificationBuilder.size(n)).isLessThanOrEqualTo(limit);
            JsonNode message = MAPPER.readTree(n.message());
            assertThat(message.get("default").asText()).contains("Full report (every repository, compliant ones too): " + location);
            assertThat(MAPPER.readTree(message.get("sqs").asText()).get("fullReport").asText()).isEqualTo(location);
        });
        JsonNode full = MAPPER.readTree(new NotificationBuilder(limit).fullReport(report, INVOCATION, changes(report), List.of()));
        assertThat(full.get("repositories")).hasSize(20);
        assertThat(full.get("orphanRoles")).hasSize(20);
        assertThat(full.get("notEvaluated")).hasSize(50);
        assertThat(full.get("changes")).hasSize(20).allSatisfy(c -> assertThat(c.get("before").toString()).contains("x".repeat(2_000)));
        assertThat(full.get("compliantRepositoriesListed").asBoolean()).isTrue();
        assertThat(full.get("invocation").get("trigger").get("eventId").asText()).isEqualTo("e-1");
    }

    /** One applied trust change per repository of {@code report}, with large before/after documents. */
    static List<Change> changes(AccountReport report) {
        String big = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":\"" + "x".repeat(2_000) + "\",\"Effect\":\"Allow\"}]}";
        return report.repositories().stream().map(r -> new Change(r.repository(), RemediationClass.TRUST, r.repositoryArn(), Change.Status.APPLIED,
                "replaced the trust policy", r.findings(), Documents.trust(big), Documents.trust(big.replace("Allow", "Deny")),
                List.of(new Operation.UpdateAssumeRolePolicy(r.role(), big)))).toList();
    }

    @Test
    void changesAndSuppressedRepositoriesAreInTheTextAndTheJson() throws Exception {
        AccountReport report = report(2);
        List<Change> changes = changes(report);
        Suppressed suppressed = new Suppressed("legacy", "arn:aws:ecr:us-east-1:123456789012:repository/legacy", "tagged", "whoever may untag");

        List<Notification> parts = new NotificationBuilder().build(report, INVOCATION, changes, List.of(suppressed));

        assertThat(parts).hasSize(1);
        JsonNode message = MAPPER.readTree(parts.get(0).message());
        String text = message.get("default").asText();
        assertThat(text).contains("Changes: 2 applied, 0 already done, 0 restored after a failed verification, 0 failed, 0 skipped; suppressed: 1",
                "Changes (remediation):\n- service-0: trust applied — replaced the trust policy (fixes ROLE_MISSING)\n    service-0: ROLE_MISSING (BROKEN)",
                "Suppressed (tagged ecr-oidc-guard:ignore=true; not remediated, only exposure is reported):\n- legacy: tagged; lift: whoever may untag");
        JsonNode json = MAPPER.readTree(message.get("sqs").asText());
        assertThat(json.get("changes")).hasSize(2);
        JsonNode change = json.get("changes").get(0);
        assertThat(change.get("class").asText()).isEqualTo("trust");
        assertThat(change.get("status").asText()).isEqualTo("applied");
        assertThat(change.get("why").get(0).get("code").asText()).isEqualTo("ROLE_MISSING");
        assertThat(change.get("before").get("trustPolicy").get("Statement").get(0).get("Effect").asText()).isEqualTo("Allow");
        assertThat(change.get("after").get("trustPolicy").get("Statement").get(0).get("Effect").asText()).isEqualTo("Deny");
        assertThat(json.get("suppressed").get(0).get("whoCanLift").asText()).isEqualTo("whoever may untag");
        assertThat(parts.get(0).attributes()).containsEntry("changeCount", "2");
        assertThat(parts.get(0).subject()).isEqualTo("ecr-oidc-guard 123456789012 us-east-1: 2 findings (BROKEN), 2 changes");
        // The report's existing fields are all still there.
        assertThat(json.properties()).extracting(Map.Entry::getKey)
                .contains("accountId", "region", "githubOrg", "repositories", "orphanRoles", "notEvaluated", "summary", "invocation", "part");
    }

    @Test
    void changesAreSplitLikeFindingsAndNoneIsLost() throws Exception {
        AccountReport report = report(20);
        int limit = 40_000;

        List<Notification> parts = new NotificationBuilder(limit).build(report, INVOCATION, changes(report), List.of());

        assertThat(parts).hasSizeGreaterThan(1).allSatisfy(n -> assertThat(NotificationBuilder.size(n)).isLessThanOrEqualTo(limit));
        Set<String> carried = new HashSet<>();
        for (Notification n : parts) {
            JsonNode json = MAPPER.readTree(MAPPER.readTree(n.message()).get("sqs").asText());
            json.get("changes").forEach(c -> assertThat(carried.add(c.get("repository").asText())).isTrue());
        }
        assertThat(carried).hasSize(20);
        assertThat(report.repositories()).extracting(RepositoryReport::repository).containsExactlyInAnyOrderElementsOf(carried);
    }

    /**
     * Issue 12, problem 3: a repository policy naming 670 accounts (10,163 characters, under ECR's limit) gave one
     * repository 930 KB of notification and the builder threw, so nothing was published. Its findings are now split
     * over parts; each part fits SNS, and together they carry every finding of it, in order.
     */
    @Test
    void oneRepositoryWhoseFindingsExceedOnePublishIsSplitAndNothingIsLost() throws Exception {
        List<String> accounts = IntStream.range(0, 670).mapToObj(i -> Long.toString(100_000_000_000L + i * 7919L)).toList();
        String policy = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":["
                + String.join(",", accounts.stream().map(a -> "\"" + a + "\"").toList()) + "]},\"Action\":[\"ecr:PutImage\"]}]}";
        String snapshot = dev.ecroidcguard.testing.Snapshots.account().canonicalRole("web-api")
                .repository("web-api", dev.ecroidcguard.testing.Snapshots.Doc.string(policy), Map.of())
                .canonicalRole("payments").repository("payments").json();
        AccountReport report = new Analyzer(GuardConfig.fromEnvironment(Map.of("GITHUB_ORG", "acme")))
                .analyze(dev.ecroidcguard.core.inventory.SnapshotParser.parse(snapshot));
        RepositoryReport webApi = report.repository("web-api").orElseThrow();
        assertThat(policy.length()).isBetween(10_000, 10_240);
        assertThat(webApi.findings()).hasSizeGreaterThanOrEqualTo(670);

        List<Notification> parts = new NotificationBuilder().build(report, INVOCATION);

        assertThat(parts).hasSizeGreaterThan(1)
                .allSatisfy(n -> assertThat(NotificationBuilder.size(n)).isLessThanOrEqualTo(NotificationBuilder.SNS_MAX_BYTES));
        List<String> carried = new ArrayList<>();
        List<Integer> shareNumbers = new ArrayList<>();
        Set<Integer> shareCounts = new HashSet<>();
        StringBuilder text = new StringBuilder();
        for (Notification n : parts) {
            JsonNode message = MAPPER.readTree(n.message());
            text.append(message.get("default").asText());
            for (JsonNode repository : MAPPER.readTree(message.get("sqs").asText()).get("repositories")) {
                if (repository.get("repository").asText().equals("web-api")) {
                    repository.get("findings").forEach(f -> carried.add(f.get("code").asText() + " " + f.get("message").asText()));
                    shareNumbers.add(repository.get("findingsPart").get("number").asInt());
                    shareCounts.add(repository.get("findingsPart").get("of").asInt());
                }
            }
        }
        assertThat(carried).containsExactlyElementsOf(webApi.findings().stream().map(f -> f.code() + " " + f.message()).toList());
        assertThat(shareNumbers).hasSizeGreaterThan(1).isEqualTo(IntStream.rangeClosed(1, shareNumbers.size()).boxed().toList());
        assertThat(shareCounts).containsExactly(shareNumbers.size());
        webApi.findings().forEach(f -> assertThat(text.toString()).contains(NotificationBuilder.findingLine("web-api", f)));
    }
}
