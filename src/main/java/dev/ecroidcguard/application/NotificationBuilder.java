package dev.ecroidcguard.application;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ecroidcguard.core.finding.Finding;
import dev.ecroidcguard.core.finding.Severity;
import dev.ecroidcguard.core.finding.Witness;
import dev.ecroidcguard.core.report.AccountReport;
import dev.ecroidcguard.core.report.OrphanRole;
import dev.ecroidcguard.core.report.ReportJson;
import dev.ecroidcguard.core.report.RepositoryReport;
import dev.ecroidcguard.core.report.Suppressed;
import dev.ecroidcguard.ports.Notification;
import dev.ecroidcguard.remediation.Change;
import dev.ecroidcguard.remediation.ChangeJson;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Turns a report into SNS publishes ({@code MessageStructure=json}). {@code default} is text for email;
 * {@code sqs}, {@code lambda} and {@code https} carry the JSON report ({@link ReportJson}) plus an
 * {@code invocation} object. The message grows with the findings, not with the account: compliant repositories are
 * counted in the summary, not listed (the report of {@code analyze} and the log still list them). A report too large
 * for one publish is split into numbered parts, each with a share of the repositories with findings, orphan roles
 * and not-evaluated repositories, which together carry every finding; every part repeats the whole report's
 * summary and attributes so each one can be read or filtered alone. Each part has the attribute {@code part}
 * ("1", "2", ...): the template's email subscription filters on {@code part = 1}, so an email subscriber gets one
 * message per scan however large the account, and part 1's text counts what the other parts list.
 * With remediation, {@code changes} (what was written, why, the documents before and after) and
 * {@code suppressed} (repositories tagged to be ignored) are split the same way; both arrays are always present.
 * Pure: no I/O.
 */
public final class NotificationBuilder {

    /** SNS's limit for one publish, message and attributes together. */
    public static final int SNS_MAX_BYTES = 256 * 1024;
    /** SNS's limit for a subject. */
    static final int SUBJECT_MAX = 100;
    /**
     * Room for what the per-part baseline does not measure: section headings, the "part n of N" digits, the part
     * attribute, and part 1's count of what the other parts list.
     */
    private static final int RESERVE_BYTES = 2048;
    private static final List<String> JSON_PROTOCOLS = List.of("sqs", "lambda", "https");
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final int maxBytes;

    public NotificationBuilder() {
        this(SNS_MAX_BYTES);
    }

    /** A smaller limit lets tests split small reports. */
    NotificationBuilder(int maxBytes) {
        this.maxBytes = maxBytes;
    }

    /** One unit of the report that goes whole into one part: its text lines and its JSON node. */
    private record Item(Kind kind, List<String> lines, JsonNode json, int bytes) {
    }

    private enum Kind {
        CHANGE("changes", "Changes (remediation):"),
        ACCOUNT("accountFindings", "The guard's own access to this account:"),
        NEW("newFindings", "New findings:"),
        CHANGED("changedFindings", "Changed findings:"),
        RESOLVED("resolvedFindings", "Resolved findings (gone since the last scan):"),
        REPOSITORY("repositories", "Findings:"),
        ORPHAN("orphanRoles", "Orphan roles (their repository does not exist):"),
        NOT_EVALUATED("notEvaluated", "Not evaluated (could not be read):"),
        SUPPRESSED("suppressed", "Suppressed (tagged ecr-oidc-guard:ignore=true; not remediated, only exposure is reported):");

        final String array;
        final String heading;

        Kind(String array, String heading) {
            this.array = array;
            this.heading = heading;
        }
    }

    public List<Notification> build(AccountReport report, InvocationMetadata invocation) {
        return build(report, invocation, List.of(), List.of());
    }

    public List<Notification> build(AccountReport report, InvocationMetadata invocation, List<Change> changes, List<Suppressed> suppressed) {
        return build(report, invocation, changes, suppressed, Optional.empty());
    }

    /**
     * With {@code sinceLastScan} ({@code NOTIFY_ON=changes}), the findings sections are the new, changed and resolved
     * findings only ({@code newFindings}, {@code changedFindings}, {@code resolvedFindings} in the JSON, each with its
     * stable id), a digest line counts what is still open, and orphan roles are only counted; the header still
     * summarises the whole report.
     */
    public List<Notification> build(AccountReport report, InvocationMetadata invocation, List<Change> changes, List<Suppressed> suppressed,
                                    Optional<FindingChanges> sinceLastScan) {
        return build(report, invocation, changes, suppressed, sinceLastScan, Optional.empty());
    }

