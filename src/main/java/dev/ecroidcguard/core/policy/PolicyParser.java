package dev.ecroidcguard.core.policy;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Parses policy text into {@link PolicyDocument}. Strict where IAM is strict, and stricter where a lenient
 * parse would hide something: duplicate keys are rejected (AWS silently keeps one of them, so the document
 * does not mean what it says), as are unknown condition operators and wrongly typed elements.
 */
final class PolicyParser {

    /** IAM's largest policy is 10,240 characters (inline, role); anything far above is not a real policy. */
    static final int MAX_DOCUMENT_CHARS = 131_072;
    private static final int MAX_NESTING = 32;

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .disable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .build();

    static {
        MAPPER.getFactory().setStreamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_NESTING).build());
    }

    private PolicyParser() {
    }

    static PolicyDocument parse(String text) throws PolicyParseException {
        if (text == null || text.isBlank()) {
            throw new PolicyParseException("policy document is empty");
        }
        if (text.length() > MAX_DOCUMENT_CHARS) {
            throw new PolicyParseException("policy document is " + text.length() + " characters; IAM and ECR policies are at most "
                    + "10,240, so it was not evaluated");
        }
        JsonNode root;
        try {
            root = MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            throw new PolicyParseException("policy document is not valid JSON: " + oneLine(e.getOriginalMessage()));
        }
        if (root == null || !root.isObject()) {
            throw new PolicyParseException("policy document must be a JSON object");
        }
        JsonNode statementNode = field(root, "Statement");
        if (statementNode == null) {
            throw new PolicyParseException("policy document has no Statement element");
        }
        List<JsonNode> statementNodes = new ArrayList<>();
        if (statementNode.isArray()) {
            statementNode.forEach(statementNodes::add);
        } else if (statementNode.isObject()) {
            statementNodes.add(statementNode);
        } else {
            throw new PolicyParseException("Statement must be an object or an array of objects");
        }
        List<Statement> statements = new ArrayList<>();
        for (int i = 0; i < statementNodes.size(); i++) {
            statements.add(statement(statementNodes.get(i), i));
        }
        return new PolicyDocument(statements, text);
    }

    private static Statement statement(JsonNode node, int index) throws PolicyParseException {
        String where = "statement #" + (index + 1);
        if (!node.isObject()) {
            throw new PolicyParseException(where + " is not a JSON object");
        }
        Optional<String> sid = Optional.ofNullable(field(node, "Sid")).filter(JsonNode::isTextual).map(JsonNode::asText);
        JsonNode effectNode = field(node, "Effect");
        if (effectNode == null || !effectNode.isTextual()) {
            throw new PolicyParseException(where + " has no Effect");
        }
        Effect effect = switch (effectNode.asText()) {
            case "Allow" -> Effect.ALLOW;
            case "Deny" -> Effect.DENY;
            default -> throw new PolicyParseException(where + " has Effect '" + effectNode.asText() + "' (must be Allow or Deny)");
        };
        JsonNode principal = field(node, "Principal");
        JsonNode notPrincipal = field(node, "NotPrincipal");
        if (principal != null && notPrincipal != null) {
            throw new PolicyParseException(where + " has both Principal and NotPrincipal");
        }
        Optional<Principals> principals = Optional.empty();
        if (principal != null || notPrincipal != null) {
            principals = Optional.of(principals(principal != null ? principal : notPrincipal, where));
        }
        JsonNode action = field(node, "Action");
        JsonNode notAction = field(node, "NotAction");
        if (action != null && notAction != null) {
            throw new PolicyParseException(where + " has both Action and NotAction");
        }
        if (action == null && notAction == null) {
            throw new PolicyParseException(where + " has neither Action nor NotAction");
        }
        JsonNode resource = field(node, "Resource");
        JsonNode notResource = field(node, "NotResource");
        if (resource != null && notResource != null) {
            throw new PolicyParseException(where + " has both Resource and NotResource");
        }
        List<String> actions = strings(action != null ? action : notAction, where + " Action");
        List<String> resources = resource == null && notResource == null
                ? List.of()
                : strings(resource != null ? resource : notResource, where + " Resource");
        return new Statement(sid, effect, principals, notPrincipal != null, actions, notAction != null, resources,
                notResource != null, conditions(field(node, "Condition"), where));
    }

    private static Principals principals(JsonNode node, String where) throws PolicyParseException {
        if (node.isTextual()) {
            if (!node.asText().equals("*")) {
                throw new PolicyParseException(where + " Principal must be \"*\" or an object");
            }
            return new Principals(true, Map.of());
        }
        if (!node.isObject()) {
            throw new PolicyParseException(where + " Principal must be \"*\" or an object");
        }
        Map<String, List<String>> byType = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : node.properties()) {
            byType.put(e.getKey(), strings(e.getValue(), where + " Principal " + e.getKey()));
        }
        return new Principals(false, byType);
    }

    private static List<Condition> conditions(JsonNode node, String where) throws PolicyParseException {
        if (node == null) {
            return List.of();
        }
        if (!node.isObject()) {
            throw new PolicyParseException(where + " Condition must be an object");
        }
        List<Condition> out = new ArrayList<>();
        for (Map.Entry<String, JsonNode> block : node.properties()) {
            String operatorText = block.getKey();
            String rest = operatorText;
            Condition.SetQualifier qualifier = Condition.SetQualifier.NONE;
            int colon = rest.indexOf(':');
            if (colon >= 0) {
                String prefix = rest.substring(0, colon).toLowerCase(Locale.ROOT);
                qualifier = switch (prefix) {
                    case "forallvalues" -> Condition.SetQualifier.FOR_ALL_VALUES;
                    case "foranyvalue" -> Condition.SetQualifier.FOR_ANY_VALUE;
                    default -> throw new PolicyParseException(where + " has unknown condition operator '" + operatorText + "'");
                };
                rest = rest.substring(colon + 1);
            }
            boolean ifExists = rest.length() > "IfExists".length() && rest.toLowerCase(Locale.ROOT).endsWith("ifexists");
            String base = ifExists ? rest.substring(0, rest.length() - "IfExists".length()) : rest;
            ConditionOperator operator = ConditionOperator.byName(base).orElseThrow(() ->
                    new PolicyParseException(where + " has unknown condition operator '" + operatorText + "'"));
            if (operator == ConditionOperator.Null && ifExists) {
                throw new PolicyParseException(where + " uses NullIfExists, which IAM does not accept");
            }
            if (!block.getValue().isObject()) {
                throw new PolicyParseException(where + " condition '" + operatorText + "' must map keys to values");
            }
            for (Map.Entry<String, JsonNode> test : block.getValue().properties()) {
                out.add(new Condition(operatorText, operator, qualifier, ifExists, test.getKey(),
                        strings(test.getValue(), where + " condition " + operatorText + " " + test.getKey())));
            }
        }
        return out;
    }

    /** A string, number or boolean, or an array of them; IAM compares them all as strings. */
    private static List<String> strings(JsonNode node, String where) throws PolicyParseException {
        List<String> out = new ArrayList<>();
        if (node.isArray()) {
            if (node.isEmpty()) {
                throw new PolicyParseException(where + " is an empty list");
            }
            for (JsonNode item : node) {
                out.add(scalar(item, where));
            }
        } else {
            out.add(scalar(node, where));
        }
        return out;
    }

    private static String scalar(JsonNode node, String where) throws PolicyParseException {
        if (node.isTextual() || node.isNumber() || node.isBoolean()) {
            return node.asText();
        }
        throw new PolicyParseException(where + " must be a string or a list of strings");
    }

    /** Policy element names are case-sensitive in IAM; we accept only the documented spelling. */
    private static JsonNode field(JsonNode node, String name) {
        return node.get(name);
    }

    private static String oneLine(String s) {
        return s == null ? "unknown error" : s.replaceAll("\\s+", " ").trim();
    }
}
