package dev.ecroidcguard;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** The analysis core is pure: no AWS SDK (v2 or v1, including the Lambda libraries) anywhere under core. */
class ArchitectureTest {

    private static final Path CORE = Path.of("src/main/java/dev/ecroidcguard/core");
    /** An import, static or not, of either SDK, or a fully qualified use of one in code. */
    private static final Pattern AWS_SDK = Pattern.compile("\\b(software\\.amazon\\.awssdk|com\\.amazonaws)\\b");

    @Test
    void no_core_source_file_uses_the_aws_sdk() throws IOException {
        List<Path> sources;
        try (Stream<Path> files = Files.walk(CORE)) {
            sources = files.filter(p -> p.toString().endsWith(".java")).toList();
        }
        assertThat(sources).as("core sources found under %s", CORE.toAbsolutePath()).hasSizeGreaterThan(50);

        List<String> violations = new ArrayList<>();
        for (Path source : sources) {
            List<String> lines = Files.readAllLines(source);
            for (int i = 0; i < lines.size(); i++) {
                String code = withoutComment(lines.get(i));
                Matcher m = AWS_SDK.matcher(code);
                if (m.find()) {
                    violations.add(CORE.relativize(source) + ":" + (i + 1) + ": " + lines.get(i).strip());
                }
            }
        }
        assertThat(violations).as("AWS SDK use in the analysis core").isEmpty();
    }

    @Test
    void the_scan_would_see_an_sdk_import() {
        assertThat(AWS_SDK.matcher(withoutComment("import software.amazon.awssdk.services.iam.IamClient;")).find()).isTrue();
        assertThat(AWS_SDK.matcher(withoutComment("import static com.amazonaws.services.lambda.runtime.Context.x;")).find()).isTrue();
        assertThat(AWS_SDK.matcher(withoutComment("  var c = software.amazon.awssdk.regions.Region.US_EAST_1;")).find()).isTrue();
        assertThat(AWS_SDK.matcher(withoutComment("// unlike software.amazon.awssdk we read snapshots")).find()).isFalse();
        assertThat(AWS_SDK.matcher(withoutComment(" * see {@code com.amazonaws} for the adapters")).find()).isFalse();
    }

    /** Drops line comments and Javadoc/block-comment continuation lines, which may mention the SDK by name. */
    private static String withoutComment(String line) {
        String stripped = line.strip();
        if (stripped.startsWith("*") || stripped.startsWith("/*")) {
            return "";
        }
        int comment = line.indexOf("//");
        return comment >= 0 ? line.substring(0, comment) : line;
    }
}