    /**
     * With {@code fullReport}, where the {@link #fullReport full report} was stored (an {@code s3://} URI): every part
     * links it, in the text and as {@code fullReport} in the JSON.
     */
    public List<Notification> build(AccountReport report, InvocationMetadata invocation, List<Change> changes, List<Suppressed> suppressed,
                                    Optional<FindingChanges> sinceLastScan, Optional<String> fullReport) {
        Map<String, String> attributes = attributes(report, changes);
        sinceLastScan.ifPresent(d -> {
            attributes.put("newCount", Integer.toString(d.opened().size()));
            attributes.put("resolvedCount", Integer.toString(d.resolved().size()));
        });
        JsonNode summary = ReportJson.tree(report).get("summary");
        String changeSummary = fullReport.map(location -> "Full report (every repository, compliant ones too): " + location + "\n").orElse("")
                + changeSummary(changes, suppressed) + sinceLastScan.map(NotificationBuilder::digest).orElse("");
        List<Kind> arrays = sinceLastScan.isPresent() ? List.of(Kind.NEW, Kind.CHANGED, Kind.RESOLVED) : List.of();
        int budget = maxBytes - RESERVE_BYTES - size(render(report, summary, invocation, changeSummary, List.of(), 1, 1, attributes, arrays,
                fullReport));
        List<Item> items = new ArrayList<>(changeItems(changes, budget));
        if (sinceLastScan.isPresent()) {
            FindingChanges d = sinceLastScan.get();
            d.opened().forEach(e -> items.add(entryItem(Kind.NEW, e)));
            d.changed().forEach(e -> items.add(entryItem(Kind.CHANGED, e)));
            d.resolved().forEach(e -> items.add(entryItem(Kind.RESOLVED, e)));
            // Said every time, like a repository that could not be read: no state follows them from scan to scan.
            items.addAll(items(report, budget).stream().filter(i -> i.kind() == Kind.ACCOUNT || i.kind() == Kind.NOT_EVALUATED).toList());
        } else {
            items.addAll(items(report, budget));
        }
        suppressed.forEach(x -> items.add(item(Kind.SUPPRESSED, List.of("- " + x.repository() + ": " + x.reason() + "; lift: " + x.whoCanLift()),
                ChangeJson.suppressed(x))));
        List<List<Item>> parts = pack(items, budget);
        List<Notification> out = new ArrayList<>();
        // A standard topic may deliver a publish twice when its answer was lost and the SDK retried it: subscribers
        // dedupe on reportId (one per report part, the same in every retry of its publish).
        String reportId = UUID.randomUUID().toString();
        for (int i = 0; i < parts.size(); i++) {
            // Part 1 is the email subscription's only message: it counts what the others list.
            String beyond = i == 0 && parts.size() > 1 ? beyondFirstPart(parts.subList(1, parts.size())) : "";
            Map<String, String> partAttributes = new LinkedHashMap<>(attributes);
            partAttributes.put("reportId", reportId + "#" + (i + 1) + "/" + parts.size());
            Notification n = render(report, summary, invocation, changeSummary + beyond, parts.get(i), i + 1, parts.size(), partAttributes,
                    arrays, fullReport);
            if (size(n) > maxBytes) {
                throw new IllegalStateException("part " + (i + 1) + " is " + size(n) + " bytes, over the " + maxBytes + " limit");
            }
            out.add(n);
        }
        return out;
    }

    /**
     * The full report, for the report archive ({@code FULL_REPORT_BUCKET}): the JSON report with every repository,
     * compliant ones too ({@link ReportJson}), every change with its whole documents, the suppressed repositories and the
     * invocation; no size limit, no parts.
     */
    public String fullReport(AccountReport report, InvocationMetadata invocation, List<Change> changes, List<Suppressed> suppressed) {
        ObjectNode json = ReportJson.tree(report);
        ArrayNode changeArray = json.putArray(Kind.CHANGE.array);
        changes.forEach(c -> changeArray.add(ChangeJson.change(c)));
        ArrayNode suppressedArray = json.putArray(Kind.SUPPRESSED.array);
        suppressed.forEach(x -> suppressedArray.add(ChangeJson.suppressed(x)));
        json.set("invocation", invocation.json());
        json.put("compliantRepositoriesListed", true);
        return compact(json);
    }

