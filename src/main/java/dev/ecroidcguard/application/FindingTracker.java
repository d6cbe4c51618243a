package dev.ecroidcguard.application;

import dev.ecroidcguard.core.ScanScope;
import dev.ecroidcguard.core.finding.Finding;
import dev.ecroidcguard.core.finding.FindingId;
import dev.ecroidcguard.core.report.AccountReport;
import dev.ecroidcguard.core.report.RepositoryReport;
import dev.ecroidcguard.core.report.Suppressed;
import dev.ecroidcguard.ports.FindingState;
import dev.ecroidcguard.ports.FindingState.Recorded;
import dev.ecroidcguard.ports.FindingState.Status;
import dev.ecroidcguard.ports.FindingsHub;
import dev.ecroidcguard.ports.HubFinding;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * Compares a scan's findings with the recorded state and moves the state on, one compare-and-set per finding: a finding
 * with no record is new; one recorded as resolved is back (new again); one whose fingerprint differs has changed;
 * an open record whose finding this scan looked for and did not find is resolved. A transition goes into the
 * {@link FindingChanges} only if this scan's write won; a scan that lost the race (another worker, the same message
 * twice) says nothing about it, so a change is told once. An open finding that has not changed is only marked seen.
 * Only repositories this scan evaluated can resolve a finding: one outside the scope, not evaluated (unreadable,
 * out of time) or suppressed keeps its record as it is.
 */
final class FindingTracker {

    private final FindingState state;

    FindingTracker(FindingState state) {
        this.state = state;
    }

    /**
     * What this scan would move a finding to, before the write that claims it; {@code REFILED}: a resolution told by an
     * earlier scan whose archiving the hub refused, filed again (not told again).
     */
    private enum Kind { OPENED, CHANGED, RESOLVED, REFILED, UNCHANGED }

    private record Step(Kind kind, Optional<Recorded> before, Recorded next, FindingChanges.Entry entry) {

        /** The record to write when the hub did not take this scan's picture: a resolution is kept to be filed again. */
        Optional<Recorded> nextWithoutHub() {
            return switch (kind) {
                case RESOLVED -> Optional.of(next.withStatus(Status.RESOLVED_NOT_FILED));
                case REFILED -> Optional.empty();
                // Open findings are filed on every scan anyway.
                case OPENED, CHANGED, UNCHANGED -> Optional.of(next);
            };
        }
    }

    /** What tracking said: the changes, and why the hub did not take all of them (each a sentence for the report and log). */
    record Tracked(FindingChanges changes, List<String> warnings) {

        Tracked {
            warnings = List.copyOf(warnings);
        }
    }

    /**
     * Plans every finding's step from one read of the state, files the planned picture in {@code hub} (idempotent by
     * finding id, so both of two racing scans may file it) and resolves the archived ones' workflow there, then claims
     * each step. A hub that refuses does not fail the scan (the findings were evaluated; the report and the alerts stand):
     * it is a warning, the open findings are filed again by the next scan as every scan files them, and a resolution is
     * recorded {@link Status#RESOLVED_NOT_FILED}, so the next scan files its archiving again. A refused workflow update
     * is a warning only: the finding is archived (and passed) all the same.
     */
    Tracked track(AccountReport report, ScanScope scope, List<Suppressed> suppressed, Instant now, FindingsHub hub) {
        List<Step> steps = plan(report, scope, suppressed, now);
        List<HubFinding> picture = SecurityHubFindings.of(report.accountId(), report.region(), filing(steps), now);
        List<String> warnings = new ArrayList<>();
        boolean filed = true;
        try {
            hub.file(picture);
        } catch (RuntimeException e) {
            filed = false;
            warnings.add("Security Hub did not take this scan's " + picture.size() + " finding(s) (" + reason(e) + "); they are filed again"
                    + " on the next scan. If the cause is AccessDenied in a member account, set that account's member stack's"
                    + " SecurityHub parameter to on (the hub's is on); otherwise enable Security Hub in " + report.accountId() + " " + report.region() + ".");
        }
        List<HubFinding> archived = picture.stream().filter(f -> f.recordState() == HubFinding.RecordState.ARCHIVED).toList();
        if (filed && !archived.isEmpty()) {
            try {
                hub.resolve(archived);
            } catch (RuntimeException e) {
                warnings.add("Security Hub archived " + archived.size() + " resolved finding(s) but did not set their workflow to RESOLVED ("
                        + reason(e) + "); they stay archived and passed. In a member account, its member stack's SecurityHub parameter"
                        + " must be on to grant securityhub:BatchUpdateFindings.");
            }
        }
        Set<Step> won = new HashSet<>();
        for (Step step : steps) {
            Optional<Recorded> next = filed ? Optional.of(step.next()) : step.nextWithoutHub();
            if (next.isPresent() && state.replace(step.before(), next.get())) {
                won.add(step);
            }
        }
        return new Tracked(changes(steps, won::contains), warnings);
    }

    private static String reason(RuntimeException e) {
        return e.getClass().getSimpleName() + ": " + e.getMessage();
    }

