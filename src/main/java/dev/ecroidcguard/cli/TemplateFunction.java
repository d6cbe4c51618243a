package dev.ecroidcguard.cli;

import dev.ecroidcguard.cli.CloudFormationYaml.Intrinsic;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A function of a SAM template as {@code sam local invoke} sees it: handler, memory, timeout, log format and
 * environment, with the template's Globals applied. Environment values that are parameters take the
 * parameter's default; a reference to a resource (e.g. the SNS topic) has no local value and is listed in
 * {@code unresolved} so the caller can ask for an override.
 */
public record TemplateFunction(String logicalId, String handler, int memoryMb, int timeoutSeconds, String logFormat,
                               Map<String, String> environment, List<String> unresolved) {

    static final String ACCOUNT_ID = "123456789012";

    @SuppressWarnings("unchecked")
    public static TemplateFunction read(Map<String, Object> template, String logicalId, String region) {
        Map<String, Object> resources = map(template.get("Resources"));
        Map<String, Object> resource = map(resources.get(logicalId));
        if (!"AWS::Serverless::Function".equals(resource.get("Type"))) {
            List<String> functions = resources.entrySet().stream()
                    .filter(e -> "AWS::Serverless::Function".equals(map(e.getValue()).get("Type"))).map(Map.Entry::getKey).toList();
            throw new IllegalArgumentException("no AWS::Serverless::Function '" + logicalId + "' in the template; functions: " + functions);
        }
        Map<String, Object> globals = map(map(template.get("Globals")).get("Function"));
        Map<String, Object> properties = new LinkedHashMap<>(globals);
        properties.putAll(map(resource.get("Properties")));
        Object handler = properties.get("Handler");
        if (!(handler instanceof String h)) {
            throw new IllegalArgumentException(logicalId + " has no literal Handler");
        }
        Map<String, Object> parameters = map(template.get("Parameters"));
        Map<String, Object> variables = new LinkedHashMap<>(map(map(globals.get("Environment")).get("Variables")));
        variables.putAll(map(map(map(resource.get("Properties")).get("Environment")).get("Variables")));
        Map<String, String> environment = new LinkedHashMap<>();
        List<String> unresolved = new ArrayList<>();
        variables.forEach((name, value) -> resolve(value, parameters, region).ifPresentOrElse(
                v -> environment.put(name, v), () -> unresolved.add(name + " (" + value + ")")));
        Object logFormat = map(properties.get("LoggingConfig")).getOrDefault("LogFormat", "Text");
        return new TemplateFunction(logicalId, h, integer(properties.get("MemorySize"), 128), integer(properties.get("Timeout"), 3),
                String.valueOf(logFormat), environment, unresolved);
    }

    /** A literal, a Ref to a parameter with a default, or a pseudo parameter; anything else has no local value. */
    private static Optional<String> resolve(Object value, Map<String, Object> parameters, String region) {
        Optional<Intrinsic> intrinsic = Intrinsic.of(value);
        if (intrinsic.isEmpty()) {
            return value instanceof Map || value instanceof List || value == null ? Optional.empty() : Optional.of(String.valueOf(value));
        }
        if (!intrinsic.get().function().equals("Ref") || !(intrinsic.get().argument() instanceof String name)) {
            return Optional.empty();
        }
        return switch (name) {
            case "AWS::Region" -> Optional.of(region);
            case "AWS::Partition" -> Optional.of("aws");
            case "AWS::AccountId" -> Optional.of(ACCOUNT_ID);
            default -> Optional.ofNullable(map(parameters.get(name)).get("Default")).map(String::valueOf);
        };
    }

    private static int integer(Object value, int fallback) {
        return value instanceof Number n ? n.intValue() : fallback;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value) {
        return value instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    }
}
