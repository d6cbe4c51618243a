package dev.ecroidcguard.lambda;

import dev.ecroidcguard.cli.CloudFormationYaml.Intrinsic;
import dev.ecroidcguard.core.GuardConfig;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What a first `sam build` and `sam deploy --guided` get from template.yaml, the Makefile and samconfig.toml. */
class TemplateDeployTest {

    @SuppressWarnings("unchecked")
    static Map<String, Object> parameter(String name) throws Exception {
        return (Map<String, Object>) ((Map<String, Object>) TemplateTest.template().get("Parameters")).get(name);
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> function() throws Exception {
        return (Map<String, Object>) ((Map<String, Object>) TemplateTest.template().get("Resources")).get("ScanFunction");
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> variables() throws Exception {
        return (Map<String, Object>) ((Map<String, Object>) ((Map<String, Object>) function().get("Properties")).get("Environment")).get("Variables");
    }

    @Test
    void aFirstDeployOnlyReports() throws Exception {
        assertThat(parameter("Mode").get("Default")).isEqualTo("report");
        assertThat(variables()).containsEntry("MODE", new Intrinsic("Ref", "Mode"));
    }

    /** The parameter's pattern admits exactly the lists GuardConfig accepts (so a bad list fails at deploy, not at run time). */
    @Test
    void gitHubAllowedOwnersReachesTheFunctionAndIsValidatedLikeTheCode() throws Exception {
        Map<String, Object> allowed = parameter("GitHubAllowedOwners");
        assertThat(allowed.get("Default")).isEqualTo("");
        assertThat(variables()).containsEntry("GITHUB_ALLOWED_OWNERS", new Intrinsic("Ref", "GitHubAllowedOwners"));
        String pattern = (String) allowed.get("AllowedPattern");
        for (String ok : List.of("", "AcmeCorp", "AcmeCorp,acme-labs", "a,b-c,D9")) {
            assertThat(ok).matches(pattern);
            assertThat(GuardConfig.fromEnvironment(Map.of("GITHUB_ORG", "Acme", "GITHUB_ALLOWED_OWNERS", ok)).allowedOwners()).contains("Acme");
        }
        for (String bad : List.of("acme/web", "-acme", "acme corp", "a,,b", "acme,")) {
            assertThat(bad).doesNotMatch(pattern);
        }
        assertThatThrownBy(() -> GuardConfig.fromEnvironment(Map.of("GITHUB_ORG", "Acme", "GITHUB_ALLOWED_OWNERS", "acme/web")))
                .isInstanceOf(GuardConfig.ConfigException.class);
    }

    /** sam build runs the Makefile's targets in the checkout (no copy of .tools/, no tests), which copy the packages the build laid out. */
    @Test
    @SuppressWarnings("unchecked")
    void samBuildsWithTheMakefileInTheCheckout() throws Exception {
        assertThat((Map<String, Object>) function().get("Metadata")).containsEntry("BuildMethod", "makefile");
        assertThat(((Map<String, Object>) function().get("Properties")).get("CodeUri")).isEqualTo(".");
        String makefile = Files.readString(Path.of("Makefile"));
        assertThat(makefile).contains("build-ScanFunction build-OrganizationFunction:").contains("scripts/build").contains("$(ARTIFACTS_DIR)/lib")
                .contains("target/package/");
        assertThat(Files.readString(Path.of("scripts/build"))).contains("-DskipTests");
        assertThat(Files.readString(Path.of("samconfig.toml"))).contains("[default.build.parameters]").contains("build_in_source = true");
    }
}
