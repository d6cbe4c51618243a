package dev.ecroidcguard.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code ecr-oidc-guard invoke FUNCTION EVENT [--env-vars FILE] [--template FILE] [KEY=VALUE ...]}: a Docker-free
 * {@code sam local invoke}. The function's handler and environment come from the template; values are
 * overridden, later winning, by the process environment (for variables the template declares), the env-vars
 * file ({@code Parameters} for every function, then the function's own section, as sam's {@code --env-vars})
 * and KEY=VALUE arguments. AWS_* variables of the process (credentials, AWS_ENDPOINT_URL) pass through.
 * Unlike sam, keys the template does not declare are passed too, so an env-vars file can point the SDK at an
 * emulator. Function logs go to stderr, the response to stdout.
 */
final class InvokeCommand {

    static final String USAGE = "ecr-oidc-guard invoke FUNCTION_LOGICAL_ID EVENT.json [--env-vars FILE] [--template FILE] [KEY=VALUE ...]";
    static final int RETURNED = 0;
    static final int FUNCTION_FAILED = 1;
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private InvokeCommand() {
    }

    static int run(List<String> args, Map<String, String> processEnv, PrintStream out, PrintStream err) {
        if (args.size() < 2) {
            err.println("usage: " + USAGE);
            return Main.BAD_INPUT;
        }
        String logicalId = args.get(0);
        Path eventFile = Path.of(args.get(1));
        Path template = Path.of("template.yaml");
        Path envVars = null;
        Map<String, String> assignments = new LinkedHashMap<>();
        for (int i = 2; i < args.size(); i++) {
            String arg = args.get(i);
            if ((arg.equals("--env-vars") || arg.equals("--template")) && i + 1 < args.size()) {
                Path value = Path.of(args.get(++i));
                if (arg.equals("--env-vars")) {
                    envVars = value;
                } else {
                    template = value;
                }
            } else if (arg.matches("[A-Za-z_][A-Za-z0-9_]*=.*")) {
                assignments.put(arg.substring(0, arg.indexOf('=')), arg.substring(arg.indexOf('=') + 1));
            } else {
                err.println("ecr-oidc-guard invoke: unexpected argument '" + arg + "'\nusage: " + USAGE);
                return Main.BAD_INPUT;
            }
        }
        String region = processEnv.getOrDefault("AWS_REGION", processEnv.getOrDefault("AWS_DEFAULT_REGION", "us-east-1"));
        TemplateFunction function;
        byte[] event;
        Map<String, String> environment = new LinkedHashMap<>();
        try {
            function = TemplateFunction.read(CloudFormationYaml.parse(Files.readString(template)), logicalId, region);
            event = Files.readAllBytes(eventFile);
            MAPPER.readTree(event); // a typo in the event file is the caller's error, not the function's
            processEnv.forEach((k, v) -> {
                if (k.startsWith("AWS_")) {
                    environment.put(k, v);
                }
            });
            function.environment().forEach((k, v) -> environment.put(k, processEnv.getOrDefault(k, v)));
            if (envVars != null) {
                JsonNode file = MAPPER.readTree(envVars.toFile());
                putAll(environment, file.path("Parameters"));
                putAll(environment, file.path(logicalId));
            }
            environment.putAll(assignments);
        } catch (NoSuchFileException e) {
            err.println("ecr-oidc-guard invoke: no such file: " + e.getFile());
            return Main.BAD_INPUT;
        } catch (IOException | RuntimeException e) {
            err.println("ecr-oidc-guard invoke: " + e.getMessage());
            return Main.BAD_INPUT;
        }
        for (String missing : function.unresolved()) {
            if (!environment.containsKey(missing.substring(0, missing.indexOf(' ')))) {
                err.println("ecr-oidc-guard invoke: note: " + missing + " has no local value; set it with --env-vars or KEY=VALUE");
            }
        }
        try {
            LocalInvoke.Outcome outcome = LocalInvoke.invoke(new LocalInvoke.Function(logicalId, function.handler(), function.memoryMb(),
                    Duration.ofSeconds(function.timeoutSeconds()), environment.getOrDefault("AWS_REGION", region),
                    withLogFormat(environment, function), functionClasspath(logicalId, environment)), event, err);
            out.println(outcome.body());
            return outcome.error() ? FUNCTION_FAILED : RETURNED;
        } catch (IOException e) {
            err.println("ecr-oidc-guard invoke: " + e.getMessage());
            return Main.BAD_INPUT;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Main.BAD_INPUT;
        }
    }

    private static Map<String, String> withLogFormat(Map<String, String> environment, TemplateFunction function) {
        Map<String, String> env = new LinkedHashMap<>(environment);
        env.put("AWS_LAMBDA_LOG_FORMAT", function.logFormat().toUpperCase(java.util.Locale.ROOT));
        return env;
    }

    private static void putAll(Map<String, String> environment, JsonNode section) {
        section.properties().forEach(e -> environment.put(e.getKey(), e.getValue().asText()));
    }

    /**
     * What the function sees in Lambda, plus the runtime (target/lambda-runtime: the runtime client, /var/runtime
     * there). From the built jar: the function's package and its layers ({@link LocalInvoke#packageClasspath}). From
     * target/classes (tests, an IDE): target/lib, every dependency unshrunk.
     */
    private static List<String> functionClasspath(String logicalId, Map<String, String> environment) throws IOException {
        Path code;
        try {
            code = Path.of(InvokeCommand.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IOException(e);
        }
        Path target = code.getParent();
        List<String> classpath = new ArrayList<>();
        if (Files.isDirectory(code)) {
            classpath.add(code.toString());
            classpath.add(target.resolve("lib") + "/*");
        } else {
            classpath.addAll(LocalInvoke.packageClasspath(target.resolve("package"), logicalId, environment));
        }
        if (!Files.isDirectory(target.resolve("lambda-runtime"))) {
            throw new IOException(target.resolve("lambda-runtime") + " is missing; run scripts/build");
        }
        classpath.add(target.resolve("lambda-runtime") + "/*");
        return classpath;
    }
}
