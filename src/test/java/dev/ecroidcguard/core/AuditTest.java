package dev.ecroidcguard.core;

import dev.ecroidcguard.core.inventory.AccountSnapshot;
import dev.ecroidcguard.core.inventory.EcrRepository;
import dev.ecroidcguard.core.report.AccountReport;
import dev.ecroidcguard.core.report.Audit;
import dev.ecroidcguard.core.report.OrphanRole;
import dev.ecroidcguard.core.report.RepositoryReport;
import dev.ecroidcguard.core.report.Suppressed;
import dev.ecroidcguard.testing.Fakes;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** What the core decides around the checks: the ignore tag, the orphans of a scope, the time budget. */
class AuditTest {

    static final Analyzer ANALYZER = analyzer();

    static Analyzer analyzer() {
        try {
            return new Analyzer(GuardConfig.fromEnvironment(Map.of("GITHUB_ORG", "AcmeCorp")));
        } catch (GuardConfig.ConfigException e) {
            throw new AssertionError(e);
        }
    }

    /** Fakes.smallAccount (app with its role, web without, the orphan github-actions-gone) plus legacy, tagged to be ignored. */
    static AccountSnapshot account() {
        AccountSnapshot small = Fakes.smallAccount();
        List<EcrRepository> repositories = new ArrayList<>(small.repositories());
        repositories.add(Fakes.repository("legacy", Map.of(IgnoreTag.KEY, " TRUE ")));
        return new AccountSnapshot(small.accountId(), small.region(), small.partition(), small.roles(), small.managedPolicies(),
                small.oidcProviders(), repositories);
    }

    @Test
    void theIgnoreTagTakesARepositoryOutAndNamesWhoCanLiftIt() {
        assertThat(IgnoreTag.isSet(Fakes.repository("x", Map.of(IgnoreTag.KEY, "true")))).isTrue();
        assertThat(IgnoreTag.isSet(Fakes.repository("x", Map.of(IgnoreTag.KEY, "no")))).isFalse();
        assertThat(IgnoreTag.isSet(Fakes.repository("x"))).isFalse();

        Audit audit = ANALYZER.audit(account(), List.of(), Set.of(), new ScanScope.WholeAccount(), TimeBudget.UNLIMITED);

        assertThat(audit.report().repositories()).extracting(RepositoryReport::repository).containsExactly("app", "web");
        assertThat(audit.suppressed()).singleElement().satisfies(s -> {
            assertThat(s.repository()).isEqualTo("legacy");
            assertThat(s.whoCanLift()).contains("ecr:UntagResource", Fakes.repository("legacy").arn());
        });
        assertThat(audit.report().orphanRoles()).extracting(OrphanRole::roleName).containsExactly("github-actions-gone");
    }

    @Test
    void aScopeOfNamedRepositoriesReportsOnlyThemAndTheirOrphans() {
        Audit web = ANALYZER.audit(account(), List.of(), Set.of(), new ScanScope.Repositories(Set.of("web", "legacy")), TimeBudget.UNLIMITED);
        assertThat(web.report().repositories()).extracting(RepositoryReport::repository).containsExactly("web");
        assertThat(web.report().orphanRoles()).isEmpty();
        assertThat(web.suppressed()).extracting(Suppressed::repository).containsExactly("legacy");

        Audit gone = ANALYZER.audit(account(), List.of(), Set.of(), new ScanScope.Repositories(Set.of("gone")), TimeBudget.UNLIMITED);
        assertThat(gone.report().repositories()).isEmpty();
        assertThat(gone.report().orphanRoles()).extracting(OrphanRole::expectedRepository).containsExactly("gone");
        assertThat(gone.suppressed()).isEmpty();
    }

    /** IAM is global, ECR regional: a role whose repository the account has in another scanned region is not an orphan. */
    @Test
    void aRoleWhoseRepositoryIsInAnotherScannedRegionIsNoOrphan() {
        Audit elsewhere = ANALYZER.audit(account(), List.of(), Set.of("gone", "elsewhere-only"), new ScanScope.WholeAccount(), TimeBudget.UNLIMITED);
        assertThat(elsewhere.report().orphanRoles()).isEmpty();
        Audit scoped = ANALYZER.audit(account(), List.of(), Set.of("gone"), new ScanScope.Repositories(Set.of("gone")), TimeBudget.UNLIMITED);
        assertThat(scoped.report().orphanRoles()).as("a DeleteRepository here while it lives on in the other region").isEmpty();
        Audit other = ANALYZER.audit(account(), List.of(), Set.of("another"), new ScanScope.WholeAccount(), TimeBudget.UNLIMITED);
        assertThat(other.report().orphanRoles()).extracting(OrphanRole::roleName).containsExactly("github-actions-gone");
    }

    @Test
    void onceTheBudgetIsExhaustedTheRestIsNotStartedAndListedAfterTheUnreadRepositories() {
        AtomicInteger asked = new AtomicInteger();
        TimeBudget oneRepository = () -> asked.getAndIncrement() == 0 ? Optional.empty() : Optional.of("out of time");
        List<AccountReport.NotEvaluated> unread = List.of(new AccountReport.NotEvaluated("db", "AccessDenied"));

        AccountReport report = ANALYZER.audit(account(), unread, Set.of(), new ScanScope.WholeAccount(), oneRepository).report();

        assertThat(report.repositories()).extracting(RepositoryReport::repository).containsExactly("app");
        // The ignored repository is analysed too (its exposure cannot be suppressed), so it waits for time like the others.
        assertThat(report.notEvaluated()).containsExactly(new AccountReport.NotEvaluated("db", "AccessDenied"),
                new AccountReport.NotEvaluated("web", "not started: out of time"), new AccountReport.NotEvaluated("legacy", "not started: out of time"));
        assertThat(asked).as("asked once per repository it would start").hasValue(3);
    }
}
