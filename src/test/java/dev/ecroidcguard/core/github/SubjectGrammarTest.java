package dev.ecroidcguard.core.github;

import dev.ecroidcguard.core.github.SubjectGrammar.ClaimValues;
import dev.ecroidcguard.core.github.SubjectGrammar.Identities;
import dev.ecroidcguard.core.lang.Lang;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** What GitHub can mint (GitHub OIDC reference; catalogue §1.2). */
class SubjectGrammarTest {

    private static GitHubRepository repo(Map<String, String> tags) throws Exception {
        return GitHubRepository.fromTags("web-api", tags, "acme");
    }

    @Test
    void defaultTemplateSubjectsAreRepoThenContext() throws Exception {
        var subjects = SubjectGrammar.subjectsOf(repo(Map.of()), ClaimValues.ANY);
        assertThat(subjects.run("repo:acme/web-api:ref:refs/heads/main")).isTrue();
        assertThat(subjects.run("repo:acme/web-api:environment:prod")).isTrue();
        assertThat(subjects.run("repo:acme/web-api:pull_request")).isTrue();
        assertThat(subjects.run("repo:acme/web-api-evil:ref:refs/heads/main")).isFalse();
        assertThat(subjects.run("repo:acme/web-api:environment:prod:eu")).as("':' in a value is escaped").isFalse();
        assertThat(subjects.run("repo:acme/web-api:environment:prod%3Aeu")).isTrue();
    }

    @Test
    void immutableSubjectsCarryBothIds() throws Exception {
        var subjects = SubjectGrammar.subjectsOf(repo(Map.of("github:owner-id", "123", "github:repository-id", "456",
                "github:subject-format", "immutable")), ClaimValues.ANY);
        assertThat(subjects.run("repo:acme@123/web-api@456:ref:refs/heads/main")).isTrue();
        assertThat(subjects.run("repo:acme/web-api:ref:refs/heads/main")).isFalse();
    }

    @Test
    void customTemplatesChangeTheWholeSubject() throws Exception {
        var subjects = SubjectGrammar.subjectsOf(repo(Map.of("github:sub-claims", "repo,context,job_workflow_ref")), ClaimValues.ANY);
        assertThat(subjects.run("repo:acme/web-api:ref:refs/heads/main:job_workflow_ref:acme/wf/.github/workflows/d.yml@refs/heads/main")).isTrue();
        assertThat(subjects.run("repo:acme/web-api:ref:refs/heads/main")).isFalse();
    }

    @Test
    void anotherRepositoryMayAppendClaimsAfterItsContext() {
        // Why repo:acme@*/web-api@*:* is not confined: acme/other with branch x/web-api@y and a template that adds a claim.
        Identities acmeOther = Identities.product(Lang.lit("acme"), Lang.lit("other"), Lang.lit("1"), Lang.lit("2"));
        String sub = "repo:acme@1/other@2:ref:refs/heads/x/web-api@y:job_workflow_ref:acme/other/.github/workflows/a.yml@refs/heads/x";
        assertThat(acmeOther.anyTemplateSubjects(ClaimValues.ANY).run(sub)).isTrue();
        assertThat(dev.ecroidcguard.core.lang.Wildcards.matches("repo:acme@*/web-api@*:*", sub)).isTrue();
    }

    @Test
    void namesNeverContainTheDelimiters() {
        assertThat(SubjectGrammar.NAME.run("web-api")).isTrue();
        for (String bad : List.of("web:api", "web/api", "web@api", "")) {
            assertThat(SubjectGrammar.NAME.run(bad)).as(bad).isFalse();
        }
        assertThat(SubjectGrammar.NON_IDENTITY_SUBJECTS.run("repo:acme/web-api")).isFalse();
        assertThat(SubjectGrammar.NON_IDENTITY_SUBJECTS.run("environment:prod")).isTrue();
        assertThat(SubjectGrammar.NON_IDENTITY_SUBJECTS.run("job_workflow_ref:acme/wf/.github/workflows/d.yml@refs/heads/main")).isTrue();
    }