    /** The picture to file: every open finding (active) and every resolution, this scan's or one to file again (archived). */
    private static FindingChanges filing(List<Step> steps) {
        List<FindingChanges.Entry> open = new ArrayList<>();
        List<FindingChanges.Entry> resolved = new ArrayList<>();
        for (Step step : steps) {
            switch (step.kind()) {
                case OPENED, CHANGED, UNCHANGED -> open.add(step.entry());
                case RESOLVED, REFILED -> resolved.add(step.entry());
            }
        }
        return new FindingChanges(List.of(), List.of(), resolved, open);
    }

    /** The steps as changes, where only the steps {@code claimed} are told; an open finding not told is still open. */
    private static FindingChanges changes(List<Step> steps, Predicate<Step> claimed) {
        List<FindingChanges.Entry> opened = new ArrayList<>();
        List<FindingChanges.Entry> changed = new ArrayList<>();
        List<FindingChanges.Entry> resolved = new ArrayList<>();
        List<FindingChanges.Entry> stillOpen = new ArrayList<>();
        for (Step step : steps) {
            boolean told = claimed.test(step);
            switch (step.kind()) {
                case OPENED -> (told ? opened : stillOpen).add(step.entry());
                case CHANGED -> (told ? changed : stillOpen).add(step.entry());
                case UNCHANGED -> stillOpen.add(step.entry());
                case RESOLVED -> {
                    if (told) {
                        resolved.add(step.entry());
                    }
                }
                case REFILED -> {
                    // Told when it was resolved.
                }
            }
        }
        return new FindingChanges(opened, changed, resolved, stillOpen);
    }

    private List<Step> plan(AccountReport report, ScanScope scope, List<Suppressed> suppressed, Instant now) {
        Map<String, Recorded> recorded = state.recorded(report.accountId(), report.region()).stream()
                .collect(Collectors.toMap(Recorded::findingId, Function.identity(), (a, b) -> a, LinkedHashMap::new));
        List<Step> steps = new ArrayList<>();
        Set<String> current = new HashSet<>();
        for (RepositoryReport repository : report.repositories()) {
            Map<String, List<Finding>> byId = new LinkedHashMap<>();
            repository.findings().forEach(f -> byId.computeIfAbsent(FindingId.of(report.accountId(), report.region(), repository.repository(), f),
                    k -> new ArrayList<>()).add(f));
            byId.forEach((id, findings) -> {
                current.add(id);
                Optional<Recorded> before = Optional.ofNullable(recorded.get(id));
                Finding first = findings.getFirst();
                String fingerprint = FindingId.fingerprint(findings);
                List<String> lines = findings.stream().map(f -> NotificationBuilder.findingLine(repository.repository(), f)).toList();
                Instant firstSeen = before.filter(r -> r.status() == Status.OPEN).map(Recorded::firstSeen).orElse(now);
                boolean back = before.map(r -> r.status() != Status.OPEN).orElse(false);
                Kind kind = before.isEmpty() || back ? Kind.OPENED
                        : before.get().fingerprint().equals(fingerprint) ? Kind.UNCHANGED : Kind.CHANGED;
                Recorded next = new Recorded(id, report.accountId(), report.region(), repository.repository(), repository.repositoryArn(),
                        first.code().name(), first.severity().name(), first.resource(), Status.OPEN, fingerprint, String.join("\n", lines),
                        firstSeen, now, kind == Kind.UNCHANGED ? before.get().lastNotified() : now, before.map(r -> r.revision() + 1).orElse(1L));
                steps.add(new Step(kind, before, next, new FindingChanges.Entry(id, repository.repository(), repository.repositoryArn(),
                        next.code(), next.severity(), next.resource(), lines, firstSeen, back)));
            });
        }
        Set<String> evaluated = report.repositories().stream().map(RepositoryReport::repository).collect(Collectors.toSet());
        for (Recorded r : recorded.values()) {
            if (current.contains(r.findingId())) {
                continue;
            }
            boolean resolves = r.status() == Status.OPEN && speaksFor(r.repository(), evaluated, scope, report, suppressed);
            if (resolves || r.status() == Status.RESOLVED_NOT_FILED) {
                // A resolution to file again keeps the time it was told (lastNotified).
                Recorded next = new Recorded(r.findingId(), r.accountId(), r.region(), r.repository(), r.repositoryArn(), r.code(),
                        r.severity(), r.resource(), Status.RESOLVED, r.fingerprint(), r.summary(), r.firstSeen(), r.lastSeen(),
                        resolves ? now : r.lastNotified(), r.revision() + 1);
                steps.add(new Step(resolves ? Kind.RESOLVED : Kind.REFILED, Optional.of(r), next, new FindingChanges.Entry(r.findingId(), r.repository(),
                        r.repositoryArn(), r.code(), r.severity(), r.resource(), List.of(r.summary().split("\n")), r.firstSeen(), false)));
            }
        }
        return steps;
    }

    /**
     * Whether this scan speaks for a recorded repository: it evaluated it, or the repository is in the scope and gone
     * (neither evaluated, unreadable nor suppressed: deleted), which resolves its findings too.
     */
    private static boolean speaksFor(String repository, Set<String> evaluated, ScanScope scope, AccountReport report, List<Suppressed> suppressed) {
        if (evaluated.contains(repository)) {
            return true;
        }
        return scope.covers(repository) && report.notEvaluated().stream().noneMatch(n -> n.repository().equals(repository))
                && suppressed.stream().noneMatch(s -> s.repository().equals(repository));
    }
}
