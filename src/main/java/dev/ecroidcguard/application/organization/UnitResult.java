package dev.ecroidcguard.application.organization;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ecroidcguard.application.FindingChanges;
import dev.ecroidcguard.application.NotificationBuilder;
import dev.ecroidcguard.application.ScanOutcome;
import dev.ecroidcguard.core.finding.Severity;
import dev.ecroidcguard.core.report.AccountReport;
import dev.ecroidcguard.core.report.RepositoryReport;
import dev.ecroidcguard.remediation.Change;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * What one unit of a scheduled run contributes to the run's roll-up, as the worker records it for the run (JSON, a
 * DynamoDB item well under its 400 KB): per region scanned, the counts, and the new, changed and resolved findings
 * and the repositories not evaluated as lines, at most {@value #LINES_KEPT} of each kind over the unit's regions,
 * each cut to {@value #LINE_CHARS} characters (at most about 200 KB; the counts are exact, the function's log has
 * every line). Without finding state, every finding is listed under {@code opened} and
 * {@code tracked} is false. {@code accountNotEvaluated} is the reason the account could not be reached, or null.
 */
public record UnitResult(String unitId, String accountId, String accountNotEvaluated, List<RegionResult> regions,
                         Map<String, String> regionsNotEvaluated, int chunks, long durationMs) {

    /** Lines of each kind a unit keeps for the roll-up. */
    static final int LINES_KEPT = 100;
    /** Characters a kept line keeps. */
    static final int LINE_CHARS = 500;
    private static final ObjectMapper MAPPER = new ObjectMapper();

    public UnitResult {
        regions = List.copyOf(regions);
        regionsNotEvaluated = Map.copyOf(regionsNotEvaluated);
    }

    /** {@code count} items, of which {@code lines} are kept. */
    public record Listed(int count, List<String> lines) {
        public Listed {
            lines = List.copyOf(lines);
        }
    }

    /** What is left of a unit's {@value #LINES_KEPT} lines of one kind, spent region by region. */
    private static final class LineBudget {
        private int left = LINES_KEPT;

        Listed take(List<String> all) {
            List<String> kept = all.stream().limit(left).map(l -> l.length() <= LINE_CHARS ? l : l.substring(0, LINE_CHARS - 1) + "…").toList();
            left -= kept.size();
            return new Listed(all.size(), kept);
        }
    }

    /** One budget per kind of line. */
    private record Budgets(LineBudget opened, LineBudget changed, LineBudget resolved, LineBudget notEvaluated, LineBudget accountFindings,
                           LineBudget warnings) {
        Budgets() {
            this(new LineBudget(), new LineBudget(), new LineBudget(), new LineBudget(), new LineBudget(), new LineBudget());
        }
    }

    /**
     * One region's scan (the whole region, or one chunk of it: {@code chunk} "2 of 5", or empty). {@code accountFindings}
     * are about the account, not a repository (the guard's own member role wider than member-role.yaml): said every
     * run while they last, as the account's own reports do. {@code warnings}: what the scan could not do beside the
     * evaluation (Security Hub refused the import or the workflow update), each with what to do.
     */
    public record RegionResult(String region, String chunk, int repositories, int findings, Map<Severity, Integer> bySeverity, int orphanRoles,
                               int changesApplied, boolean tracked, Listed opened, Listed changed, Listed resolved, Listed notEvaluated,
                               Listed accountFindings, Listed warnings) {
        public RegionResult {
            bySeverity = Map.copyOf(bySeverity);
            // A result recorded by a version without warnings (a run that spans a deployment) has none.
            warnings = warnings == null ? new Listed(0, List.of()) : warnings;
        }
    }

    public static UnitResult of(AccountWork work, AccountResult result) {
        return switch (result) {
            case AccountResult.NotEvaluated n -> new UnitResult(work.unitId(), n.accountId(), n.reason(), List.of(), Map.of(), 0, n.durationMs());
            case AccountResult.Evaluated e -> {
                Budgets budgets = new Budgets();
                yield new UnitResult(work.unitId(), e.accountId(), null, e.scans().stream().map(scan -> region(work, scan, budgets)).toList(),
                        e.regionsNotEvaluated(), e.chunks().size(), e.durationMs());
            }
        };
    }

    private static RegionResult region(AccountWork work, ScanOutcome scan, Budgets budgets) {
        AccountReport report = scan.report();
        AccountReport.Summary summary = report.summary();
        FindingChanges since = scan.sinceLastScan();
        // The constant, not an equal value: a tracked scan with nothing open is empty too.
        boolean tracked = since != FindingChanges.UNTRACKED;
        List<String> opened = tracked ? lines(since.opened())
                : report.repositories().stream().flatMap(r -> findingLines(r)).toList();
        List<String> notEvaluated = report.notEvaluated().stream().map(n -> "- " + n.repository() + ": " + n.reason()).toList();
        Map<Severity, Integer> bySeverity = new LinkedHashMap<>(summary.bySeverity());
        return new RegionResult(report.region(), work.chunk().map(c -> c.index() + " of " + c.of()).orElse(""), summary.repositories(),
                summary.findings(), bySeverity, summary.orphanRoles(), (int) scan.changesWith(Change.Status.APPLIED), tracked,
                budgets.opened().take(opened), budgets.changed().take(lines(since.changed())), budgets.resolved().take(lines(since.resolved())),
                budgets.notEvaluated().take(notEvaluated),
                budgets.accountFindings().take(report.accountFindings().stream().map(f -> NotificationBuilder.findingLine(f.resource(), f)).toList()),
                budgets.warnings().take(scan.invocation().warnings()));
    }

    private static Stream<String> findingLines(RepositoryReport repository) {
        return repository.findings().stream().map(f -> NotificationBuilder.findingLine(repository.repository(), f));
    }

    private static List<String> lines(List<FindingChanges.Entry> entries) {
        List<String> out = new ArrayList<>();
        entries.forEach(e -> out.addAll(e.lines()));
        return out;
    }

    public String toJson() {
        try {
            return MAPPER.writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    public static UnitResult fromJson(String json) {
        try {
            return MAPPER.readValue(json, UnitResult.class);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("a unit result that is not one: " + e.getOriginalMessage(), e);
        }
    }
}