    @Test
    void onlyValuesGitHubCanIssue() {
        for (String owner : List.of("acme", "a", "acme-evil", "a1-b2-c3", "A".repeat(39))) {
            assertThat(SubjectGrammar.OWNER.run(owner)).as(owner).isTrue();
        }
        for (String owner : List.of("", "-acme", "acme-", "ac--me", "ac_me", "a.b", "A".repeat(40))) {
            assertThat(SubjectGrammar.OWNER.run(owner)).as(owner).isFalse();
        }
        assertThat(SubjectGrammar.NAME.run(".github")).isTrue();
        assertThat(SubjectGrammar.NAME.run(".")).isFalse();
        assertThat(SubjectGrammar.NAME.run("..")).isFalse();
        assertThat(SubjectGrammar.ID.run("456")).isTrue();
        assertThat(SubjectGrammar.ID.run("0")).isFalse();
        assertThat(SubjectGrammar.ID.run("0456")).isFalse();
        for (String ref : List.of("refs/heads/main", "refs/heads/feature/x-1", "refs/tags/v1.0.0", "refs/pull/12/merge", "refs/heads/a@b",
                "refs/heads/release/2026.11")) {
            assertThat(SubjectGrammar.REF.run(ref)).as(ref).isTrue();
        }
        for (String ref : List.of("main", "refs/heads/", "refs/heads/*", "refs/heads/a b", "refs/heads/a..b", "refs/heads/a//b", "refs/heads/a/",
                "refs/heads/.hidden", "refs/heads/x.lock", "refs/heads/a.", "refs/heads/@", "refs/heads/a@{1}", "refs/heads/a:b", "refs/heads/a?",
                "refs/heads/a~1", "refs/heads/a^", "refs/heads/a[1]", "refs/heads/a\\b", "refs/pull/x/merge", "refs/pull/1/head", "refs/remotes/o/m")) {
            assertThat(SubjectGrammar.REF.run(ref)).as(ref).isFalse();
        }
        assertThat(SubjectGrammar.values("environment").run("")).isFalse();
        assertThat(SubjectGrammar.values("environment").run("prod:eu")).isTrue();
        assertThat(SubjectGrammar.values("head_ref").run("")).as("sent empty outside pull requests").isTrue();
    }

    @Test
    void theContextFollowsTheRefAndEnvironmentClaims() {
        ClaimValues devOnly = new ClaimValues(Map.of("ref", Lang.lit("refs/heads/dev")), true);
        assertThat(devOnly.context().run("ref:refs/heads/dev")).isTrue();
        assertThat(devOnly.context().run("ref:refs/heads/main")).isFalse();
        assertThat(devOnly.context().run("pull_request")).as("pull_request_target on base dev").isTrue();
        assertThat(devOnly.context().run("environment:prod")).isTrue();
        ClaimValues tag = new ClaimValues(Map.of("ref", Lang.lit("refs/tags/v1")), true);
        assertThat(tag.context().run("pull_request")).as("no pull request runs on a tag").isFalse();
        ClaimValues prodOnly = new ClaimValues(Map.of("environment", Lang.lit("prod:eu")), false);
        assertThat(prodOnly.context().run("environment:prod%3Aeu")).isTrue();
        assertThat(prodOnly.context().run("ref:refs/heads/main")).as("a job with an environment has the environment context").isFalse();
        assertThat(prodOnly.context().run("pull_request")).isFalse();
    }

    @Test
    void claimsOfASubjectSplitUniquely() {
        assertThat(SubjectGrammar.claimsOf("repo:acme/web-api:environment:prod%3Aeu:pull_request:ref:refs/heads/main"))
                .containsExactly(Map.entry("repo", "acme/web-api"), Map.entry("environment", "prod%3Aeu"), Map.entry("pull_request", ""),
                        Map.entry("ref", "refs/heads/main"));
    }

    @Test
    void invalidTagsAreRejectedWithTheTagName() {
        for (Map<String, String> tags : List.of(Map.of("github:repository", "no-slash"), Map.of("github:owner-id", "12a"),
                Map.of("github:subject-format", "immutable"), Map.of("github:sub-claims", "repo,bogus"))) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> repo(tags)).isInstanceOf(GitHubRepository.InvalidTagException.class)
                    .hasMessageContaining("github:");
        }
    }
}
