package dev.ecroidcguard.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A small IAM policy evaluator written for the differential tests, independent of the project's analysis: it
 * reads policy JSON itself and matches wildcards with {@link java.util.regex}, never with the project's
 * automata. It decides one concrete request: Deny wins, else some Allow is needed (and, when a boundary is
 * given, an Allow of the boundary too).
 *
 * <p>Supported: Principal ({@code "*"}, AWS, Federated) and NotPrincipal, Action/NotAction and
 * Resource/NotResource with {@code *}/{@code ?} (actions case-insensitive), and single-valued condition keys
 * with String(Not)Equals, String(Not)EqualsIgnoreCase, String(Not)Like, Arn(Not)Like/Equals (never matching a
 * non-ARN value), (Not)IpAddress on IPv4 CIDR blocks, Null, the IfExists suffix, the ForAllValues/ForAnyValue qualifiers, and policy variables
 * {@code ${key}} / {@code ${key, 'default'}} / {@code ${*}}. A key missing from the request context is absent.
 * Any other operator makes {@link #evaluate} throw: the generators must not produce it.
 */
public final class IndependentIamEvaluator {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern ARN = Pattern.compile("arn:[^:]*:[^:]*:[^:]*:[^:]*:.*", Pattern.DOTALL);

    /** A request: who (principal type and value), what, on what, and the condition keys it carries (lower-case names). */
    public record Request(String principalType, String principal, String action, String resource, Map<String, String> context) {
    }

    private IndependentIamEvaluator() {
    }

    /** Is the request allowed by the policies (ORed Allows, any Deny wins), within the boundary if one is given? */
    public static boolean allows(List<String> policies, Optional<String> boundary, Request request) {
        boolean allowed = false;
        for (String p : policies) {
            Decision d = evaluate(p, request);
            if (d == Decision.DENY) {
                return false;
            }
            allowed |= d == Decision.ALLOW;
        }
        if (boundary.isPresent()) {
            Decision b = evaluate(boundary.get(), request);
            if (b != Decision.ALLOW) {
                return false;
            }
        }
        return allowed;
    }

    public enum Decision { ALLOW, DENY, NOT_APPLICABLE }

    public static Decision evaluate(String policy, Request request) {
        JsonNode root;
        try {
            root = JSON.readTree(policy);
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
        JsonNode statements = root.path("Statement");
        List<JsonNode> list = new ArrayList<>();
        if (statements.isArray()) {
            statements.forEach(list::add);
        } else {
            list.add(statements);
        }
        boolean allow = false;
        for (JsonNode s : list) {
            if (!matches(s, request)) {
                continue;
            }
            if (s.path("Effect").asText().equals("Deny")) {
                return Decision.DENY;
            }
            allow = true;
        }
        return allow ? Decision.ALLOW : Decision.NOT_APPLICABLE;
    }

    private static boolean matches(JsonNode s, Request r) {
        if (s.has("Principal") || s.has("NotPrincipal")) {
            boolean not = s.has("NotPrincipal");
            boolean listed = principalListed(s.path(not ? "NotPrincipal" : "Principal"), r);
            if (listed == not) {
                return false;
            }
        }
        if (s.has("Action") || s.has("NotAction")) {
            boolean not = s.has("NotAction");
            boolean listed = strings(s.path(not ? "NotAction" : "Action")).stream().anyMatch(p -> like(p.toLowerCase(Locale.ROOT),
                    r.action().toLowerCase(Locale.ROOT)));
            if (listed == not) {
                return false;
            }
        }
        if (s.has("Resource") || s.has("NotResource")) {
            boolean not = s.has("NotResource");
            boolean listed = strings(s.path(not ? "NotResource" : "Resource")).stream().anyMatch(p -> like(p, r.resource()));
            if (listed == not) {
                return false;
            }
        }
        JsonNode conditions = s.path("Condition");
        for (Iterator<Map.Entry<String, JsonNode>> ops = conditions.fields(); ops.hasNext(); ) {
            Map.Entry<String, JsonNode> op = ops.next();
            for (Iterator<Map.Entry<String, JsonNode>> keys = op.getValue().fields(); keys.hasNext(); ) {
                Map.Entry<String, JsonNode> key = keys.next();
                if (!condition(op.getKey(), key.getKey(), strings(key.getValue()), r.context())) {
                    return false;
                }
            }
        }
        return true;
    }

    private static boolean principalListed(JsonNode p, Request r) {
        if (p.isTextual()) {
            return p.asText().equals("*");
        }
        if (strings(p.path("AWS")).contains("*")) {
            return true;
        }
        return strings(p.path(r.principalType())).contains(r.principal());
    }

    static boolean condition(String operatorText, String key, List<String> values, Map<String, String> context) {
        String op = operatorText;
        String qualifier = "";
        int colon = op.indexOf(':');
        if (colon > 0) {
            qualifier = op.substring(0, colon).toLowerCase(Locale.ROOT);
            op = op.substring(colon + 1);
        }
        boolean ifExists = op.toLowerCase(Locale.ROOT).endsWith("ifexists");
        if (ifExists) {
            op = op.substring(0, op.length() - "IfExists".length());
        }
        String name = op.toLowerCase(Locale.ROOT);
        String value = context.get(key.toLowerCase(Locale.ROOT));
        if (name.equals("null")) {
            return values.stream().anyMatch(v -> v.equalsIgnoreCase(value == null ? "true" : "false"));
        }
        boolean negated = name.contains("not");
        if (value == null) {
            if (qualifier.equals("forallvalues")) {
                return true;
            }
            if (qualifier.equals("foranyvalue")) {
                return false;
            }
            return ifExists || negated;
        }
        boolean any = false;
        for (String raw : values) {
            Optional<String> v = substitute(raw, context, name.contains("like") || name.startsWith("arn"));
            if (v.isEmpty()) {
                continue;
            }
            String pattern = v.get();
            boolean m = switch (name) {
                case "stringequals", "stringnotequals" -> pattern.equals(value);
                case "stringequalsignorecase", "stringnotequalsignorecase" -> pattern.equalsIgnoreCase(value);
                case "stringlike", "stringnotlike" -> like(pattern, value);
                case "arnlike", "arnnotlike", "arnequals", "arnnotequals" -> ARN.matcher(value).matches() && like(pattern, value);
                case "ipaddress", "notipaddress" -> inIpv4Block(pattern, value);
                default -> throw new IllegalArgumentException("operator not supported by the independent evaluator: " + operatorText);
            };
            any |= m;
        }
        return negated != any;
    }

    /**
     * Substitutes policy variables; empty when a variable has no value and no default. For wildcard operators a
     * substituted value is quoted so that its own characters match literally ({@code ${*}} is a literal star).
     */
    static Optional<String> substitute(String raw, Map<String, String> context, boolean wildcardOperator) {
        StringBuilder out = new StringBuilder();
        int i = 0;
        while (i < raw.length()) {
            int open = raw.indexOf("${", i);
            int close = open < 0 ? -1 : raw.indexOf('}', open);
            if (open < 0 || close < 0) {
                out.append(raw.substring(i));
                break;
            }
            out.append(raw, i, open);
            String inner = raw.substring(open + 2, close);
            String replacement;
            if (inner.equals("*") || inner.equals("?") || inner.equals("$")) {
                replacement = inner;
            } else {
                String[] parts = inner.split(",", 2);
                String v = context.get(parts[0].strip().toLowerCase(Locale.ROOT));
                if (v == null && parts.length == 2) {
                    v = parts[1].strip().replaceAll("^'|'$", "");
                }
                if (v == null) {
                    return Optional.empty();
                }
                replacement = v;
            }
            out.append(wildcardOperator ? LITERAL_OPEN + replacement + LITERAL_CLOSE : replacement);
            i = close + 1;
        }
        return Optional.of(out.toString());
    }

    private static final String LITERAL_OPEN = "\u0001";
    private static final String LITERAL_CLOSE = "\u0002";

    /** IAM wildcard match by regular expression: {@code *} any run, {@code ?} one character, all else literal. */
    public static boolean like(String pattern, String value) {
        StringBuilder regex = new StringBuilder();
        boolean literal = false;
        for (int i = 0; i < pattern.length(); i++) {
            char c = pattern.charAt(i);
            if (c == LITERAL_OPEN.charAt(0)) {
                literal = true;
            } else if (c == LITERAL_CLOSE.charAt(0)) {
                literal = false;
            } else if (!literal && c == '*') {
                regex.append(".*");
            } else if (!literal && c == '?') {
                regex.append('.');
            } else {
                regex.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(regex.toString(), Pattern.DOTALL).matcher(value).matches();
    }

    /** Is {@code address} (dotted IPv4) in {@code block} ({@code a.b.c.d/n}, or one address)? Anything else is not in it. */
    static boolean inIpv4Block(String block, String address) {
        String[] parts = block.split("/", 2);
        int bits = parts.length == 2 ? Integer.parseInt(parts[1]) : 32;
        long mask = bits == 0 ? 0 : (0xFFFFFFFFL << (32 - bits)) & 0xFFFFFFFFL;
        Optional<Long> net = ipv4(parts[0]);
        Optional<Long> ip = ipv4(address);
        return net.isPresent() && ip.isPresent() && (net.get() & mask) == (ip.get() & mask);
    }

    private static Optional<Long> ipv4(String text) {
        String[] octets = text.split("\\.", -1);
        if (octets.length != 4) {
            return Optional.empty();
        }
        long value = 0;
        for (String octet : octets) {
            if (!octet.matches("[0-9]{1,3}") || Integer.parseInt(octet) > 255) {
                return Optional.empty();
            }
            value = value << 8 | Integer.parseInt(octet);
        }
        return Optional.of(value);
    }

    private static List<String> strings(JsonNode node) {
        List<String> out = new ArrayList<>();
        if (node.isArray()) {
            node.forEach(n -> out.add(n.asText()));
        } else if (!node.isMissingNode() && !node.isNull()) {
            out.add(node.asText());
        }
        return out;
    }
}
