package dev.ecroidcguard.application.organization;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ecroidcguard.application.NotificationBuilder;
import dev.ecroidcguard.application.ScanConfig;
import dev.ecroidcguard.core.finding.Severity;
import dev.ecroidcguard.ports.Notification;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.ToIntFunction;
import java.util.stream.Collectors;

/**
 * The roll-up of a scheduled organization run: every unit's result assembled per account (an account's regions and
 * the chunks of a large one add up to one account), as one SNS message for the whole run: per-account counts, the
 * new, changed and resolved findings, the repositories, regions and accounts not evaluated and why, and the warnings
 * of regions that were evaluated but whose findings Security Hub did not (all) take, said every run while they last. The counts are
 * exact; the lists are cut to what fits one publish (then {@code listed} says how many of each are in it, and the
 * function's log has the rest). The message has the attribute {@code part} = 1, so the template's email subscription
 * gets it, {@code kind} = {@code rollup} and {@code reportId} = the run's id (a subscriber dedupes a repeat on it).
 * Pure: no I/O.
 */
public record RunReport(String runId, List<AccountTotal> accounts, List<Line> opened, List<Line> changed, List<Line> resolved,
                        List<Line> notEvaluated, List<Line> accountFindings, List<Line> warnings) {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    /** Items of each list tried first; halved until the message fits. */
    private static final int FIRST_CAP = 2_000;

    public RunReport {
        accounts = List.copyOf(accounts);
        opened = List.copyOf(opened);
        changed = List.copyOf(changed);
        resolved = List.copyOf(resolved);
        notEvaluated = List.copyOf(notEvaluated);
        accountFindings = List.copyOf(accountFindings);
        warnings = List.copyOf(warnings);
    }

    /** One finding or repository line, with the account and region it is in. */
    public record Line(String accountId, String region, String text) {
        String rendered() {
            return "- " + accountId + " " + region + " " + text.substring(text.startsWith("- ") ? 2 : 0);
        }
    }

    /** One account's totals over its regions and chunks. */
    public record AccountTotal(String accountId, String notEvaluated, Map<String, String> regionsNotEvaluated, List<String> regions,
                               int chunks, int repositories, int findings, Map<Severity, Integer> bySeverity, int opened, int changed,
                               int resolved, int repositoriesNotEvaluated, int orphanRoles, int changesApplied, boolean tracked,
                               int accountFindings) {
        public AccountTotal {
            regionsNotEvaluated = Map.copyOf(regionsNotEvaluated);
            regions = List.copyOf(regions);
            bySeverity = Map.copyOf(bySeverity);
        }

        boolean evaluated() {
            return notEvaluated == null;
        }

        /** Something in it a person should read: a finding, a change, or something not evaluated. */
        boolean noteworthy() {
            return !evaluated() || findings > 0 || changesApplied > 0 || repositoriesNotEvaluated > 0 || !regionsNotEvaluated.isEmpty()
                    || accountFindings > 0;
        }
    }

    /** The units' results (one per unit: the ledger keeps a unit's first), per account. */
    public static RunReport of(String runId, List<UnitResult> units) {
        Map<String, List<UnitResult>> byAccount = units.stream()
                .collect(Collectors.groupingBy(UnitResult::accountId, TreeMap::new, Collectors.toList()));
        List<AccountTotal> accounts = new ArrayList<>();
        List<Line> opened = new ArrayList<>();
        List<Line> changed = new ArrayList<>();
        List<Line> resolved = new ArrayList<>();
        List<Line> notEvaluated = new ArrayList<>();
        List<Line> accountFindings = new ArrayList<>();
        List<Line> warnings = new ArrayList<>();
        byAccount.forEach((account, results) -> {
            String unreachable = results.stream().map(UnitResult::accountNotEvaluated).filter(r -> r != null).findFirst().orElse(null);
            Map<String, String> regionsNotEvaluated = new TreeMap<>();
            results.forEach(unit -> regionsNotEvaluated.putAll(unit.regionsNotEvaluated()));
            List<UnitResult.RegionResult> scans = results.stream().flatMap(unit -> unit.regions().stream()).toList();
            Map<Severity, Integer> bySeverity = new EnumMap<>(Severity.class);
            for (UnitResult.RegionResult r : scans) {
                r.bySeverity().forEach((s, c) -> bySeverity.merge(s, c, Integer::sum));
                r.opened().lines().forEach(l -> opened.add(new Line(account, r.region(), l)));
                r.changed().lines().forEach(l -> changed.add(new Line(account, r.region(), l)));
                r.resolved().lines().forEach(l -> resolved.add(new Line(account, r.region(), l)));
                r.notEvaluated().lines().forEach(l -> notEvaluated.add(new Line(account, r.region(), l)));
                r.warnings().lines().forEach(l -> warnings.add(new Line(account, r.region(), l)));
            }
            // The account's own findings are the same in each of its regions (IAM is global): listed once per account.
            List<String> aboutTheAccount = scans.stream().flatMap(r -> r.accountFindings().lines().stream()).distinct().toList();
            aboutTheAccount.forEach(l -> accountFindings.add(new Line(account, "(account)", l)));
            accounts.add(new AccountTotal(account, unreachable, regionsNotEvaluated,
                    scans.stream().map(UnitResult.RegionResult::region).distinct().sorted().toList(),
                    (int) scans.stream().filter(r -> !r.chunk().isEmpty()).count(), sum(scans, UnitResult.RegionResult::repositories),
                    sum(scans, UnitResult.RegionResult::findings), bySeverity, sum(scans, r -> r.opened().count()),
                    sum(scans, r -> r.changed().count()), sum(scans, r -> r.resolved().count()), sum(scans, r -> r.notEvaluated().count()),
                    sum(scans, UnitResult.RegionResult::orphanRoles), sum(scans, UnitResult.RegionResult::changesApplied),
                    scans.stream().allMatch(UnitResult.RegionResult::tracked), aboutTheAccount.size()));
        });
        return new RunReport(runId, accounts, opened, changed, resolved, notEvaluated, accountFindings, warnings);
    }

    private static int sum(List<UnitResult.RegionResult> scans, ToIntFunction<UnitResult.RegionResult> count) {
        return scans.stream().mapToInt(count).sum();
    }

    public int total(Function<AccountTotal, Integer> count) {
        return accounts.stream().mapToInt(count::apply).sum();
    }

    public boolean tracked() {
        return accounts.stream().filter(AccountTotal::evaluated).allMatch(AccountTotal::tracked);
    }

    public Optional<Severity> highestSeverity() {
        return accounts.stream().flatMap(a -> a.bySeverity().entrySet().stream()).filter(e -> e.getValue() > 0).map(Map.Entry::getKey)
                .min(Comparator.naturalOrder());
    }

    /** Whether {@code notifyOn} publishes this run: as it decides for one account's report, over the whole run. */
    public boolean worthPublishing(ScanConfig.NotifyOn notifyOn) {
        // Unread parts and the guard's own access findings are said every run while they last, as in an account's report.
        boolean unread = accounts.stream().anyMatch(a -> !a.evaluated() || !a.regionsNotEvaluated().isEmpty() || a.repositoriesNotEvaluated() > 0
                || a.accountFindings() > 0) || !warnings.isEmpty();
        int changes = total(AccountTotal::changesApplied);
        return switch (notifyOn) {
            case ALWAYS -> true;
            case NEVER -> false;
            case FINDINGS -> total(AccountTotal::findings) > 0 || total(AccountTotal::orphanRoles) > 0 || unread || changes > 0;
            case CHANGES -> total(AccountTotal::opened) + total(AccountTotal::changed) + total(AccountTotal::resolved) > 0 || unread || changes > 0;
        };
    }

    /** The one message, its lists cut (halving) until it fits one publish. */
    public Notification notification() {
        for (int cap = FIRST_CAP; ; cap /= 2) {
            Notification n = render(cap);
            if (size(n) <= NotificationBuilder.SNS_MAX_BYTES || cap == 0) {
                return n;
            }
        }
    }

    private Notification render(int cap) {
        List<AccountTotal> listedAccounts = accounts.stream().filter(AccountTotal::noteworthy).limit(cap).toList();
        int accountCount = accounts.size();
        long unreachable = accounts.stream().filter(a -> !a.evaluated()).count();
        int findings = total(AccountTotal::findings);
        String news = tracked() ? total(AccountTotal::opened) + " new, " + total(AccountTotal::changed) + " changed, "
                + total(AccountTotal::resolved) + " resolved, " : "";
        StringBuilder text = new StringBuilder();
        text.append("ecr-oidc-guard organization run ").append(runId).append(": ").append(accountCount).append(" accounts (")
                .append(accountCount - unreachable).append(" evaluated, ").append(unreachable).append(" not evaluated), ")
                .append(total(AccountTotal::repositories)).append(" repositories, ").append(news).append(findings).append(" findings open")
                .append(highestSeverity().map(s -> " (highest " + s + ")").orElse("")).append(", ")
                .append(total(AccountTotal::changesApplied)).append(" changes applied, ")
                .append(total(AccountTotal::repositoriesNotEvaluated)).append(" repositories not evaluated.\n");
        text.append("\nAccounts with findings, changes or something not evaluated (").append(listedAccounts.size()).append(" of ")
                .append(accounts.stream().filter(AccountTotal::noteworthy).count()).append(" listed; the others are compliant):\n");
        listedAccounts.forEach(a -> text.append(accountLine(a)).append('\n'));
        section(text, tracked() ? "New findings" : "Findings", opened, total(AccountTotal::opened), cap);
        section(text, "Changed findings", changed, total(AccountTotal::changed), cap);
        section(text, "Resolved findings (gone since the last run)", resolved, total(AccountTotal::resolved), cap);
        section(text, "Repositories not evaluated", notEvaluated, total(AccountTotal::repositoriesNotEvaluated), cap);
        section(text, "The guard's own access (member roles wider than member-role.yaml)", accountFindings,
                total(AccountTotal::accountFindings), cap);
        section(text, "Warnings (evaluated, but Security Hub did not take everything)", warnings, warnings.size(), cap);

        ObjectNode json = MAPPER.createObjectNode().put("kind", "rollup").put("runId", runId).put("tracked", tracked());
        ObjectNode summary = json.putObject("summary").put("accounts", accountCount).put("accountsNotEvaluated", unreachable)
                .put("repositories", total(AccountTotal::repositories)).put("findings", findings)
                .put("newFindings", total(AccountTotal::opened)).put("changedFindings", total(AccountTotal::changed))
                .put("resolvedFindings", total(AccountTotal::resolved)).put("repositoriesNotEvaluated", total(AccountTotal::repositoriesNotEvaluated))
                .put("orphanRoles", total(AccountTotal::orphanRoles)).put("changesApplied", total(AccountTotal::changesApplied));
        ObjectNode severities = summary.putObject("bySeverity");
        for (Severity s : Severity.values()) {
            severities.put(s.name(), accounts.stream().mapToInt(a -> a.bySeverity().getOrDefault(s, 0)).sum());
        }
        ArrayNode accountArray = json.putArray("accounts");
        listedAccounts.forEach(a -> accountArray.add(MAPPER.valueToTree(a)));
        lines(json, "newFindings", opened, cap);
        lines(json, "changedFindings", changed, cap);
        lines(json, "resolvedFindings", resolved, cap);
        lines(json, "notEvaluated", notEvaluated, cap);
        lines(json, "accountFindings", accountFindings, cap);
        lines(json, "warnings", warnings, cap);
        json.putObject("listed").put("accounts", listedAccounts.size()).put("newFindings", Math.min(cap, opened.size()))
                .put("changedFindings", Math.min(cap, changed.size())).put("resolvedFindings", Math.min(cap, resolved.size()))
                .put("notEvaluated", Math.min(cap, notEvaluated.size())).put("accountFindings", Math.min(cap, accountFindings.size()))
                .put("warnings", Math.min(cap, warnings.size()));

        ObjectNode message = MAPPER.createObjectNode().put("default", text.toString());
        String body = json.toString();
        for (String protocol : List.of("sqs", "lambda", "https")) {
            message.put(protocol, body);
        }
        Map<String, String> attributes = new LinkedHashMap<>();
        attributes.put("kind", "rollup");
        attributes.put("part", "1");
        attributes.put("reportId", runId);
        attributes.put("severity", highestSeverity().map(Severity::name).orElse("NONE"));
        attributes.put("findingCount", Integer.toString(findings));
        attributes.put("newCount", Integer.toString(total(AccountTotal::opened)));
        attributes.put("resolvedCount", Integer.toString(total(AccountTotal::resolved)));
        attributes.put("accountCount", Integer.toString(accountCount));
        attributes.put("accountsNotEvaluated", Long.toString(unreachable));
        String subject = "ecr-oidc-guard organization: " + accountCount + " accounts, " + news + findings + " open"
                + highestSeverity().map(s -> " (" + s + ")").orElse("") + (unreachable > 0 ? ", " + unreachable + " not evaluated" : "");
        return new Notification(subject.length() <= 100 ? subject : subject.substring(0, 100), message.toString(), attributes);
    }

    private static String accountLine(AccountTotal a) {
        if (!a.evaluated()) {
            return "- " + a.accountId() + ": not evaluated: " + a.notEvaluated();
        }
        String severities = a.bySeverity().entrySet().stream().filter(e -> e.getValue() > 0).sorted(Map.Entry.comparingByKey())
                .map(e -> e.getValue() + " " + e.getKey()).collect(Collectors.joining(", "));
        return "- " + a.accountId() + " " + a.regions() + (a.chunks() > 0 ? " in " + a.chunks() + " chunks" : "") + ": " + a.repositories()
                + " repositories, " + a.findings() + " findings" + (severities.isEmpty() ? "" : " (" + severities + ")")
                + (a.tracked() ? ", " + a.opened() + " new, " + a.changed() + " changed, " + a.resolved() + " resolved" : "")
                + (a.changesApplied() > 0 ? ", " + a.changesApplied() + " changes applied" : "")
                + (a.repositoriesNotEvaluated() > 0 ? ", " + a.repositoriesNotEvaluated() + " repositories not evaluated" : "")
                + a.regionsNotEvaluated().entrySet().stream().map(e -> "; region " + e.getKey() + " not evaluated: " + e.getValue())
                .collect(Collectors.joining());
    }

    /** The lines kept (each unit keeps its first {@value UnitResult#LINES_KEPT}), at most {@code cap}, and how many of {@code total} are not. */
    private static void section(StringBuilder text, String heading, List<Line> lines, int total, int cap) {
        if (total == 0) {
            return;
        }
        text.append('\n').append(heading).append(":\n");
        lines.stream().limit(cap).forEach(l -> text.append(l.rendered()).append('\n'));
        int listed = Math.min(cap, lines.size());
        if (total > listed) {
            text.append("(").append(total - listed).append(" more not listed here; the function's log has every one)\n");
        }
    }

    private static void lines(ObjectNode json, String name, List<Line> lines, int cap) {
        ArrayNode array = json.putArray(name);
        lines.stream().limit(cap).forEach(l -> array.addObject().put("accountId", l.accountId()).put("region", l.region()).put("line", l.text()));
    }

    private static int size(Notification n) {
        return n.message().getBytes(StandardCharsets.UTF_8).length + n.attributes().entrySet().stream()
                .mapToInt(e -> (e.getKey() + "String" + e.getValue()).getBytes(StandardCharsets.UTF_8).length).sum();
    }
}