    /** What parts 2..N list, in counts, for the text of part 1. */
    private static String beyondFirstPart(List<List<Item>> rest) {
        Map<Kind, Integer> items = new java.util.EnumMap<>(Kind.class);
        int findings = 0;
        for (List<Item> part : rest) {
            for (Item item : part) {
                items.merge(item.kind(), 1, Integer::sum);
                if (item.kind() == Kind.REPOSITORY) {
                    findings += item.lines().size();
                }
            }
        }
        return "Not listed in this message: " + findings + " more findings in " + items.getOrDefault(Kind.REPOSITORY, 0) + " repositories, "
                + items.getOrDefault(Kind.ORPHAN, 0) + " orphan roles, " + items.getOrDefault(Kind.NOT_EVALUATED, 0) + " not evaluated, "
                + items.getOrDefault(Kind.CHANGE, 0) + " changes, " + items.getOrDefault(Kind.SUPPRESSED, 0) + " suppressed; parts 2-"
                + (rest.size() + 1) + " carry them to the JSON subscribers (sqs, lambda, https), and the function's log has the whole report.\n";
    }

    /** Greedy packing in report order: a part is closed when the next item would not fit. */
    private static List<List<Item>> pack(List<Item> items, int budget) {
        List<List<Item>> parts = new ArrayList<>();
        List<Item> current = new ArrayList<>();
        int used = 0;
        for (Item item : items) {
            if (!current.isEmpty() && used + item.bytes() > budget) {
                parts.add(current);
                current = new ArrayList<>();
                used = 0;
            }
            current.add(item);
            used += item.bytes();
        }
        parts.add(current);
        return parts;
    }

    private static List<Item> changeItems(List<Change> changes, int budget) {
        List<Item> items = new ArrayList<>();
        for (Change c : changes) {
            List<String> lines = new ArrayList<>();
            lines.add(ChangeJson.line(c));
            // Why, with the witness; the documents before and after are in the JSON variant and the log.
            c.why().forEach(f -> lines.add("    " + findingLine(c.repository(), f).substring(2)));
            Item item = item(Kind.CHANGE, lines, ChangeJson.change(c));
            if (item.bytes() > budget) {
                ObjectNode slim = ChangeJson.change(c);
                slim.putObject("before").put("omitted", "too large for an SNS message; see the function's log");
                slim.putObject("after").put("omitted", "too large for an SNS message; see the function's log");
                item = item(Kind.CHANGE, lines, slim);
            }
            items.add(item);
        }
        return items;
    }

    /** The digest line: how many findings changed state, and what is still open without being repeated. */
    private static String digest(FindingChanges d) {
        Map<String, Integer> bySeverity = new LinkedHashMap<>();
        for (Severity s : Severity.values()) {
            int n = (int) d.stillOpen().stream().filter(e -> e.severity().equals(s.name())).count();
            if (n > 0) {
                bySeverity.put(s.name(), n);
            }
        }
        return "Since the last scan: " + d.opened().size() + " new, " + d.changed().size() + " changed, " + d.resolved().size()
                + " resolved; still open, not repeated: " + d.stillOpen().size()
                + (bySeverity.isEmpty() ? "" : " (" + bySeverity.entrySet().stream().map(e -> e.getKey() + " " + e.getValue())
                .collect(Collectors.joining(", ")) + ")") + "\n";
    }

    /** A tracked finding: its lines (with " (back after being resolved)" when it is), and its id, repository, code and severity. */
    private static Item entryItem(Kind kind, FindingChanges.Entry e) {
        ObjectNode json = MAPPER.createObjectNode();
        json.put("findingId", e.findingId());
        json.put("repository", e.repository());
        json.put("code", e.code());
        json.put("severity", e.severity());
        json.put("resource", e.resource());
        json.put("firstSeen", e.firstSeen().toString());
        json.put("reopened", e.reopened());
        ArrayNode lines = json.putArray("lines");
        e.lines().forEach(lines::add);
        List<String> text = e.reopened() ? e.lines().stream().map(line -> line + " (back after being resolved)").toList() : e.lines();
        return item(kind, text, json);
    }

