package dev.ecroidcguard.core.github;

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
        var subjects = SubjectGrammar.subjectsOf(repo(Map.of()));
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
                "github:subject-format", "immutable")));
        assertThat(subjects.run("repo:acme@123/web-api@456:ref:refs/heads/main")).isTrue();
        assertThat(subjects.run("repo:acme/web-api:ref:refs/heads/main")).isFalse();
    }

    @Test
    void customTemplatesChangeTheWholeSubject() throws Exception {
        var subjects = SubjectGrammar.subjectsOf(repo(Map.of("github:sub-claims", "repo,context,job_workflow_ref")));
        assertThat(subjects.run("repo:acme/web-api:ref:refs/heads/main:job_workflow_ref:acme/wf/.github/workflows/d.yml@refs/heads/main")).isTrue();
        assertThat(subjects.run("repo:acme/web-api:ref:refs/heads/main")).isFalse();
    }

    @Test
    void anotherRepositoryMayAppendClaimsAfterItsContext() {
        // Why repo:acme@*/web-api@*:* is not confined: acme/other with branch x/web-api@y and a template that adds a claim.
        Identities acmeOther = Identities.product(Lang.lit("acme"), Lang.lit("other"), Lang.lit("1"), Lang.lit("2"));
        String sub = "repo:acme@1/other@2:ref:refs/heads/x/web-api@y:job_workflow_ref:acme/other/.github/workflows/a.yml@refs/heads/x";
        assertThat(acmeOther.anyTemplateSubjects().run(sub)).isTrue();
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
    void invalidTagsAreRejectedWithTheTagName() {
        for (Map<String, String> tags : List.of(Map.of("github:repository", "no-slash"), Map.of("github:owner-id", "12a"),
                Map.of("github:subject-format", "immutable"), Map.of("github:sub-claims", "repo,bogus"))) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> repo(tags)).isInstanceOf(GitHubRepository.InvalidTagException.class)
                    .hasMessageContaining("github:");
        }
    }
}
