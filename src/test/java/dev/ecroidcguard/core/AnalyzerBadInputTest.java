package dev.ecroidcguard.core;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ecroidcguard.core.finding.Finding;
import dev.ecroidcguard.core.finding.FindingCode;
import dev.ecroidcguard.core.inventory.AccountSnapshot;
import dev.ecroidcguard.core.inventory.SnapshotParser;
import dev.ecroidcguard.core.report.AccountReport;
import dev.ecroidcguard.core.report.ReportJson;
import dev.ecroidcguard.core.report.RepositoryReport;
import dev.ecroidcguard.testing.Snapshots;
import dev.ecroidcguard.testing.Snapshots.Doc;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;

import static dev.ecroidcguard.testing.Snapshots.canonicalPermissions;
import static dev.ecroidcguard.testing.Snapshots.canonicalTrust;
import static dev.ecroidcguard.testing.Snapshots.repositoryArn;
import static dev.ecroidcguard.testing.Snapshots.roleArn;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 2: "malformed JSON, unknown operators, a 10 MB document, deeply nested junk — each becomes a finding or
 * a clear error for that repository and never aborts the others". One repository (web-api) of an account gets a
 * bad trust policy, inline policy, attached managed policy or repository policy; it must be reported as
 * POLICY_MALFORMED with a message that says what is wrong, and every other repository's report (and the orphan
 * list) must be exactly what it is when web-api is fine.
 */
class AnalyzerBadInputTest {

    private static final String BAD = "web-api";
    private static final String EXTRA_POLICY_ARN = "arn:aws:iam::" + Snapshots.ACCOUNT + ":policy/web-api-extra";
    private static final int TEN_MB = 10 * 1024 * 1024;

    /** What goes wrong with the document, and what the message must say. */
    enum BadDocument {
        NOT_JSON("this is { not JSON", "not valid JSON"),
        JSON_ARRAY("[{\"Effect\":\"Allow\",\"Action\":\"*\",\"Resource\":\"*\"}]", "must be a JSON object"),
        UNKNOWN_OPERATOR(withCondition("{\"StringSortOf\":{\"aws:SourceIp\":\"x\"}}"), "unknown condition operator 'StringSortOf'"),
        UNKNOWN_SET_QUALIFIER(withCondition("{\"ForSomeValues:StringLike\":{\"aws:TagKeys\":\"x\"}}"),
                "unknown condition operator 'ForSomeValues:StringLike'"),
        DUPLICATE_KEYS("{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Deny\",\"Action\":\"*\",\"Resource\":\"*\"}],"
                + "\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"*\",\"Resource\":\"*\"}]}", "Statement"),
        TEN_MEGABYTES("{\"Version\":\"2012-10-17\",\"Statement\":[],\"Sid\":\"" + "A".repeat(TEN_MB) + "\"}",
                "IAM and ECR policies are at most"),
        DEEPLY_NESTED("{\"Version\":\"2012-10-17\",\"Statement\":" + "[".repeat(10_000) + "]".repeat(10_000) + "}", "nesting depth"),
        STATEMENT_NUMBER("{\"Version\":\"2012-10-17\",\"Statement\":42}", "Statement must be an object or an array"),
        EMPTY("", "policy document is empty");

        final String text;
        final String messageContains;

        BadDocument(String text, String messageContains) {
            this.text = text;
            this.messageContains = messageContains;
        }

        private static String withCondition(String condition) {
            return "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"ecr:PutImage\",\"Resource\":\"*\","
                    + "\"Condition\":" + condition + "}]}";
        }

        /** JSON text that could be written into the snapshot as an object (the forms some tools and emulators return). */
        boolean isJsonObjectText() {
            return this == UNKNOWN_OPERATOR || this == UNKNOWN_SET_QUALIFIER || this == DUPLICATE_KEYS || this == STATEMENT_NUMBER
                    || this == TEN_MEGABYTES || this == DEEPLY_NESTED;
        }
    }

    /** Which of web-api's documents is bad, and the resource its finding is about. */
    enum Slot {
        TRUST_POLICY(roleArn("github-actions-" + BAD)),
        INLINE_POLICY(roleArn("github-actions-" + BAD) + "#extra"),
        MANAGED_POLICY(EXTRA_POLICY_ARN),
        REPOSITORY_POLICY(repositoryArn(BAD));

        final String resource;

