package dev.ecroidcguard.application;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ecroidcguard.core.GuardConfig;
import dev.ecroidcguard.core.ScanScope;
import dev.ecroidcguard.core.TimeBudget;
import dev.ecroidcguard.core.finding.FindingCode;
import dev.ecroidcguard.core.finding.FindingId;
import dev.ecroidcguard.core.finding.RemediationClass;
import dev.ecroidcguard.core.inventory.AccountSnapshot;
import dev.ecroidcguard.core.report.AccountReport;
import dev.ecroidcguard.core.report.Suppressed;
import dev.ecroidcguard.ports.Adapters;
import dev.ecroidcguard.ports.FindingState;
import dev.ecroidcguard.ports.FindingsHub;
import dev.ecroidcguard.ports.HubFinding;
import dev.ecroidcguard.ports.Notification;
import dev.ecroidcguard.remediation.Change;
import dev.ecroidcguard.remediation.Documents;
import dev.ecroidcguard.remediation.Operation;
import dev.ecroidcguard.testing.Fakes;
import dev.ecroidcguard.testing.InMemoryFindingState;
import dev.ecroidcguard.testing.MeetingFindingState;
import dev.ecroidcguard.testing.RecordingHub;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * NOTIFY_ON=changes through the one ScanService, on the in-memory state: the first scan tells everything once, the same
 * scan again tells nothing, a fixed finding is told as resolved (and archived in the hub), a finding that comes back is
 * new again, and two concurrent scans of the same account tell a new finding once.
 */
class AlertsOnChangeTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final String WEB_MISSING = FindingId.of(Fakes.ACCOUNT, "us-east-1", "web", FindingCode.ROLE_MISSING,
            "arn:aws:iam::" + Fakes.ACCOUNT + ":role/github-actions-web");

    final InMemoryFindingState state = new InMemoryFindingState();
    final RecordingHub hub = new RecordingHub();
    final Fakes.RecordingNotifier notifier = new Fakes.RecordingNotifier();

    static GuardConfig guard() throws Exception {
        return GuardConfig.fromEnvironment(Map.of("GITHUB_ORG", "AcmeCorp"));
    }

    ScanService service(AccountSnapshot account, FindingState findingState, Fakes.RecordingNotifier to, Instant now) throws Exception {
        Adapters adapters = new Fakes.FakeInventory(account, List.of()).readOnly(to).tracking(findingState, hub);
        return new ScanService(new ScanConfig(guard(), "report", Set.of(), Map.of(), ScanConfig.NotifyOn.CHANGES, null, null), adapters,
                new NotificationBuilder(), InstantSource.fixed(now));
    }

    ScanOutcome scan(AccountSnapshot account, Instant now) throws Exception {
        return service(account, state, notifier, now).scan(Trigger.snapshot("test"), new ScanScope.WholeAccount(), TimeBudget.UNLIMITED,
                ScanLog.NONE);
    }

    /** The small account with web's role created: its ROLE_MISSING is fixed. */
    static AccountSnapshot fixed() {
        AccountSnapshot a = Fakes.smallAccount();
        return new AccountSnapshot(a.accountId(), a.region(), a.partition(), List.of(Fakes.role("app"), Fakes.role("gone"), Fakes.role("web")),
                Map.of(), a.oidcProviders(), a.repositories());
    }

    @Test
    void firstScanTellsEverythingOnceTheSameScanAgainTellsNothing() throws Exception {
        Instant t1 = Instant.parse("2026-11-30T09:00:00Z");
        ScanOutcome first = scan(Fakes.smallAccount(), t1);

        assertThat(first.report().codes("web")).containsExactly(FindingCode.ROLE_MISSING);
        assertThat(notifier.publishes).hasSize(1);
        Notification n = notifier.publishes.getFirst().getFirst();
        assertThat(n.subject()).isEqualTo("ecr-oidc-guard 123456789012 us-east-1: 1 new, 0 resolved, 1 open (BROKEN)");
        assertThat(n.attributes()).containsEntry("newCount", "1").containsEntry("resolvedCount", "0");
        JsonNode message = JSON.readTree(n.message());
        assertThat(message.path("default").asText())
                .contains("Since the last scan: 1 new, 0 changed, 0 resolved; still open, not repeated: 0")
                .contains("New findings:\n- web: ROLE_MISSING (BROKEN)");
        JsonNode sqs = JSON.readTree(message.path("sqs").asText());
        assertThat(sqs.path("newFindings").get(0).path("findingId").asText()).isEqualTo(WEB_MISSING);
        assertThat(sqs.path("resolvedFindings")).isEmpty();
        assertThat(state.get(WEB_MISSING)).hasValueSatisfying(r -> {
            assertThat(r.status()).isEqualTo(FindingState.Status.OPEN);
            assertThat(r.firstSeen()).isEqualTo(t1);
            assertThat(r.lastNotified()).isEqualTo(t1);
        });
        assertThat(hub.filed).singleElement().satisfies(f -> {
            assertThat(f.id()).isEqualTo(WEB_MISSING);
            assertThat(f.recordState()).isEqualTo(HubFinding.RecordState.ACTIVE);
            assertThat(f.compliance()).isEqualTo(HubFinding.Compliance.FAILED);
        });

        Instant t2 = t1.plusSeconds(86_400);
        ScanOutcome second = scan(Fakes.smallAccount(), t2);

        assertThat(second.report().codes("web")).containsExactly(FindingCode.ROLE_MISSING);
        assertThat(second.notificationParts()).isZero();
        assertThat(notifier.publishes).hasSize(1);
        assertThat(state.get(WEB_MISSING)).hasValueSatisfying(r -> {
            assertThat(r.firstSeen()).isEqualTo(t1);
            assertThat(r.lastSeen()).isEqualTo(t2);
            assertThat(r.lastNotified()).isEqualTo(t1);
        });
    }

    @Test
    void aFixedFindingIsToldAsResolvedAndArchivedAndOneThatComesBackIsNewAgain() throws Exception {
        Instant t1 = Instant.parse("2026-11-30T09:00:00Z");
        scan(Fakes.smallAccount(), t1);
        hub.clear();

        scan(fixed(), t1.plusSeconds(60));

        assertThat(notifier.publishes).hasSize(2);
        Notification n = notifier.publishes.get(1).getFirst();
        assertThat(n.subject()).isEqualTo("ecr-oidc-guard 123456789012 us-east-1: 0 new, 1 resolved, 0 open");
        String text = JSON.readTree(n.message()).path("default").asText();
        assertThat(text).contains("Resolved findings (gone since the last scan):\n- web: ROLE_MISSING (BROKEN)");
        assertThat(state.get(WEB_MISSING)).hasValueSatisfying(r -> assertThat(r.status()).isEqualTo(FindingState.Status.RESOLVED));
        assertThat(hub.filed).singleElement().satisfies(f -> {
            assertThat(f.recordState()).isEqualTo(HubFinding.RecordState.ARCHIVED);
            assertThat(f.compliance()).isEqualTo(HubFinding.Compliance.PASSED);
        });
        // Archived, then its workflow resolved: exactly the archived finding, once.
        assertThat(hub.resolveCalls).singleElement().satisfies(call -> assertThat(call).extracting(HubFinding::id).containsExactly(WEB_MISSING));

        // Resolved stays quiet; then the role is deleted again: new again, filed active again.
        scan(fixed(), t1.plusSeconds(120));
        assertThat(notifier.publishes).hasSize(2);
        hub.clear();
        scan(Fakes.smallAccount(), t1.plusSeconds(180));
        assertThat(notifier.publishes).hasSize(3);
        assertThat(JSON.readTree(notifier.publishes.get(2).getFirst().message()).path("default").asText())
                .contains("New findings:\n- web: ROLE_MISSING (BROKEN)").contains("(back after being resolved)");
        assertThat(hub.filed).singleElement().satisfies(f -> assertThat(f.recordState()).isEqualTo(HubFinding.RecordState.ACTIVE));
        // Back: active again, which resets its workflow to NEW in Security Hub; nothing to resolve.
        assertThat(hub.resolveCalls).isEmpty();
    }

    @Test
    void aRepositoryOutsideTheScopeOrNotEvaluatedKeepsItsFindingsOpen() throws Exception {
        Instant t1 = Instant.parse("2026-11-30T09:00:00Z");
        scan(Fakes.smallAccount(), t1);
        // An event about "app" only: web is not looked at, so its finding is neither resolved nor repeated.
        service(fixed(), state, notifier, t1.plusSeconds(60)).scan(Trigger.snapshot("event"), new ScanScope.Repositories(Set.of("app")),
                TimeBudget.UNLIMITED, ScanLog.NONE);
        assertThat(notifier.publishes).hasSize(1);
        assertThat(state.get(WEB_MISSING)).hasValueSatisfying(r -> assertThat(r.status()).isEqualTo(FindingState.Status.OPEN));

        // web could not be read: not resolved either.
        Adapters unreadable = new Fakes.FakeInventory(withoutWeb(), List.of(new dev.ecroidcguard.core.report.AccountReport.NotEvaluated("web",
                "AccessDeniedException"))).readOnly(notifier).tracking(state, FindingsHub.NONE);
        new ScanService(new ScanConfig(guard(), "report", Set.of(), Map.of(), ScanConfig.NotifyOn.CHANGES, null, null), unreadable,
                new NotificationBuilder(), InstantSource.fixed(t1.plusSeconds(120)))
                .scan(Trigger.snapshot("test"), new ScanScope.WholeAccount(), TimeBudget.UNLIMITED, ScanLog.NONE);
        assertThat(state.get(WEB_MISSING)).hasValueSatisfying(r -> assertThat(r.status()).isEqualTo(FindingState.Status.OPEN));
        // ... and said: nothing changed that the scan could see, but what it could not see is told.
        assertThat(notifier.publishes).hasSize(2);
        assertThat(JSON.readTree(notifier.publishes.get(1).getFirst().message()).path("default").asText())
                .contains("Since the last scan: 0 new, 0 changed, 0 resolved").contains("Not evaluated (could not be read):\n- web: AccessDeniedException");

        // web deleted: a whole-account scan resolves its finding.
        scan(withoutWeb(), t1.plusSeconds(180));
        assertThat(state.get(WEB_MISSING)).hasValueSatisfying(r -> assertThat(r.status()).isEqualTo(FindingState.Status.RESOLVED));
        assertThat(notifier.publishes).hasSize(3);
    }

    static AccountSnapshot withoutWeb() {
        AccountSnapshot a = Fakes.smallAccount();
        return new AccountSnapshot(a.accountId(), a.region(), a.partition(), a.roles(), Map.of(), a.oidcProviders(),
                a.repositories().stream().filter(r -> !r.name().equals("web")).toList());
    }

    @Test
    void twoConcurrentScansOfTheSameAccountTellANewFindingOnce() throws Exception {
        // Both scans read the (empty) state before either writes: the race the conditional write decides.
        CyclicBarrier bothRead = new CyclicBarrier(2);
        FindingState racing = new MeetingFindingState(state, bothRead);
        Fakes.RecordingNotifier first = new Fakes.RecordingNotifier();
        Fakes.RecordingNotifier second = new Fakes.RecordingNotifier();
        Instant now = Instant.parse("2026-11-30T09:00:00Z");
        ScanService a = service(Fakes.smallAccount(), racing, first, now);
        ScanService b = service(Fakes.smallAccount(), racing, second, now);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Future<ScanOutcome> fa = pool.submit(() -> a.scan(Trigger.snapshot("a"), new ScanScope.WholeAccount(), TimeBudget.UNLIMITED, ScanLog.NONE));
            Future<ScanOutcome> fb = pool.submit(() -> b.scan(Trigger.snapshot("b"), new ScanScope.WholeAccount(), TimeBudget.UNLIMITED, ScanLog.NONE));
            assertThat(fa.get().report().codes("web")).containsExactly(FindingCode.ROLE_MISSING);
            assertThat(fb.get().report().codes("web")).containsExactly(FindingCode.ROLE_MISSING);
        } finally {
            pool.shutdownNow();
        }
        assertThat(first.publishes.size() + second.publishes.size()).isEqualTo(1);
        assertThat(state.all()).singleElement().satisfies(r -> assertThat(r.revision()).isEqualTo(1));
    }

    @Test
    void aChangedWitnessIsToldAsChanged() throws Exception {
        Instant t1 = Instant.parse("2026-11-30T09:00:00Z");
        scan(Fakes.smallAccount(), t1);
        // Same id, different content: the stored fingerprint no longer matches what the scan sees.
        FindingState.Recorded r = state.get(WEB_MISSING).orElseThrow();
        state.replace(Optional.of(r), new FindingState.Recorded(r.findingId(), r.accountId(), r.region(), r.repository(), r.repositoryArn(),
                r.code(), r.severity(), r.resource(), r.status(), "an older fingerprint", r.summary(), r.firstSeen(), r.lastSeen(),
                r.lastNotified(), r.revision() + 1));

        scan(Fakes.smallAccount(), t1.plusSeconds(60));

        assertThat(notifier.publishes).hasSize(2);
        assertThat(JSON.readTree(notifier.publishes.get(1).getFirst().message()).path("default").asText())
                .contains("Since the last scan: 0 new, 1 changed, 0 resolved").contains("Changed findings:\n- web: ROLE_MISSING");
        assertThat(state.get(WEB_MISSING)).hasValueSatisfying(x -> assertThat(x.firstSeen()).isEqualTo(t1));
    }

    @Test
    void changesWithoutTheStateIsRefused() throws Exception {
        Adapters untracked = new Fakes.FakeInventory(Fakes.smallAccount(), List.of()).readOnly(notifier);
        assertThatThrownBy(() -> new ScanService(new ScanConfig(guard(), "report", Set.of(), Map.of(), ScanConfig.NotifyOn.CHANGES, null, null),
                untracked, new NotificationBuilder(), InstantSource.system()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("FINDING_STATE_TABLE");
    }

    /** The WARN notes a scan logged. */
    static final class Warnings implements ScanLog {
        final List<String> lines = new ArrayList<>();

        @Override
        public void note(Trigger trigger, String level, String message) {
            if (level.equals("WARN")) {
                lines.add(message);
            }
        }

        @Override
        public void audited(Trigger trigger, AccountReport report, List<Change> changes,
                            List<Suppressed> suppressed) {
        }

        @Override
        public void writing(Trigger trigger, RemediationClass cls, Operation operation,
                            Documents before) {
        }
    }

    ScanOutcome scan(AccountSnapshot account, Instant now, ScanLog log) throws Exception {
        return service(account, state, notifier, now).scan(Trigger.snapshot("test"), new ScanScope.WholeAccount(), TimeBudget.UNLIMITED, log);
    }

    @Test
    void aRefusedImportIsAWarningTheScanStandsAndTheNextScanFilesTheArchivingWithoutTellingItAgain() throws Exception {
        Instant t1 = Instant.parse("2026-11-30T09:00:00Z");
        scan(Fakes.smallAccount(), t1);
        hub.clear();

        // web is fixed while Security Hub refuses the import (a member stack with SecurityHub=off: AccessDenied).
        hub.refusingImports(new IllegalStateException("AccessDeniedException: not authorized to perform securityhub:BatchImportFindings"));
        Warnings log = new Warnings();
        ScanOutcome refused = scan(fixed(), t1.plusSeconds(60), log);

        assertThat(refused.report().notEvaluated()).isEmpty();
        assertThat(refused.sinceLastScan().resolved()).extracting(FindingChanges.Entry::findingId).containsExactly(WEB_MISSING);
        assertThat(log.lines).singleElement().asString().contains("Security Hub did not take this scan's 1 finding(s)")
                .contains("AccessDeniedException").contains("SecurityHub parameter to on");
        assertThat(refused.invocation().warnings()).isEqualTo(log.lines);
        assertThat(notifier.publishes).hasSize(2);
        assertThat(JSON.readTree(notifier.publishes.get(1).getFirst().message()).path("default").asText())
                .contains("Resolved findings (gone since the last scan):\n- web: ROLE_MISSING (BROKEN)")
                .contains("Warning: Security Hub did not take this scan's 1 finding(s)");
        assertThat(hub.filed).isEmpty();
        assertThat(hub.resolveCalls).isEmpty();
        assertThat(state.get(WEB_MISSING)).hasValueSatisfying(r -> assertThat(r.status()).isEqualTo(FindingState.Status.RESOLVED_NOT_FILED));

        // Security Hub takes imports again: the archiving is filed and resolved, and the resolution is not told twice.
        hub.refusingImports(null);
        Warnings next = new Warnings();
        ScanOutcome retried = scan(fixed(), t1.plusSeconds(120), next);

        assertThat(next.lines).isEmpty();
        assertThat(retried.sinceLastScan().resolved()).isEmpty();
        assertThat(notifier.publishes).hasSize(2);
        assertThat(hub.filed).singleElement().satisfies(f -> {
            assertThat(f.id()).isEqualTo(WEB_MISSING);
            assertThat(f.recordState()).isEqualTo(HubFinding.RecordState.ARCHIVED);
        });
        assertThat(hub.resolved()).extracting(HubFinding::id).containsExactly(WEB_MISSING);
        assertThat(state.get(WEB_MISSING)).hasValueSatisfying(r -> {
            assertThat(r.status()).isEqualTo(FindingState.Status.RESOLVED);
            assertThat(r.lastNotified()).isEqualTo(t1.plusSeconds(60));
        });

        // And then nothing more to file for it.
        hub.clear();
        scan(fixed(), t1.plusSeconds(180));
        assertThat(hub.filed).isEmpty();
        assertThat(hub.resolveCalls).isEmpty();
    }

    @Test
    void aFindingBackWhileItsArchivingWasRefusedIsNewAgain() throws Exception {
        Instant t1 = Instant.parse("2026-11-30T09:00:00Z");
        scan(Fakes.smallAccount(), t1);
        hub.refusingImports(new IllegalStateException("AccessDeniedException"));
        scan(fixed(), t1.plusSeconds(60));
        hub.refusingImports(null);
        hub.clear();

        scan(Fakes.smallAccount(), t1.plusSeconds(120));

        assertThat(JSON.readTree(notifier.publishes.getLast().getFirst().message()).path("default").asText())
                .contains("New findings:\n- web: ROLE_MISSING (BROKEN)").contains("(back after being resolved)");
        assertThat(hub.filed).singleElement().satisfies(f -> assertThat(f.recordState()).isEqualTo(HubFinding.RecordState.ACTIVE));
        assertThat(hub.resolveCalls).isEmpty();
        assertThat(state.get(WEB_MISSING)).hasValueSatisfying(r -> assertThat(r.status()).isEqualTo(FindingState.Status.OPEN));
    }

    @Test
    void aRefusedWorkflowUpdateIsAWarningAndTheArchiveStands() throws Exception {
        Instant t1 = Instant.parse("2026-11-30T09:00:00Z");
        scan(Fakes.smallAccount(), t1);
        hub.clear();
        hub.refusingResolve(new IllegalStateException("SecurityHubException: not authorized to perform securityhub:BatchUpdateFindings"));
        Warnings log = new Warnings();

        ScanOutcome outcome = scan(fixed(), t1.plusSeconds(60), log);

        assertThat(outcome.sinceLastScan().resolved()).extracting(FindingChanges.Entry::findingId).containsExactly(WEB_MISSING);
        assertThat(hub.filed).singleElement().satisfies(f -> assertThat(f.recordState()).isEqualTo(HubFinding.RecordState.ARCHIVED));
        assertThat(log.lines).singleElement().asString().contains("did not set their workflow to RESOLVED")
                .contains("securityhub:BatchUpdateFindings").contains("stay archived");
        assertThat(state.get(WEB_MISSING)).hasValueSatisfying(r -> assertThat(r.status()).isEqualTo(FindingState.Status.RESOLVED));
    }
}