    /** One header line about remediation, or empty when nothing was changed, skipped or suppressed. */
    private static String changeSummary(List<Change> changes, List<Suppressed> suppressed) {
        if (changes.isEmpty() && suppressed.isEmpty()) {
            return "";
        }
        Map<Change.Status, Integer> by = new java.util.EnumMap<>(Change.Status.class);
        changes.forEach(c -> by.merge(c.status(), 1, Integer::sum));
        return "Changes: " + by.getOrDefault(Change.Status.APPLIED, 0) + " applied, " + by.getOrDefault(Change.Status.ALREADY_DONE, 0)
                + " already done, " + by.getOrDefault(Change.Status.RESTORED, 0) + " restored after a failed verification, "
                + by.getOrDefault(Change.Status.FAILED, 0) + " failed, " + by.getOrDefault(Change.Status.SKIPPED, 0) + " skipped; suppressed: "
                + suppressed.size() + "\n";
    }

    private List<Item> items(AccountReport report, int budget) {
        List<Item> items = new ArrayList<>();
        for (Finding f : report.accountFindings()) {
            items.add(item(Kind.ACCOUNT, List.of("- " + f.code() + " (" + f.severity() + ") " + f.message()
                    + (f.witness() == null ? "" : "; gets in: " + witness(f.witness()))), ReportJson.finding(f)));
        }
        for (RepositoryReport r : report.repositories()) {
            if (r.findings().isEmpty()) {
                continue; // compliant: counted in the summary, not listed
            }
            List<String> lines = r.findings().stream().map(f -> findingLine(r.repository(), f)).toList();
            Item item = item(Kind.REPOSITORY, lines, ReportJson.repository(r));
            if (item.bytes() > budget) {
                // Only fix plans (policy documents) can make one repository this large; its findings still travel.
                ObjectNode slim = ReportJson.repository(r);
                slim.putObject("fix").put("omitted", "the fix plan is too large for an SNS message; see the function's log");
                item = item(Kind.REPOSITORY, lines, slim);
            }
            if (item.bytes() > budget) {
                items.addAll(findingsInParts(r, budget));
            } else {
                items.add(item);
            }
        }
        for (OrphanRole o : report.orphanRoles()) {
            items.add(item(Kind.ORPHAN, List.of("- " + o.roleName() + ": repository " + o.expectedRepository() + " does not exist"),
                    only(report, List.of(o), List.of()).get(Kind.ORPHAN.array).get(0)));
        }
        for (AccountReport.NotEvaluated n : report.notEvaluated()) {
            items.add(item(Kind.NOT_EVALUATED, List.of("- " + n.repository() + ": " + n.reason()),
                    only(report, List.of(), List.of(n)).get(Kind.NOT_EVALUATED.array).get(0)));
        }
        return items;
    }

    /**
     * A repository whose findings alone exceed one publish (a repository policy naming 670 accounts gives 930 KB):
     * its findings are split over several items, each a copy of the repository's entry with a share of the findings
     * and {@code "findingsPart": {"number", "of"}}; the fix plan travels with the first share (slimmed if need be).
     * Packed like any other item, so the parts of the message together still carry every finding.
     */
    private static List<Item> findingsInParts(RepositoryReport r, int budget) {
        ObjectNode firstShell = ReportJson.repository(r);
        firstShell.putArray("findings");
        ObjectNode shell = firstShell.deepCopy();
        shell.putObject("fix").put("omitted", "see this repository's entry with findingsPart 1");
        if (item(Kind.REPOSITORY, List.of(), firstShell).bytes() > budget / 2) {
            firstShell.putObject("fix").put("omitted", "the fix plan is too large for an SNS message; see the function's log");
        }
        // Room for the findingsPart object, whose digits are not known yet.
        int room = budget - item(Kind.REPOSITORY, List.of(), firstShell).bytes() - JSON_PROTOCOLS.size() * 64;
        List<List<Finding>> shares = new ArrayList<>();
        List<Finding> share = new ArrayList<>();
        int used = 0;
        for (Finding f : r.findings()) {
            Finding fitting = fitting(r.repository(), f, room);
            int bytes = findingBytes(r.repository(), fitting);
            if (!share.isEmpty() && used + bytes > room) {
                shares.add(share);
                share = new ArrayList<>();
                used = 0;
            }
            share.add(fitting);
            used += bytes;
        }
        shares.add(share);
        List<Item> items = new ArrayList<>();
        for (int i = 0; i < shares.size(); i++) {
            ObjectNode json = (i == 0 ? firstShell : shell).deepCopy();
            ArrayNode findings = json.putArray("findings");
            shares.get(i).forEach(f -> findings.add(ReportJson.finding(f)));
            ObjectNode part = json.putObject("findingsPart");
            part.put("number", i + 1);
            part.put("of", shares.size());
            items.add(item(Kind.REPOSITORY, shares.get(i).stream().map(f -> findingLine(r.repository(), f)).toList(), json));
        }
        return items;
    }

