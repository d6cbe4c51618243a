package dev.ecroidcguard.lambda;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ecroidcguard.application.ScanOutcome;
import dev.ecroidcguard.application.organization.AccountResult;
import dev.ecroidcguard.core.finding.Severity;
import dev.ecroidcguard.core.report.AccountReport;

import java.io.PrintStream;
import java.time.Instant;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * One CloudWatch embedded-metric-format line per account of an organization run (namespace {@value #NAMESPACE},
 * dimension {@code AccountId}): findings by severity, repositories audited, what was not evaluated (repositories and
 * regions; {@code AccountNotEvaluated} 1 when the role could not be assumed) and the duration. CloudWatch turns the
 * line into metrics, so people alarm and graph without parsing the report.
 */
final class AccountMetrics {

    static final String NAMESPACE = "ecr-oidc-guard";
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private AccountMetrics() {
    }

    /** The metric values of one account's result, by metric name, in a stable order. */
    static Map<String, Long> values(AccountResult result) {
        Map<Severity, Long> bySeverity = new EnumMap<>(Severity.class);
        for (Severity s : Severity.values()) {
            bySeverity.put(s, 0L);
        }
        long repositories = 0;
        long notEvaluated = 0;
        long accountNotEvaluated = 0;
        switch (result) {
            case AccountResult.Evaluated e -> {
                for (ScanOutcome scan : e.scans()) {
                    AccountReport.Summary summary = scan.report().summary();
                    summary.bySeverity().forEach((s, n) -> bySeverity.merge(s, (long) n, Long::sum));
                    repositories += summary.repositories();
                    notEvaluated += summary.notEvaluated();
                }
                notEvaluated += e.regionsNotEvaluated().size();
            }
            case AccountResult.NotEvaluated n -> accountNotEvaluated = 1;
        }
        Map<String, Long> values = new LinkedHashMap<>();
        values.put("Findings", bySeverity.values().stream().mapToLong(Long::longValue).sum());
        bySeverity.forEach((s, n) -> values.put("Findings" + capitalized(s), n));
        values.put("Repositories", repositories);
        values.put("NotEvaluated", notEvaluated);
        values.put("AccountNotEvaluated", accountNotEvaluated);
        values.put("DurationMs", result.durationMs());
        return values;
    }

    static void write(PrintStream out, AccountResult result, Instant at) {
        ObjectNode line = MAPPER.createObjectNode();
        ObjectNode aws = line.putObject("_aws");
        aws.put("Timestamp", at.toEpochMilli());
        ObjectNode directive = aws.putArray("CloudWatchMetrics").addObject();
        directive.put("Namespace", NAMESPACE);
        directive.putArray("Dimensions").addArray().add("AccountId");
        ArrayNode metrics = directive.putArray("Metrics");
        line.put("type", "metrics");
        line.put("AccountId", result.accountId());
        values(result).forEach((name, value) -> {
            metrics.addObject().put("Name", name).put("Unit", name.equals("DurationMs") ? "Milliseconds" : "Count");
            line.put(name, value);
        });
        out.println(line);
    }

    private static String capitalized(Severity severity) {
        String name = severity.name().toLowerCase(Locale.ROOT);
        return Character.toUpperCase(name.charAt(0)) + name.substring(1);
    }
}
