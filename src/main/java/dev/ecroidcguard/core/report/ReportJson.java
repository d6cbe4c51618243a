package dev.ecroidcguard.core.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ecroidcguard.core.finding.Finding;
import dev.ecroidcguard.core.finding.FindingCode;
import dev.ecroidcguard.core.finding.Witness;
import dev.ecroidcguard.core.fix.DocumentChange;
import dev.ecroidcguard.core.fix.FixPlan;
import dev.ecroidcguard.core.fix.PermissionsChange;

import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The report's JSON form. Field names are a contract (the SNS message and users' automation read them):
 * add fields, never rename or remove. Policy documents in fix plans are embedded as JSON objects.
 */
public final class ReportJson {

    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private ReportJson() {
    }

    public static String write(AccountReport report) {
        try {
            return MAPPER.writeValueAsString(tree(report));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    public static ObjectNode tree(AccountReport report) {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("accountId", report.accountId());
        root.put("region", report.region());
        root.put("githubOrg", report.githubOrg());
        ArrayNode repositories = root.putArray("repositories");
        for (RepositoryReport r : report.repositories()) {
            repositories.add(repository(r));
        }
        ArrayNode orphans = root.putArray("orphanRoles");
        for (OrphanRole o : report.orphanRoles()) {
            ObjectNode node = orphans.addObject();
            node.put("roleName", o.roleName());
            node.put("roleArn", o.roleArn());
            node.put("expectedRepository", o.expectedRepository());
        }
        ArrayNode notEvaluated = root.putArray("notEvaluated");
        for (AccountReport.NotEvaluated n : report.notEvaluated()) {
            ObjectNode node = notEvaluated.addObject();
            node.put("repository", n.repository());
            node.put("reason", n.reason());
        }
        // Only when there are any: the field is new with the organization run, and every other report stays as it was.
        if (!report.accountFindings().isEmpty()) {
            ArrayNode account = root.putArray("accountFindings");
            report.accountFindings().forEach(f -> account.add(finding(f)));
        }
        root.set("summary", summary(report.summary()));
        return root;
    }

    public static ObjectNode repository(RepositoryReport r) {
        ObjectNode node = MAPPER.createObjectNode();
        node.put("repository", r.repository());
        node.put("repositoryArn", r.repositoryArn());
        node.put("role", r.role());
        node.put("compliant", r.compliant());
        ArrayNode findings = node.putArray("findings");
        r.findings().forEach(f -> findings.add(finding(f)));
        if (r.fix().isEmpty()) {
            node.putNull("fix");
        } else {
            node.set("fix", fix(r.fix()));
        }
        return node;
    }

    public static ObjectNode finding(Finding f) {
        ObjectNode node = MAPPER.createObjectNode();
        node.put("code", f.code().name());
        node.put("severity", f.severity().name());
        node.put("category", f.code().category().jsonName());
        node.put("resource", f.resource());
        node.put("message", f.message());
        node.set("witness", witness(f.witness()));
        return node;
    }

    public static JsonNode witness(Witness w) {
        if (w == null) {
            return MAPPER.nullNode();
        }
        ObjectNode node = MAPPER.createObjectNode();
        switch (w) {
            case Witness.Token t -> {
                node.put("type", "token");
                node.put("sub", t.sub());
                ObjectNode claims = node.putObject("claims");
                new TreeMap<>(t.claims()).forEach(claims::put);
            }
            case Witness.Request q -> {
                node.put("type", "request");
                node.put("action", q.action());
                node.put("resource", q.resource());
                node.put("grantedBy", q.grantedBy());
            }
            case Witness.Principal p -> {
                node.put("type", "principal");
                node.put("principal", p.principal());
                node.put("action", p.action());
            }
            case Witness.Detail d -> {
                node.put("type", "detail");
                node.put("text", d.text());
            }
        }
        return node;
    }

    private static ObjectNode fix(FixPlan plan) {
        ObjectNode node = MAPPER.createObjectNode();
        node.put("needsHuman", plan.needsHuman());
        plan.createRole().ifPresent(c -> {
            ObjectNode create = node.putObject("createRole");
            create.put("roleName", c.roleName());
            create.set("trustPolicy", json(c.trustPolicy()));
            create.put("inlinePolicyName", c.inlinePolicyName());
            create.set("inlinePolicy", json(c.inlinePolicy()));
            ObjectNode tags = create.putObject("tags");
            new TreeMap<>(c.tags()).forEach(tags::put);
        });
        plan.createRoleBlockedBecause().ifPresent(reason -> node.put("createRoleBlockedBecause", reason));
        node.set("trust", document(plan.trust()));
        node.set("permissions", permissions(plan.permissions()));
        node.set("repositoryPolicy", document(plan.repositoryPolicy()));
        return node;
    }

    private static ObjectNode document(DocumentChange change) {
        ObjectNode node = MAPPER.createObjectNode();
        switch (change) {
            case DocumentChange.Unchanged u -> node.put("action", "unchanged");
            case DocumentChange.Replace r -> {
                node.put("action", "replace");
                node.set("document", json(r.document()));
                reasons(node, r.reasons());
                remaining(node, r.remaining());
            }
            case DocumentChange.Delete d -> {
                node.put("action", "delete");
                reasons(node, d.reasons());
                remaining(node, d.remaining());
            }
            case DocumentChange.NeedsHuman h -> {
                node.put("action", "needsHuman");
                node.put("reason", h.reason());
            }
        }
        return node;
    }

    private static ObjectNode permissions(PermissionsChange change) {
        ObjectNode node = MAPPER.createObjectNode();
        switch (change) {
            case PermissionsChange.Unchanged u -> node.put("action", "unchanged");
            case PermissionsChange.Rewrite r -> {
                node.put("action", "rewrite");
                ObjectNode put = node.putObject("putInline");
                new TreeMap<>(r.putInline()).forEach((name, doc) -> put.set(name, json(doc)));
                ArrayNode delete = node.putArray("deleteInline");
                r.deleteInline().forEach(delete::add);
                ArrayNode detach = node.putArray("detachManaged");
                r.detachManaged().forEach(detach::add);
                reasons(node, r.reasons());
                remaining(node, r.remaining());
            }
            case PermissionsChange.NeedsHuman h -> {
                node.put("action", "needsHuman");
                node.put("reason", h.reason());
            }
        }
        return node;
    }

    private static void reasons(ObjectNode node, List<String> reasons) {
        ArrayNode array = node.putArray("reasons");
        reasons.forEach(array::add);
    }

    /** The finding codes the fixed document will still have, in catalogue order. */
    private static void remaining(ObjectNode node, Set<FindingCode> remaining) {
        ArrayNode array = node.putArray("remaining");
        new TreeSet<>(remaining).forEach(code -> array.add(code.name()));
    }

    private static ObjectNode summary(AccountReport.Summary s) {
        ObjectNode node = MAPPER.createObjectNode();
        node.put("repositories", s.repositories());
        node.put("compliant", s.compliant());
        node.put("nonCompliant", s.nonCompliant());
        node.put("findings", s.findings());
        ObjectNode bySeverity = node.putObject("bySeverity");
        s.bySeverity().forEach((k, v) -> bySeverity.put(k.name(), v));
        ObjectNode byCode = node.putObject("byCode");
        s.byCode().forEach(byCode::put);
        node.put("orphanRoles", s.orphanRoles());
        node.put("notEvaluated", s.notEvaluated());
        node.put("fixable", s.fixable());
        node.put("needsHuman", s.needsHuman());
        return node;
    }

    private static JsonNode json(String document) {
        try {
            return MAPPER.readTree(document);
        } catch (JsonProcessingException e) {
            return MAPPER.getNodeFactory().textNode(document);
        }
    }

}
