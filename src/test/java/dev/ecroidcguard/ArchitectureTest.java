package dev.ecroidcguard;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.library.Architectures;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The layering the README's Layout section describes, checked on the compiled main classes: the analysis core
 * depends on nothing of ours and on no AWS SDK; ports name what the application needs; remediation, the AWS
 * adapters and the application build on core and ports; only the entry points (lambda, cli) see everything, and
 * nobody depends on them. No cycles between the top-level packages.
 */
class ArchitectureTest {

    private static final JavaClasses MAIN = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.ecroidcguard");

    @Test
    void theMainClassesWereImported() {
        assertThat(MAIN.that(resideInAPackage("dev.ecroidcguard.core.."))).hasSizeGreaterThan(50);
        assertThat(MAIN.that(resideInAPackage("dev.ecroidcguard.ports.."))).hasSizeGreaterThan(5);
    }

    @Test
    void eachLayerUsesOnlyTheLayersBelowIt() {
        ArchRule layers = Architectures.layeredArchitecture().consideringOnlyDependenciesInLayers()
                .layer("core").definedBy("dev.ecroidcguard.core..")
                .layer("ports").definedBy("dev.ecroidcguard.ports..")
                .layer("remediation").definedBy("dev.ecroidcguard.remediation..")
                .layer("adapters").definedBy("dev.ecroidcguard.aws..")
                .layer("application").definedBy("dev.ecroidcguard.application..")
                .layer("entry points").definedBy("dev.ecroidcguard.lambda..", "dev.ecroidcguard.cli..")
                .whereLayer("entry points").mayNotBeAccessedByAnyLayer()
                .whereLayer("application").mayOnlyBeAccessedByLayers("entry points")
                .whereLayer("adapters").mayOnlyBeAccessedByLayers("entry points")
                .whereLayer("remediation").mayOnlyBeAccessedByLayers("application", "entry points")
                .whereLayer("ports").mayOnlyBeAccessedByLayers("remediation", "adapters", "application", "entry points")
                .whereLayer("core").mayOnlyBeAccessedByLayers("ports", "remediation", "adapters", "application", "entry points");
        layers.check(MAIN);
    }

    @Test
    void theCoreUsesNoAwsSdk() {
        noClasses().that().resideInAPackage("dev.ecroidcguard.core..")
                .should().dependOnClassesThat().resideInAnyPackage("software.amazon.awssdk..", "com.amazonaws..")
                .check(MAIN);
    }

    @Test
    void theApplicationAndThePortsUseNoAwsSdkEither() {
        noClasses().that().resideInAnyPackage("dev.ecroidcguard.ports..", "dev.ecroidcguard.application..")
                .should().dependOnClassesThat().resideInAnyPackage("software.amazon.awssdk..", "com.amazonaws..")
                .check(MAIN);
    }

    @Test
    void thePackagesHaveNoCycles() {
        slices().matching("dev.ecroidcguard.(*)..").should().beFreeOfCycles().check(MAIN);
    }
}
