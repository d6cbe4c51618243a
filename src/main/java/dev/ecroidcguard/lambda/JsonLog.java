package dev.ecroidcguard.lambda;

import dev.ecroidcguard.remediation.Operation;
import dev.ecroidcguard.remediation.Documents;
import dev.ecroidcguard.core.finding.RemediationClass;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ecroidcguard.application.InvocationMetadata;
import dev.ecroidcguard.application.ScanLog;
import dev.ecroidcguard.application.Trigger;
import dev.ecroidcguard.core.finding.Finding;
import dev.ecroidcguard.core.report.AccountReport;
import dev.ecroidcguard.core.report.OrphanRole;
import dev.ecroidcguard.core.report.ReportJson;
import dev.ecroidcguard.core.report.RepositoryReport;
import dev.ecroidcguard.core.report.Suppressed;
import dev.ecroidcguard.remediation.Change;
import dev.ecroidcguard.remediation.ChangeJson;

import java.io.PrintStream;
import java.lang.reflect.RecordComponent;
import java.util.List;

/**
 * Structured log lines on stdout, one JSON object per line, so CloudWatch Logs Insights discovers the fields
 * (e.g. {@code filter type="finding" and severity="CRITICAL" | stats count() by code}). Every line has
 * {@code level} and {@code type}: {@code finding}, {@code orphanRole}, {@code notEvaluated}, {@code change} (one per
 * remediation step, with the documents before and after), {@code suppressed} (one per item), {@code note} and
 * one {@code summary} per invocation; and {@code requestId}, the Lambda request id of the invocation (null outside
 * Lambda), so one invocation's lines can be pulled out of a busy log group. The SDK's own warnings and retries
 * ({@code type=sdk}) come from {@link dev.ecroidcguard.aws.SdkLog} with the same request id.
 */
public final class JsonLog implements ScanLog {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final PrintStream out;
    private final String requestId;

    public JsonLog(PrintStream out, String requestId) {
        this.out = out;
        this.requestId = requestId;
    }

    /** The same log for another invocation. */
    public JsonLog forRequest(String requestId) {
        return new JsonLog(out, requestId);
    }

    @Override
    public void audited(Trigger trigger, AccountReport report, List<Change> changes, List<Suppressed> suppressed) {
        items(report, trigger);
        changes(changes, suppressed, report, trigger);
    }

    /** One line per finding (of a repository, or about the account itself), orphan role and unreadable repository of {@code report}. */
    private void items(AccountReport report, Trigger trigger) {
        for (RepositoryReport r : report.repositories()) {
            for (Finding f : r.findings()) {
                ObjectNode line = line("WARN", "finding", report, trigger);
                line.put("repository", r.repository());
                line.put("role", r.role());
                line.setAll(ReportJson.finding(f));
                write(line);
            }
        }
        for (Finding f : report.accountFindings()) {
            ObjectNode line = line("WARN", "accountFinding", report, trigger);
            line.setAll(ReportJson.finding(f));
            write(line);
        }
        for (OrphanRole o : report.orphanRoles()) {
            ObjectNode line = line("WARN", "orphanRole", report, trigger);
            line.put("roleName", o.roleName());
            line.put("roleArn", o.roleArn());
            line.put("expectedRepository", o.expectedRepository());
            write(line);
        }
        for (AccountReport.NotEvaluated n : report.notEvaluated()) {
            ObjectNode line = line("ERROR", "notEvaluated", report, trigger);
            line.put("repository", n.repository());
            line.put("reason", n.reason());
            write(line);
        }
    }

    /** One line per remediation step (level INFO when applied or already done, WARN when skipped, ERROR when restored, failed or unverified). */
    private void changes(List<Change> changes, List<Suppressed> suppressed, AccountReport report, Trigger trigger) {
        for (Change c : changes) {
            String level = switch (c.status()) {
                case APPLIED, ALREADY_DONE -> "INFO";
                case SKIPPED -> "WARN";
                case RESTORED, FAILED, UNVERIFIED -> "ERROR";
            };
            ObjectNode line = line(level, "change", report, trigger);
            line.setAll(ChangeJson.change(c));
            write(line);
        }
        for (Suppressed s : suppressed) {
            ObjectNode line = line("INFO", "suppressed", report, trigger);
            line.setAll(ChangeJson.suppressed(s));
            write(line);
        }
    }

    /** A one-off line ({@code type=note}) about a decision of this invocation. */
    @Override
    public void writing(Trigger trigger, RemediationClass cls, Operation operation, Documents before) {
        ObjectNode line = start("INFO", "write");
        line.put("trigger", trigger.describe());
        line.put("eventId", trigger.eventId());
        line.put("class", cls.configName());
        line.put("operation", operation.describe());
        line.set("before", ChangeJson.documents(before));
        write(line);
    }

    @Override
    public void note(Trigger trigger, String level, String message) {
        ObjectNode line = start(level, "note");
        line.put("trigger", trigger.describe());
        line.put("eventId", trigger.eventId());
        line.put("message", message);
        write(line);
    }

    /** The invocation's summary line: the result plus the API calls by operation. */
    public void summary(InvocationResult result, InvocationMetadata invocation) {
        ObjectNode line = start(result.status().equals("rejected") ? "ERROR" : "INFO", "summary");
        resultFields(line, result);
        if (invocation != null) {
            line.put("account", invocation.account());
            line.put("region", invocation.region());
            line.put("mode", invocation.mode());
            line.set("apiCallsByOperation", invocation.json().get("apiCalls").get("byOperation"));
        }
        write(line);
    }

    /**
     * The result's components under their own names, as the runtime serializes the result. Read through the record's
     * accessors rather than databind's {@code valueToTree}: its bean introspection loads about 150 classes on the
     * first summary, i.e. at every cold start.
     */
    private static void resultFields(ObjectNode line, InvocationResult result) {
        for (RecordComponent component : InvocationResult.class.getRecordComponents()) {
            Object value;
            try {
                value = component.getAccessor().invoke(result);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(e);
            }
            switch (value) {
                case null -> line.putNull(component.getName());
                case String s -> line.put(component.getName(), s);
                case Integer i -> line.put(component.getName(), i);
                case Long l -> line.put(component.getName(), l);
                default -> throw new IllegalStateException("InvocationResult." + component.getName() + " is a " + value.getClass().getName()
                        + ", not a string or a number");
            }
        }
    }

    private ObjectNode line(String level, String type, AccountReport report, Trigger trigger) {
        ObjectNode line = start(level, type);
        line.put("trigger", trigger.describe());
        line.put("eventId", trigger.eventId());
        line.put("account", report.accountId());
        line.put("region", report.region());
        return line;
    }

    private ObjectNode start(String level, String type) {
        ObjectNode line = MAPPER.createObjectNode();
        line.put("level", level);
        line.put("type", type);
        line.put("requestId", requestId);
        return line;
    }

    private void write(ObjectNode line) {
        try {
            out.println(MAPPER.writeValueAsString(line));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
