package dev.ecroidcguard.core;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ecroidcguard.core.finding.Finding;
import dev.ecroidcguard.core.finding.FindingCode;
import dev.ecroidcguard.core.inventory.SnapshotParser;
import dev.ecroidcguard.core.report.AccountReport;
import dev.ecroidcguard.core.report.ReportJson;
import dev.ecroidcguard.core.report.RepositoryReport;
import dev.ecroidcguard.testing.Snapshots;
import dev.ecroidcguard.testing.Snapshots.Doc;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import static dev.ecroidcguard.testing.Snapshots.canonicalPermissions;
import static dev.ecroidcguard.testing.Snapshots.canonicalTrust;
import static dev.ecroidcguard.testing.Snapshots.repositoryArn;
import static dev.ecroidcguard.testing.Snapshots.roleArn;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 12, problem 2: pathological documents within IAM's and ECR's size limits (found by probing: one of them
 * exhausted the heap, the others took from 54 s to over a minute each). Each must end, within a loose time bound,
 * either evaluated or as ANALYSIS_BUDGET_EXCEEDED naming its document with the fix left to a person; and every
 * other repository of the account must be reported exactly as when the bad one is fine.
 */
class PathologicalDocumentTest {

    private static final String BAD = "web-api";
    /** Loose: the budget ends work far sooner; the machine running the tests may be shared and loaded. */
    private static final long BOUND_MILLIS = 5_000;

    enum Slot { TRUST_POLICY, PERMISSIONS, REPOSITORY_POLICY }

    /** A pathological document, where it goes, and the finding that shows it was evaluated (null: over budget). */
    enum Pathological {
        ARN_LIKE_STAR_A_18_QUESTION_MARKS(Slot.REPOSITORY_POLICY,
                publicPolicy("'ArnLike':{'aws:PrincipalArn':'arn:aws:iam::*a" + "?".repeat(18) + "'}"), null),
        SUB_STAR_A_14_QUESTION_MARKS(Slot.TRUST_POLICY, trust(List.of("repo:acme/*a" + "?".repeat(14))), null),
        SIXTY_SUBS_STAR_C_6_QUESTION_MARKS(Slot.TRUST_POLICY,
                trust(IntStream.range(0, 60).mapToObj(i -> "repo:acme/*" + (char) ('a' + i % 26) + (i / 26) + "??????").toList()), null),
        FOUR_THOUSAND_LITERAL_SUBS(Slot.TRUST_POLICY, trust(IntStream.range(0, 4_000).mapToObj(i -> "repo:acme/r" + i).toList()), null),
        THOUSAND_STARS_RESOURCE(Slot.PERMISSIONS, permissions("'ecr:*'", "'" + "*".repeat(1_000) + "'", ""),
                FindingCode.PERM_ECR_ALL_REPOS_WRITE),
        THOUSAND_STARS_ACTION(Slot.PERMISSIONS, permissions("'" + "*".repeat(1_000) + "'", "'*'", ""), FindingCode.PERM_ADMIN),
        THOUSAND_STARS_ARN_LIKE(Slot.REPOSITORY_POLICY, publicPolicy("'ArnLike':{'aws:PrincipalArn':'" + "*".repeat(1_000) + "'}"),
                FindingCode.ECR_POLICY_PUBLIC_WRITE),
        SIXTEEN_DENY_STATEMENTS(Slot.PERMISSIONS, permissions("'ecr:*'", "'*'", IntStream.range(0, 16)
                .mapToObj(i -> ",{'Effect':'Deny','Action':'ecr:*','Resource':'arn:aws:ecr:*:*:repository/*" + (char) ('a' + i) + "??'}")
                .reduce("", String::concat)), FindingCode.PERM_ECR_EXCESSIVE_ACTIONS);

        final Slot slot;
        final String document;
        final FindingCode evaluatedAs;

        Pathological(Slot slot, String document, FindingCode evaluatedAs) {
            this.slot = slot;
            this.document = document;
            this.evaluatedAs = evaluatedAs;
        }
    }