    /** What one finding adds to a repository item: its text line once and its JSON (plus a comma) in each JSON copy. */
    private static int findingBytes(String repository, Finding f) {
        return escapedBytes(findingLine(repository, f) + "\n") + JSON_PROTOCOLS.size() * (escapedBytes(compact(ReportJson.finding(f))) + 1);
    }

    /** The finding, or, when it alone exceeds {@code room} (an enormous message or witness), its message cut short and no witness. */
    private static Finding fitting(String repository, Finding f, int room) {
        if (findingBytes(repository, f) <= room) {
            return f;
        }
        String cut = f.message().substring(0, Math.min(f.message().length(), room / 16)) + "... (cut short to fit a notification)";
        return new Finding(f.code(), f.severity(), f.resource(), cut, null);
    }

    /** An item's exact cost: its text lines once and its JSON (plus a comma) in each of the three JSON copies, as escaped. */
    private static Item item(Kind kind, List<String> lines, JsonNode json) {
        int text = lines.stream().mapToInt(line -> escapedBytes(line + "\n")).sum();
        return new Item(kind, lines, json, text + JSON_PROTOCOLS.size() * (escapedBytes(compact(json)) + 1));
    }

    private static ObjectNode only(AccountReport report, List<OrphanRole> orphans, List<AccountReport.NotEvaluated> notEvaluated) {
        return ReportJson.tree(new AccountReport(report.accountId(), report.region(), report.githubOrg(), List.of(), orphans, notEvaluated));
    }

    private static Notification render(AccountReport report, JsonNode summary, InvocationMetadata invocation, String changeSummary,
                                       List<Item> items, int part, int parts, Map<String, String> attributes, List<Kind> moreArrays,
                                       Optional<String> fullReport) {
        ObjectNode json = only(report, List.of(), List.of());
        json.putArray(Kind.CHANGE.array);
        json.putArray(Kind.SUPPRESSED.array);
        if (!report.accountFindings().isEmpty()) {
            json.putArray(Kind.ACCOUNT.array);
        }
        moreArrays.forEach(kind -> json.putArray(kind.array));
        StringBuilder text = new StringBuilder(header(report, invocation, part, parts)).append(changeSummary);
        Kind section = null;
        for (Item item : items) {
            if (item.kind() != section && !item.lines().isEmpty()) {
                section = item.kind();
                text.append('\n').append(section.heading).append('\n');
            }
            item.lines().forEach(line -> text.append(line).append('\n'));
            ((ArrayNode) json.get(item.kind().array)).add(item.json());
        }
        json.set("summary", summary);
        json.set("invocation", invocation.json());
        ObjectNode partNode = json.putObject("part");
        partNode.put("number", part);
        partNode.put("of", parts);
        json.put("compliantRepositoriesListed", false);
        fullReport.ifPresent(location -> json.put("fullReport", location));

        ObjectNode message = MAPPER.createObjectNode();
        message.put("default", text.toString());
        String body = compact(json);
        JSON_PROTOCOLS.forEach(protocol -> message.put(protocol, body));
        Map<String, String> partAttributes = new LinkedHashMap<>(attributes);
        partAttributes.put("part", Integer.toString(part));
        return new Notification(subject(report, part, parts, attributes), compact(message), partAttributes);
    }

