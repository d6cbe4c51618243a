package dev.ecroidcguard.remediation;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ecroidcguard.core.report.ReportJson;
import dev.ecroidcguard.core.report.Suppressed;

import java.util.TreeMap;

/**
 * The JSON form of a {@link Change} and a {@link Suppressed} repository, for the report and the logs. Field
 * names are a contract like {@link ReportJson}'s: add, never rename. Documents are embedded as JSON objects.
 */
public final class ChangeJson {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private ChangeJson() {
    }

    public static ObjectNode change(Change c) {
        ObjectNode node = MAPPER.createObjectNode();
        node.put("repository", c.repository());
        node.put("class", c.remediationClass().configName());
        node.put("resource", c.resource());
        node.put("status", c.status().jsonName());
        node.put("detail", c.detail());
        ArrayNode why = node.putArray("why");
        c.why().forEach(f -> why.add(ReportJson.finding(f)));
        node.set("before", documents(c.before()));
        node.set("after", documents(c.after()));
        ArrayNode operations = node.putArray("operations");
        c.operations().forEach(op -> operations.add(op.describe()));
        return node;
    }

    public static ObjectNode suppressed(Suppressed s) {
        ObjectNode node = MAPPER.createObjectNode();
        node.put("repository", s.repository());
        node.put("repositoryArn", s.repositoryArn());
        node.put("reason", s.reason());
        node.put("whoCanLift", s.whoCanLift());
        return node;
    }

    public static JsonNode documents(Documents d) {
        if (d == null) {
            return MAPPER.nullNode();
        }
        ObjectNode node = MAPPER.createObjectNode();
        node.put("exists", d.exists());
        if (!d.exists()) {
            return node;
        }
        d.trustPolicy().ifPresent(t -> node.set("trustPolicy", json(t)));
        if (d.kind() == Documents.Kind.ROLE || d.kind() == Documents.Kind.PERMISSIONS) {
            ObjectNode inline = node.putObject("inlinePolicies");
            new TreeMap<>(d.inlinePolicies()).forEach((name, doc) -> inline.set(name, json(doc)));
            ArrayNode attached = node.putArray("attachedPolicyArns");
            d.attachedPolicyArns().forEach(attached::add);
        }
        if (d.kind() == Documents.Kind.REPOSITORY_POLICY) {
            node.set("repositoryPolicy", d.repositoryPolicy().map(ChangeJson::json).orElse(MAPPER.nullNode()));
        }
        if (!d.tags().isEmpty()) {
            ObjectNode tags = node.putObject("tags");
            new TreeMap<>(d.tags()).forEach(tags::put);
        }
        return node;
    }

    /** One line for the text report. */
    public static String line(Change c) {
        return "- " + c.repository() + ": " + c.remediationClass().configName() + " " + c.status().jsonName() + " — " + c.detail()
                + (c.why().isEmpty() ? "" : " (fixes " + String.join(", ", c.why().stream().map(f -> f.code().name()).distinct().toList()) + ")");
    }

    private static JsonNode json(String document) {
        try {
            return MAPPER.readTree(document);
        } catch (JsonProcessingException e) {
            return MAPPER.getNodeFactory().textNode(document);
        }
    }
}
