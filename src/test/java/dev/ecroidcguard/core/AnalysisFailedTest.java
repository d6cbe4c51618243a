package dev.ecroidcguard.core;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ecroidcguard.core.finding.Finding;
import dev.ecroidcguard.core.finding.FindingCode;
import dev.ecroidcguard.core.fix.DocumentChange;
import dev.ecroidcguard.core.fix.PermissionsChange;
import dev.ecroidcguard.core.inventory.AccountSnapshot;
import dev.ecroidcguard.core.inventory.IamRole;
import dev.ecroidcguard.core.inventory.ManagedPolicy;
import dev.ecroidcguard.core.inventory.SnapshotParser;
import dev.ecroidcguard.core.report.AccountReport;
import dev.ecroidcguard.core.report.ReportJson;
import dev.ecroidcguard.core.report.RepositoryReport;
import dev.ecroidcguard.testing.Snapshots;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static dev.ecroidcguard.testing.Snapshots.roleArn;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A check that throws unexpectedly becomes ANALYSIS_FAILED for its repository only. The failure is provoked without
 * any seam in production code: an inventory whose managed policy carries a null {@code Optional} document (a bug an
 * inventory adapter could have) makes {@code Optional.flatMap} throw a NullPointerException deep inside the
 * permissions check of the one role that attaches it.
 */
class AnalysisFailedTest {

    private static final String BAD = "web-api";
    private static final String BAD_ROLE = "github-actions-" + BAD;
    private static final String BROKEN_POLICY_ARN = "arn:aws:iam::" + Snapshots.ACCOUNT + ":policy/ci-extra";

    @Test
    void a_check_throwing_unexpectedly_fails_that_part_of_its_repository_only() throws Exception {
        AccountSnapshot fine = SnapshotParser.parse(Snapshots.account()
                .canonicalRole(BAD).repository(BAD)
                .canonicalRole("payments").repository("payments")
                .repository("worker")
                .json());
        AccountSnapshot broken = withBrokenManagedPolicyAttachedTo(fine, BAD_ROLE);

        AccountReport before = analyze(fine);
        AccountReport after = analyze(broken);

        RepositoryReport webApi = after.repository(BAD).orElseThrow();
        assertThat(before.repository(BAD).orElseThrow().compliant()).as("the account without the broken document").isTrue();
        Finding failed = webApi.findings().stream().filter(f -> f.code() == FindingCode.ANALYSIS_FAILED).findFirst()
                .orElseThrow(() -> new AssertionError("no ANALYSIS_FAILED in " + webApi.findings()));
        assertThat(failed.resource()).isEqualTo(roleArn(BAD_ROLE));
        assertThat(failed.message()).startsWith("analysis of the permission policies of role " + BAD_ROLE)
                .contains("NullPointerException").endsWith("this part was not evaluated");
        assertThat(webApi.findings()).extracting(Finding::code).containsExactly(FindingCode.ANALYSIS_FAILED);
        // The failed part is left to a person; the parts that did not fail were evaluated as before (compliant: unchanged).
        assertThat(webApi.fix().permissions()).isInstanceOfSatisfying(PermissionsChange.NeedsHuman.class,
                h -> assertThat(h.reason()).startsWith("analysis failed: NullPointerException"));
        assertThat(webApi.fix().trust()).isEqualTo(DocumentChange.UNCHANGED);
        assertThat(webApi.fix().repositoryPolicy()).isEqualTo(DocumentChange.UNCHANGED);
        assertThat(webApi.fix().createRole()).isEmpty();

        assertThat(after.repositories()).extracting(RepositoryReport::repository).containsExactly("payments", BAD, "worker");
        for (String name : List.of("payments", "worker")) {
            JsonNode expected = ReportJson.repository(before.repository(name).orElseThrow());
            assertThat(ReportJson.repository(after.repository(name).orElseThrow())).as("report of %s", name).isEqualTo(expected);
        }
        assertThat(after.repository("worker").orElseThrow().findings()).extracting(Finding::code).contains(FindingCode.ROLE_MISSING);
    }

    /** The account with {@code roleName} also attaching a managed policy whose document field is a null Optional. */
    private static AccountSnapshot withBrokenManagedPolicyAttachedTo(AccountSnapshot account, String roleName) {
        List<IamRole> roles = account.roles().stream().map(r -> !r.name().equals(roleName) ? r
                : new IamRole(r.name(), r.arn(), r.path(), r.trustPolicy(), r.inlinePolicies(), List.of(BROKEN_POLICY_ARN),
                        r.permissionsBoundaryArn(), r.tags())).toList();
        @SuppressWarnings("OptionalAssignedToNull")
        ManagedPolicy broken = new ManagedPolicy(BROKEN_POLICY_ARN, "ci-extra", null);
        return new AccountSnapshot(account.accountId(), account.region(), account.partition(), roles,
                Map.of(BROKEN_POLICY_ARN, broken), account.oidcProviders(), account.repositories());
    }

    private static AccountReport analyze(AccountSnapshot account) throws GuardConfig.ConfigException {
        return new Analyzer(GuardConfig.fromEnvironment(Map.of("GITHUB_ORG", "acme"))).analyze(account);
    }
}