    private static AccountReport fine;
    private static long worstMillis;
    private static String worst;

    @BeforeAll
    static void analyzeTheAccountWithNothingBad() {
        fine = analyze(account(null, null));
        assertThat(fine.repository(BAD).orElseThrow().compliant()).isTrue();
    }

    @AfterAll
    static void printTheWorstTime() {
        System.out.println("PathologicalDocumentTest: worst analysis time " + worstMillis + " ms (" + worst + "), bound " + BOUND_MILLIS + " ms");
    }

    @ParameterizedTest
    @EnumSource(Pathological.class)
    void a_pathological_document_ends_in_time_as_a_finding_for_its_repository_only(Pathological bad) {
        String snapshot = account(bad.slot, bad.document);
        long start = System.nanoTime();
        AccountReport report = analyze(snapshot);
        long millis = (System.nanoTime() - start) / 1_000_000;
        record(bad + " (" + bad.document.length() + " characters)", millis);
        assertThat(millis).as("analysis time of the account with %s", bad).isLessThan(BOUND_MILLIS);

        RepositoryReport webApi = report.repository(BAD).orElseThrow();
        List<FindingCode> codes = webApi.findings().stream().map(Finding::code).toList();
        assertThat(codes).doesNotContain(FindingCode.ANALYSIS_FAILED);
        if (bad.evaluatedAs == null) {
            Finding overBudget = webApi.findings().stream().filter(f -> f.code() == FindingCode.ANALYSIS_BUDGET_EXCEEDED)
                    .findFirst().orElseThrow(() -> new AssertionError("no ANALYSIS_BUDGET_EXCEEDED in " + codes));
            String document = bad.slot == Slot.REPOSITORY_POLICY ? "repository policy of " + BAD
                    : bad.slot == Slot.TRUST_POLICY ? "trust policy of role github-actions-" + BAD : "permission policies of role github-actions-" + BAD;
            assertThat(overBudget.message()).contains(document).contains("was not evaluated");
            assertThat(overBudget.resource()).isEqualTo(bad.slot == Slot.REPOSITORY_POLICY ? repositoryArn(BAD) : roleArn("github-actions-" + BAD));
            assertThat(webApi.fix().needsHuman()).as("a document that was not evaluated is never rewritten automatically").isTrue();
        } else {
            assertThat(codes).doesNotContain(FindingCode.ANALYSIS_BUDGET_EXCEEDED).contains(bad.evaluatedAs);
        }

        assertOthersUnaffected(report);
    }