    private static String header(AccountReport report, InvocationMetadata invocation, int part, int parts) {
        AccountReport.Summary s = report.summary();
        String bySeverity = s.bySeverity().entrySet().stream().map(e -> e.getKey() + " " + e.getValue()).collect(Collectors.joining(", "));
        StringBuilder h = new StringBuilder()
                .append("ecr-oidc-guard report for account ").append(report.accountId()).append(" (").append(report.region())
                .append("), GitHub owner ").append(report.githubOrg()).append('\n')
                .append("Trigger: ").append(invocation.trigger().describe()).append(", mode ").append(invocation.mode())
                .append(", ").append(invocation.totalApiCalls()).append(" API calls, ").append(invocation.durationMs()).append(" ms\n")
                .append("Repositories: ").append(s.repositories()).append(" audited, ").append(s.compliant()).append(" compliant, ")
                .append(s.nonCompliant()).append(" non-compliant (compliant ones are counted, not listed)\n")
                .append("Findings: ").append(s.findings()).append(" (").append(bySeverity).append(")\n")
                .append("Orphan roles: ").append(s.orphanRoles()).append("; not evaluated: ").append(s.notEvaluated()).append('\n');
        invocation.notFound().forEach(missing -> h.append("Not found: ").append(missing).append('\n'));
        invocation.warnings().forEach(warning -> h.append("Warning: ").append(warning).append('\n'));
        if (parts > 1) {
            h.append("Part ").append(part).append(" of ").append(parts).append(": the parts together list every finding.\n");
        }
        return h.toString();
    }

    private static String subject(AccountReport report, int part, int parts, Map<String, String> attributes) {
        int findings = report.findings().size();
        String changeCount = attributes.get("changeCount");
        String counted = attributes.containsKey("newCount")
                ? attributes.get("newCount") + " new, " + attributes.get("resolvedCount") + " resolved, " + findings + " open"
                : findings + (findings == 1 ? " finding" : " findings");
        String subject = "ecr-oidc-guard " + report.accountId() + " " + report.region() + ": " + counted
                + report.highestSeverity().map(s -> " (" + s + ")").orElse("")
                + (changeCount == null ? "" : ", " + changeCount + (changeCount.equals("1") ? " change" : " changes"))
                + (parts > 1 ? " [part " + part + " of " + parts + "]" : "");
        return subject.length() <= SUBJECT_MAX ? subject : subject.substring(0, SUBJECT_MAX);
    }

    private static Map<String, String> attributes(AccountReport report, List<Change> changes) {
        Map<String, String> attributes = new LinkedHashMap<>();
        attributes.put("severity", report.highestSeverity().map(Severity::name).orElse("NONE"));
        attributes.put("findingCount", Integer.toString(report.findings().size()));
        attributes.put("account", report.accountId());
        attributes.put("region", report.region());
        if (!changes.isEmpty()) {
            attributes.put("changeCount", Integer.toString(changes.size()));
        }
        return attributes;
    }

    /** One finding in short form: repository, code, severity, and what gets in (or the message when nothing does). */
    public static String findingLine(String repository, Finding f) {
        return "- " + repository + ": " + f.code() + " (" + f.severity() + ") " + (f.witness() == null ? f.message() : witness(f.witness()));
    }

    private static String witness(Witness w) {
        return switch (w) {
            case Witness.Token t -> "token sub=" + t.sub() + new java.util.TreeMap<>(t.claims()).entrySet().stream()
                    .map(e -> " " + e.getKey() + "=" + e.getValue()).collect(Collectors.joining());
            case Witness.Request q -> q.action() + " on " + q.resource() + " via " + q.grantedBy();
            case Witness.Principal p -> p.principal() + " may " + p.action();
            case Witness.Detail d -> d.text();
        };
    }

    /** What SNS counts: the message's UTF-8 bytes plus each attribute's name, type ("String") and value. */
    static int size(Notification n) {
        int attributes = n.attributes().entrySet().stream()
                .mapToInt(e -> utf8(e.getKey()) + utf8("String") + utf8(e.getValue())).sum();
        return utf8(n.message()) + attributes;
    }

    private static int escapedBytes(String s) {
        return utf8(compact(MAPPER.getNodeFactory().textNode(s))) - 2;
    }

    private static int utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }

    private static String compact(JsonNode node) {
        try {
            return MAPPER.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
