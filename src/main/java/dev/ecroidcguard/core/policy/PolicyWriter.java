package dev.ecroidcguard.core.policy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Writes statements back to policy JSON (for fix plans), in IAM's element order, lists collapsed when single. */
public final class PolicyWriter {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private PolicyWriter() {
    }

    public static String write(List<Statement> statements) {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("Version", "2012-10-17");
        ArrayNode array = root.putArray("Statement");
        for (Statement s : statements) {
            array.add(statement(s));
        }
        return root.toString();
    }

    public static ObjectNode statement(Statement s) {
        ObjectNode node = MAPPER.createObjectNode();
        s.sid().ifPresent(sid -> node.put("Sid", sid));
        node.put("Effect", s.isAllow() ? "Allow" : "Deny");
        s.principals().ifPresent(p -> node.set(s.notPrincipal() ? "NotPrincipal" : "Principal", principals(p)));
        node.set(s.notAction() ? "NotAction" : "Action", list(s.actions()));
        if (!s.resources().isEmpty()) {
            node.set(s.notResource() ? "NotResource" : "Resource", list(s.resources()));
        }
        if (!s.conditions().isEmpty()) {
            Map<String, ObjectNode> blocks = new LinkedHashMap<>();
            for (Condition c : s.conditions()) {
                blocks.computeIfAbsent(c.operatorText(), k -> MAPPER.createObjectNode()).set(c.key(), list(c.values()));
            }
            ObjectNode condition = node.putObject("Condition");
            blocks.forEach(condition::set);
        }
        return node;
    }

    private static JsonNode principals(Principals p) {
        if (p.anyone()) {
            return MAPPER.getNodeFactory().textNode("*");
        }
        ObjectNode node = MAPPER.createObjectNode();
        p.byType().forEach((type, values) -> node.set(type, list(values)));
        return node;
    }

    private static JsonNode list(List<String> values) {
        if (values.size() == 1) {
            return MAPPER.getNodeFactory().textNode(values.get(0));
        }
        ArrayNode array = MAPPER.createArrayNode();
        values.forEach(array::add);
        return array;
    }
}
