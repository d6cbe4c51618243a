package dev.ecroidcguard.core;

import dev.ecroidcguard.core.finding.Finding;
import dev.ecroidcguard.core.finding.FindingCode;
import dev.ecroidcguard.core.finding.Witness;
import dev.ecroidcguard.core.fix.DocumentChange;
import dev.ecroidcguard.core.fix.FixPlan;
import dev.ecroidcguard.core.inventory.SnapshotParser;
import dev.ecroidcguard.core.report.RepositoryReport;
import dev.ecroidcguard.testing.Snapshots;
import dev.ecroidcguard.testing.Snapshots.Doc;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static dev.ecroidcguard.testing.Snapshots.canonicalPermissions;
import static dev.ecroidcguard.testing.Snapshots.trust;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 12, problem 1: ECR tags are writable by anyone with ECR rights, so a {@code github:repository} tag must
 * never bring a GitHub owner other than GITHUB_ORG (or one in GITHUB_ALLOWED_OWNERS) into a trust policy.
 */
class TagOwnerTest {

    private static final String EVIL_TAG = "evil-org/evil-mirror";
    private static final GuardConfig ACME = config(Set.of());

    private static GuardConfig config(Set<String> allowed) {
        try {
            return new GuardConfig("acme", allowed, RoleNaming.of(GuardConfig.DEFAULT_ROLE_NAME_TEMPLATE));
        } catch (GuardConfig.ConfigException e) {
            throw new AssertionError(e);
        }
    }

    private static RepositoryReport analyse(GuardConfig config, Snapshots account, String repository) throws Exception {
        return new Analyzer(config).analyze(SnapshotParser.parse(account.json())).repositories().stream()
                .filter(r -> r.repository().equals(repository)).findFirst().orElseThrow();
    }

    private static List<FindingCode> codes(RepositoryReport r) {
        return r.findings().stream().map(Finding::code).toList();
    }

    @Test
    void aTagNamingAnOutsideOwnerCreatesNoRoleAndIsReported() throws Exception {
        RepositoryReport r = analyse(ACME, Snapshots.account().repository("mirror", null, Map.of("github:repository", EVIL_TAG)), "mirror");

        assertThat(codes(r)).containsExactly(FindingCode.GITHUB_OWNER_NOT_ALLOWED, FindingCode.ROLE_MISSING);
        Finding tag = r.findings().get(0);
        assertThat(tag.message()).contains("github:repository=" + EVIL_TAG).contains("evil-org").contains("GITHUB_ORG (acme)");
        assertThat(tag.witness()).isEqualTo(new Witness.Detail("tag github:repository=" + EVIL_TAG));
        // The role named in ROLE_MISSING is the org's own repository, never the tag's.
        assertThat(r.findings().get(1).message()).contains("GitHub acme/mirror").doesNotContain("evil");
        FixPlan fix = r.fix();
        assertThat(fix.createRole()).isEmpty();
        assertThat(fix.createRoleBlockedBecause()).hasValueSatisfying(why -> assertThat(why).contains("github:repository"));
        assertThat(fix.needsHuman()).isTrue();
    }

    @Test
    void anOutsideOwnerTrustIsNotMadeCompliantByTheTag() throws Exception {
        Snapshots account = Snapshots.account()
                .role("github-actions-mirror", Doc.encoded(trust("repo:evil-org/evil-mirror:*")),
                        Map.of("ecr-push-pull", Doc.encoded(canonicalPermissions("mirror"))), List.of())
                .repository("mirror", null, Map.of("github:repository", EVIL_TAG));

        RepositoryReport r = analyse(ACME, account, "mirror");

        assertThat(r.compliant()).isFalse();
        assertThat(codes(r)).contains(FindingCode.GITHUB_OWNER_NOT_ALLOWED, FindingCode.TRUST_SUB_WRONG_OWNER);
        // The witness of the exposure is a token of the outside owner, and the narrowing is left to a person.
        assertThat(r.findings()).filteredOn(f -> f.code() == FindingCode.TRUST_SUB_WRONG_OWNER)
                .allSatisfy(f -> assertThat(((Witness.Token) f.witness()).sub()).startsWith("repo:evil-org/evil-mirror:"));
        assertThat(r.fix().trust()).isInstanceOf(DocumentChange.NeedsHuman.class);
    }

    @Test
    void anOwnerTheDeployerAllowedIsBelieved() throws Exception {
        GuardConfig config = config(Set.of("acme-labs"));
        Snapshots account = Snapshots.account().repository("tool", null, Map.of("github:repository", "acme-labs/tool"));

        RepositoryReport r = analyse(config, account, "tool");

        assertThat(codes(r)).containsExactly(FindingCode.ROLE_MISSING);
        assertThat(r.fix().createRole()).hasValueSatisfying(c -> assertThat(c.trustPolicy()).contains("repo:acme-labs/tool:*"));
    }

    @Test
    void anotherCasingOfAnAllowedOwnerIsTheSameOwnerOnGitHub() throws Exception {
        RepositoryReport r = analyse(ACME, Snapshots.account().repository("tool", null, Map.of("github:repository", "ACME/tool")), "tool");

        assertThat(codes(r)).containsExactly(FindingCode.ROLE_MISSING);
        assertThat(r.fix().createRole()).hasValueSatisfying(c -> assertThat(c.trustPolicy()).contains("repo:ACME/tool:*"));
    }

    @Test
    void aLookAlikeOwnerIsNotAllowed() throws Exception {
        RepositoryReport r = analyse(ACME, Snapshots.account().repository("tool", null, Map.of("github:repository", "acme-evil/tool")), "tool");

        assertThat(codes(r)).contains(FindingCode.GITHUB_OWNER_NOT_ALLOWED);
        assertThat(r.fix().createRole()).isEmpty();
    }

    @Test
    void theAllowListIsReadFromTheEnvironmentAndValidated() throws Exception {
        GuardConfig config = GuardConfig.fromEnvironment(Map.of("GITHUB_ORG", "acme", "GITHUB_ALLOWED_OWNERS", " acme-labs, other "));
        assertThat(config.allowedOwners()).containsExactlyInAnyOrder("acme", "acme-labs", "other");
        assertThat(config.ownerAllowed("evil-org")).isFalse();

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> GuardConfig.fromEnvironment(Map.of("GITHUB_ORG", "acme",
                "GITHUB_ALLOWED_OWNERS", "acme/x"))).hasMessageContaining("GITHUB_ALLOWED_OWNERS names 'acme/x'");
    }
}