        Slot(String resource) {
            this.resource = resource;
        }
    }

    private static AccountReport fine;

    @BeforeAll
    static void analyzeTheAccountWithNothingBad() throws Exception {
        fine = analyze(account(null, null, Map.of()));
        assertThat(fine.repository(BAD).orElseThrow().compliant()).isTrue();
        assertThat(fine.codes("payments")).isEmpty();
        assertThat(fine.codes("legacy")).contains(FindingCode.TRUST_SUB_ORG_WIDE);
        assertThat(fine.codes("worker")).containsExactly(FindingCode.ROLE_MISSING);
        assertThat(fine.orphanRoles()).extracting(o -> o.roleName()).containsExactly("github-actions-retired");
    }

    static Stream<Arguments> badDocuments() {
        List<Arguments> cases = new ArrayList<>();
        for (Slot slot : Slot.values()) {
            for (BadDocument bad : BadDocument.values()) {
                // IAM returns role documents URL-encoded; repository policies are plain JSON strings.
                Function<String, Doc> asIamReturnsIt = slot == Slot.REPOSITORY_POLICY || slot == Slot.MANAGED_POLICY
                        ? Doc::string : Doc::encoded;
                cases.add(Arguments.of(slot, bad, asIamReturnsIt.apply(bad.text)));
                if (bad.isJsonObjectText() && slot != Slot.REPOSITORY_POLICY) {
                    cases.add(Arguments.of(slot, bad, Doc.object(bad.text)));
                }
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0} {1} as {2}")
    @MethodSource("badDocuments")
    void a_bad_document_is_a_finding_for_its_repository_only(Slot slot, BadDocument bad, Doc doc) throws Exception {
        AccountReport report = analyze(account(slot, doc, Map.of()));

        RepositoryReport webApi = report.repository(BAD).orElseThrow();
        assertThat(webApi.compliant()).isFalse();
        List<Finding> malformed = webApi.findings().stream().filter(f -> f.code() == FindingCode.POLICY_MALFORMED).toList();
        assertThat(malformed).as("POLICY_MALFORMED findings of %s", BAD).hasSize(1);
        Finding finding = malformed.get(0);
        assertThat(finding.resource()).isEqualTo(slot.resource);
        assertThat(finding.message()).contains(bad.messageContains).doesNotContain("\n").hasSizeLessThan(400);
        assertThat(finding.witness()).as("a malformed document is something present, so it has a witness").isNotNull();
        assertThat(webApi.fix().needsHuman()).as("a document that cannot be read is never rewritten automatically").isTrue();

        assertOthersUnaffected(report);
    }

    /** Bad github:* tags make the repository INPUT_INVALID (naming the tag); the others are untouched. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("badTags")
    void a_bad_github_tag_is_input_invalid_for_its_repository_only(Map<String, String> tags, String messageContains) throws Exception {
        AccountReport report = analyze(account(null, null, tags));

        RepositoryReport webApi = report.repository(BAD).orElseThrow();
        assertThat(webApi.findings()).extracting(Finding::code).containsExactly(FindingCode.INPUT_INVALID);
        assertThat(webApi.findings().get(0).message()).contains(messageContains);
        assertThat(webApi.findings().get(0).resource()).isEqualTo(repositoryArn(BAD));
        assertOthersUnaffected(report);
    }

    static Stream<Arguments> badTags() {
        return Stream.of(
                Arguments.of(Map.of("github:repository", "acme/web/api"), "github:repository='acme/web/api' must be Owner/Name"),
                Arguments.of(Map.of("github:repository", "ac:me/web-api"), "not a valid owner name"),
                Arguments.of(Map.of("github:repository", "acme/web api"), "is not valid"),
                Arguments.of(Map.of("github:owner-id", "12ab"), "github:owner-id='12ab' must be a numeric GitHub ID"),
                Arguments.of(Map.of("github:repository-id", "-1"), "github:repository-id='-1' must be a numeric GitHub ID"),
                Arguments.of(Map.of("github:subject-format", "uuid"), "github:subject-format='uuid' must be 'name' or 'immutable'"),
                Arguments.of(Map.of("github:subject-format", "immutable"), "needs github:owner-id and github:repository-id"),
                Arguments.of(Map.of("github:sub-claims", "repo,favourite_colour"), "unknown claim 'favourite_colour'"),
                Arguments.of(Map.of("github:sub-claims", " , "), "github:sub-claims is empty"));
    }

    /** All four of web-api's documents bad at once: four findings, one per document, and still nothing leaks. */
    @ParameterizedTest
    @EnumSource(value = BadDocument.class, names = {"DEEPLY_NESTED", "TEN_MEGABYTES"})
    void every_bad_document_at_once_still_leaves_the_others_intact(BadDocument bad) throws Exception {
        Snapshots account = Snapshots.account()
                .role("github-actions-" + BAD, Doc.encoded(bad.text), Map.of("extra", Doc.encoded(bad.text)), List.of(EXTRA_POLICY_ARN))
                .managedPolicy(EXTRA_POLICY_ARN, Doc.string(bad.text))
                .repository(BAD, Doc.string(bad.text), Map.of());
        others(account);
        AccountReport report = analyze(account.json());

        assertThat(report.repository(BAD).orElseThrow().findings())
                .filteredOn(f -> f.code() == FindingCode.POLICY_MALFORMED)
                .extracting(Finding::resource)
                .containsExactlyInAnyOrder(Slot.TRUST_POLICY.resource, Slot.INLINE_POLICY.resource, Slot.MANAGED_POLICY.resource,
                        Slot.REPOSITORY_POLICY.resource);
        assertOthersUnaffected(report);
    }

    // ---- the account ----------------------------------------------------------------------------------------

    /**
     * web-api (canonical unless {@code slot} makes one of its documents {@code doc}), payments (canonical),
     * legacy (org-wide trust), worker (no role) and an orphan role.
     */
    private static String account(Slot slot, Doc doc, Map<String, String> webApiTags) {
        Doc trust = slot == Slot.TRUST_POLICY ? doc : Doc.encoded(canonicalTrust(BAD));
        Map<String, Doc> inline = new LinkedHashMap<>();
        inline.put("ecr-push-pull", Doc.encoded(canonicalPermissions(BAD)));
        if (slot == Slot.INLINE_POLICY) {
            inline.put("extra", doc);
        }
        Snapshots account = Snapshots.account()
                .role("github-actions-" + BAD, trust, inline, slot == Slot.MANAGED_POLICY ? List.of(EXTRA_POLICY_ARN) : List.of());
        if (slot == Slot.MANAGED_POLICY) {
            account.managedPolicy(EXTRA_POLICY_ARN, doc);
        }
        account.repository(BAD, slot == Slot.REPOSITORY_POLICY ? doc : null, webApiTags);
        others(account);
        return account.json();
    }

    private static void others(Snapshots account) {
        account.canonicalRole("payments")
                .repository("payments", Doc.string(("{'Version':'2012-10-17','Statement':[{'Sid':'CiPushPull','Effect':'Allow',"
                        + "'Principal':{'AWS':'" + roleArn("github-actions-payments") + "'},'Action':['ecr:BatchGetImage',"
                        + "'ecr:PutImage']}]}").replace('\'', '"')), Map.of())
                .role("github-actions-legacy", Doc.object(Snapshots.trust("repo:acme/*")),
                        Map.of("ecr-push-pull", Doc.object(canonicalPermissions("legacy"))), List.of())
                .repository("legacy")
                .repository("worker")
                .role("github-actions-retired", Doc.encoded(canonicalTrust("retired")),
                        Map.of("ecr-push-pull", Doc.encoded(canonicalPermissions("retired"))), List.of());
    }

    private static void assertOthersUnaffected(AccountReport report) {
        assertThat(report.repositories()).extracting(RepositoryReport::repository)
                .containsExactly("legacy", "payments", BAD, "worker");
        for (String name : List.of("payments", "legacy", "worker")) {
            JsonNode expected = ReportJson.repository(fine.repository(name).orElseThrow());
            JsonNode actual = ReportJson.repository(report.repository(name).orElseThrow());
            assertThat(actual).as("report of %s", name).isEqualTo(expected);
        }
        assertThat(report.orphanRoles()).isEqualTo(fine.orphanRoles());
    }

    private static AccountReport analyze(String snapshotJson) throws Exception {
        AccountSnapshot snapshot = SnapshotParser.parse(snapshotJson);
        return new Analyzer(GuardConfig.fromEnvironment(Map.of("GITHUB_ORG", "acme"))).analyze(snapshot);
    }
}