    /**
     * Generated at fixed seeds: wildcard patterns mixing {@code *}, runs of {@code ?} and letters (the shapes whose
     * automata blow up), at most 400 characters, in each of the three slots. Each ends in time, evaluated or over
     * budget, never failed, and the other repositories are unaffected.
     */
    @ParameterizedTest(name = "seed {0}")
    @org.junit.jupiter.params.provider.ValueSource(ints = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12})
    void generated_wildcard_patterns_end_in_time(int seed) {
        java.util.Random random = new java.util.Random(seed);
        Slot slot = Slot.values()[seed % Slot.values().length];
        int length = 40 + random.nextInt(360);
        StringBuilder pattern = new StringBuilder();
        while (pattern.length() < length) {
            switch (random.nextInt(4)) {
                case 0 -> pattern.append('*');
                case 1 -> pattern.append("?".repeat(1 + random.nextInt(12)));
                default -> pattern.append((char) ('a' + random.nextInt(3)));
            }
        }
        String document = switch (slot) {
            case TRUST_POLICY -> trust(List.of("repo:acme/" + pattern));
            case PERMISSIONS -> permissions("'ecr:*'", "'arn:aws:ecr:*:*:repository/" + pattern + "'", "");
            case REPOSITORY_POLICY -> publicPolicy("'ArnLike':{'aws:PrincipalArn':'arn:aws:iam::" + pattern + "'}");
        };
        assertEndsInTimeForItsRepositoryOnly("generated seed " + seed + " " + slot, slot, document);
    }

    private static void assertEndsInTimeForItsRepositoryOnly(String what, Slot slot, String document) {
        String snapshot = account(slot, document);
        long start = System.nanoTime();
        AccountReport report = analyze(snapshot);
        long millis = (System.nanoTime() - start) / 1_000_000;
        record(what, millis);
        assertThat(millis).as("analysis time of the account with %s", what).isLessThan(BOUND_MILLIS);
        assertThat(report.repository(BAD).orElseThrow().findings()).extracting(Finding::code).doesNotContain(FindingCode.ANALYSIS_FAILED);
        assertOthersUnaffected(report);
    }

    private static synchronized void record(String what, long millis) {
        System.out.println("PathologicalDocumentTest: " + what + " " + millis + " ms");
        if (millis >= worstMillis) {
            worstMillis = millis;
            worst = what;
        }
    }

    private static void assertOthersUnaffected(AccountReport report) {
        assertThat(report.repositories()).extracting(RepositoryReport::repository).containsExactly("legacy", "payments", BAD, "worker");
        for (String name : List.of("payments", "legacy", "worker")) {
            JsonNode expected = ReportJson.repository(fine.repository(name).orElseThrow());
            assertThat(ReportJson.repository(report.repository(name).orElseThrow())).as("report of %s", name).isEqualTo(expected);
        }
        assertThat(report.orphanRoles()).isEqualTo(fine.orphanRoles());
    }

    // ---- documents ------------------------------------------------------------------------------------------

    private static String trust(List<String> subs) {
        List<String> quoted = new ArrayList<>();
        subs.forEach(s -> quoted.add("\"" + s + "\""));
        return Snapshots.trust("@SUBS@").replace("\"@SUBS@\"", "[" + String.join(",", quoted) + "]");
    }

    private static String permissions(String action, String resource, String moreStatements) {
        return ("{'Version':'2012-10-17','Statement':[{'Sid':'GetAuthorizationToken','Effect':'Allow','Action':'ecr:GetAuthorizationToken',"
                + "'Resource':'*'},{'Effect':'Allow','Action':" + action + ",'Resource':" + resource + "}" + moreStatements + "]}").replace('\'', '"');
    }

    private static String publicPolicy(String condition) {
        return ("{'Version':'2012-10-17','Statement':[{'Effect':'Allow','Principal':'*','Action':'ecr:*','Condition':{" + condition + "}}]}")
                .replace('\'', '"');
    }

    // ---- the account: web-api (canonical unless bad), payments, legacy (org-wide trust), worker (no role), an orphan

    private static String account(Slot slot, String document) {
        Snapshots account = Snapshots.account()
                .role("github-actions-" + BAD, Doc.encoded(slot == Slot.TRUST_POLICY ? document : canonicalTrust(BAD)),
                        Map.of("ecr-push-pull", Doc.encoded(slot == Slot.PERMISSIONS ? document : canonicalPermissions(BAD))), List.of())
                .repository(BAD, slot == Slot.REPOSITORY_POLICY ? Doc.string(document) : null, Map.of())
                .canonicalRole("payments")
                .repository("payments")
                .role("github-actions-legacy", Doc.object(Snapshots.trust("repo:acme/*")),
                        Map.of("ecr-push-pull", Doc.object(canonicalPermissions("legacy"))), List.of())
                .repository("legacy")
                .repository("worker")
                .role("github-actions-retired", Doc.encoded(canonicalTrust("retired")),
                        Map.of("ecr-push-pull", Doc.encoded(canonicalPermissions("retired"))), List.of());
        return account.json();
    }

    private static AccountReport analyze(String snapshotJson) {
        try {
            return new Analyzer(GuardConfig.fromEnvironment(Map.of("GITHUB_ORG", "acme"))).analyze(SnapshotParser.parse(snapshotJson));
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
