package dev.ecroidcguard.lambda;

import dev.ecroidcguard.aws.CallsMade;
import dev.ecroidcguard.aws.CloudFormationOwnership;
import dev.ecroidcguard.aws.MotoServer;
import dev.ecroidcguard.aws.StackIndexOwnership;
import dev.ecroidcguard.testing.RunsLast;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Permissions from use: the calls the production code made in the moto integration tests of this run
 * ({@link CallsMade}) against what template.yaml's role grants at its widest (remediate mode, every class).
 * A call the role does not grant fails; so does a grant no test exercised. Runs after the other test classes
 * ({@link RunsLast}); the second check needs every moto test class to have run in this JVM (the full suite).
 */
@RunsLast
class PermissionsFromUseTest {

    /** Calls that need no permission: GetCallerIdentity cannot be denied. */
    static final Set<String> NEED_NO_PERMISSION = Set.of("sts:GetCallerIdentity");
    /**
     * The ownership lookup the moto tests use instead of the deployed one: moto cannot look a stack resource up by
     * physical id (DescribeStackResources), so they select {@link StackIndexOwnership} (OWNERSHIP_LOOKUP=stack-index,
     * for emulators only; a deployment uses {@link CloudFormationOwnership}, whose fake-client test is
     * CloudFormationOwnershipTest). Its calls stand in for the deployed lookup's grant.
     */
    static final String EMULATOR_ONLY_CALLER = StackIndexOwnership.class.getSimpleName();
    static final Set<String> STANDS_IN_FOR = CloudFormationOwnership.REQUIRED_PERMISSIONS;

    private static Map<String, Set<String>> recorded() {
        Map<String, Set<String>> calls = CallsMade.RECORDER.calls();
        Assumptions.assumeFalse(calls.isEmpty(), "no moto integration test ran in this JVM: nothing to compare");
        return calls;
    }

    @Test
    void everyCallTheCodeMadeIsGrantedByTheTemplate() throws Exception {
        Set<String> granted = TemplateTest.actions(TemplateTest.WIDEST);
        Map<String, Set<String>> ungranted = new TreeMap<>();
        recorded().forEach((action, callers) -> {
            Set<String> production = new TreeSet<>(callers);
            production.remove(EMULATOR_ONLY_CALLER);
            if (!production.isEmpty() && !granted.contains(action) && !NEED_NO_PERMISSION.contains(action)) {
                ungranted.put(action, production);
            }
        });
        assertThat(ungranted).as("calls made (by these classes) that template.yaml's role does not grant").isEmpty();
    }

    @Test
    void everyGrantOfTheTemplateWasExercised() throws Exception {
        Set<String> missing = motoTestClasses().stream().filter(c -> !CallsMade.RECORDER.testClassesServed().contains(c))
                .collect(Collectors.toCollection(TreeSet::new));
        Assumptions.assumeTrue(missing.isEmpty(), "only with every moto test class in the run; not run here: " + missing);
        Map<String, Set<String>> calls = recorded();

        Set<String> exercised = new TreeSet<>(calls.keySet());
        assertThat(calls).as("the emulator's ownership lookup ran, standing in for the deployed one")
                .anySatisfy((action, callers) -> assertThat(callers).contains(EMULATOR_ONLY_CALLER));
        exercised.addAll(STANDS_IN_FOR);
        Set<String> unexercised = new TreeSet<>(TemplateTest.actions(TemplateTest.WIDEST));
        unexercised.removeAll(TemplateTest.PLATFORM);
        unexercised.removeAll(TemplateTest.EVENT_SOURCE_MAPPING);
        unexercised.removeAll(exercised);
        assertThat(unexercised).as("granted by template.yaml, but no moto test made the call").isEmpty();
    }

    /** The test classes that use the moto server, from the compiled test classes. */
    static Set<String> motoTestClasses() throws IOException {
        Path root = Path.of("target", "test-classes");
        try (Stream<Path> files = Files.walk(root)) {
            return files.map(root::relativize).map(Path::toString).filter(f -> f.endsWith("Test.class"))
                    .map(f -> f.substring(0, f.length() - ".class".length()).replace('/', '.'))
                    .filter(PermissionsFromUseTest::usesMoto)
                    .collect(Collectors.toCollection(TreeSet::new));
        }
    }

    private static boolean usesMoto(String className) {
        try {
            ExtendWith extensions = Class.forName(className, false, PermissionsFromUseTest.class.getClassLoader()).getAnnotation(ExtendWith.class);
            return extensions != null && Arrays.asList(extensions.value()).contains(MotoServer.class);
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException(e);
        }
    }
}
