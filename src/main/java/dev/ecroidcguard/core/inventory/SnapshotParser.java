package dev.ecroidcguard.core.inventory;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads the snapshot format of the README: account facts, the output of
 * {@code aws iam get-account-authorization-details} as is, the OIDC providers and the repositories.
 * Policy documents may be URL-encoded strings (as IAM returns them) or JSON objects (as some tools and
 * emulators return them); both become JSON text. Problems inside one document are left for the analysis
 * to report against its repository; only an unusable snapshot as a whole is an error here. That holds for
 * object-form documents too: they are handed on as their exact text, so a duplicate key or deep nesting
 * inside one of them is that document's POLICY_MALFORMED, not a silently collapsed key or a rejected snapshot.
 */
public final class SnapshotParser {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    /** Fields whose value is a policy document. */
    private static final Set<String> DOCUMENT_FIELDS = Set.of("AssumeRolePolicyDocument", "PolicyDocument", "Document", "policyText");
    /** Only skims over documents (iteratively), so their depth is for the policy parser to judge, not this pass. */
    private static final JsonFactory SKIMMER = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(Integer.MAX_VALUE).build())
            .build();

    private SnapshotParser() {
    }

    public static AccountSnapshot parse(String json) throws SnapshotException {
        JsonNode root;
        try {
            root = MAPPER.readTree(documentsAsText(json));
        } catch (JsonProcessingException e) {
            throw new SnapshotException("snapshot is not valid JSON: " + e.getOriginalMessage());
        }
        if (root == null || !root.isObject()) {
            throw new SnapshotException("snapshot must be a JSON object");
        }
        String accountId = requiredText(root, "accountId");
        if (!accountId.matches("\\d{12}")) {
            throw new SnapshotException("accountId must be 12 digits, got '" + accountId + "'");
        }
        String region = requiredText(root, "region");
        String partition = Optional.ofNullable(root.get("partition")).map(JsonNode::asText).orElse("aws");
        JsonNode iam = root.get("iam");
        if (iam == null || !iam.isObject()) {
            throw new SnapshotException("snapshot has no 'iam' object (the output of aws iam get-account-authorization-details)");
        }
        return new AccountSnapshot(accountId, region, partition, roles(iam), managedPolicies(iam),
                providers(root), repositories(root));
    }

    private static List<IamRole> roles(JsonNode iam) throws SnapshotException {
        List<IamRole> roles = new ArrayList<>();
        for (JsonNode r : array(iam, "RoleDetailList")) {
            String name = requiredText(r, "RoleName");
            List<IamRole.InlinePolicy> inline = new ArrayList<>();
            for (JsonNode p : array(r, "RolePolicyList")) {
                inline.add(new IamRole.InlinePolicy(requiredText(p, "PolicyName"), document(p.get("PolicyDocument"))));
            }
            List<String> attached = new ArrayList<>();
            for (JsonNode p : array(r, "AttachedManagedPolicies")) {
                attached.add(requiredText(p, "PolicyArn"));
            }
            Optional<String> boundary = Optional.ofNullable(r.get("PermissionsBoundary"))
                    .map(b -> b.get("PermissionsBoundaryArn")).filter(JsonNode::isTextual).map(JsonNode::asText);
            roles.add(new IamRole(name, requiredText(r, "Arn"), Optional.ofNullable(r.get("Path")).map(JsonNode::asText).orElse("/"),
                    document(r.get("AssumeRolePolicyDocument")), inline, attached, boundary, tags(r.get("Tags"))));
        }
        return roles;
    }

    private static Map<String, ManagedPolicy> managedPolicies(JsonNode iam) throws SnapshotException {
        Map<String, ManagedPolicy> policies = new LinkedHashMap<>();
        for (JsonNode p : array(iam, "Policies")) {
            String arn = requiredText(p, "Arn");
            String defaultVersion = Optional.ofNullable(p.get("DefaultVersionId")).map(JsonNode::asText).orElse(null);
            Optional<String> document = Optional.empty();
            for (JsonNode v : array(p, "PolicyVersionList")) {
                boolean isDefault = v.path("IsDefaultVersion").asBoolean(false)
                        || (defaultVersion != null && defaultVersion.equals(v.path("VersionId").asText()));
                if (isDefault && v.get("Document") != null && !v.get("Document").isNull()) {
                    document = Optional.of(document(v.get("Document")));
                }
            }
            policies.put(arn, new ManagedPolicy(arn, Optional.ofNullable(p.get("PolicyName")).map(JsonNode::asText).orElse(arn), document));
        }
        return policies;
    }

    private static List<OidcProvider> providers(JsonNode root) throws SnapshotException {
        List<OidcProvider> out = new ArrayList<>();
        for (JsonNode p : array(root, "oidcProviders")) {
            List<String> clientIds = new ArrayList<>();
            array(p, "ClientIDList").forEach(c -> clientIds.add(c.asText()));
            out.add(new OidcProvider(requiredText(p, "Arn"), requiredText(p, "Url"), clientIds));
        }
        return out;
    }

    private static List<EcrRepository> repositories(JsonNode root) throws SnapshotException {
        List<EcrRepository> out = new ArrayList<>();
        for (JsonNode r : array(root, "repositories")) {
            JsonNode policy = r.get("policyText");
            Optional<String> policyText = policy == null || policy.isNull() ? Optional.empty() : Optional.of(document(policy));
            out.add(new EcrRepository(requiredText(r, "repositoryName"), requiredText(r, "repositoryArn"), policyText, tags(r.get("tags"))));
        }
        return out;
    }

    /**
     * The snapshot with every object- or array-valued document field replaced by a JSON string of its exact
     * source text. Building a tree of such a document would silently keep only the last of duplicate keys
     * (so the document would not mean what it says) and would reject the whole snapshot for one deeply nested
     * document. If the snapshot is not valid JSON it is returned as is, for the tree reader to report.
     */
    static String documentsAsText(String json) {
        StringBuilder out = null;
        int copied = 0;
        try (JsonParser parser = SKIMMER.createParser(json)) {
            for (JsonToken token = parser.nextToken(); token != null; token = parser.nextToken()) {
                if (token != JsonToken.FIELD_NAME || !DOCUMENT_FIELDS.contains(parser.currentName())) {
                    continue;
                }
                JsonToken value = parser.nextToken();
                if (value != JsonToken.START_OBJECT && value != JsonToken.START_ARRAY) {
                    continue;
                }
                int start = Math.toIntExact(parser.currentTokenLocation().getCharOffset());
                parser.skipChildren();
                int end = Math.toIntExact(parser.currentLocation().getCharOffset());
                if (out == null) {
                    out = new StringBuilder(json.length() + 1024);
                }
                out.append(json, copied, start).append(MAPPER.writeValueAsString(json.substring(start, end)));
                copied = end;
            }
        } catch (IOException | ArithmeticException e) {
            return json;
        }
        return out == null ? json : out.append(json, copied, json.length()).toString();
    }

    /** A document as JSON text: objects are serialised, strings URL-decoded unless they already are JSON. */
    static String document(JsonNode node) {
        if (node == null || node.isNull()) {
            return "";
        }
        if (!node.isTextual()) {
            return node.toString();
        }
        return decode(node.asText());
    }

    /** IAM returns documents URL-encoded (RFC 3986); raw JSON text starts with '{' (or '[', which the policy parser rejects). */
    public static String decode(String text) {
        String trimmed = text.stripLeading();
        if (trimmed.startsWith("{") || trimmed.startsWith("[") || !trimmed.contains("%")) {
            return text;
        }
        try {
            return URLDecoder.decode(text, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return text; // not URL-encoded after all; the policy parser will say what is wrong with it
        }
    }

    private static Map<String, String> tags(JsonNode node) throws SnapshotException {
        Map<String, String> tags = new LinkedHashMap<>();
        if (node == null || node.isNull()) {
            return tags;
        }
        if (!node.isArray()) {
            throw new SnapshotException("tags must be a list of {\"Key\": ..., \"Value\": ...}");
        }
        for (JsonNode t : node) {
            tags.put(requiredText(t, "Key"), Optional.ofNullable(t.get("Value")).map(JsonNode::asText).orElse(""));
        }
        return tags;
    }

    private static Iterable<JsonNode> array(JsonNode parent, String field) throws SnapshotException {
        JsonNode node = parent.get(field);
        if (node == null || node.isNull()) {
            return List.of();
        }
        if (!node.isArray()) {
            throw new SnapshotException("'" + field + "' must be a list");
        }
        return node;
    }

    private static String requiredText(JsonNode node, String field) throws SnapshotException {
        JsonNode value = node.get(field);
        if (value == null || !value.isTextual() || value.asText().isEmpty()) {
            throw new SnapshotException("missing or empty '" + field + "' in " + abbreviate(node.toString()));
        }
        return value.asText();
    }

    private static String abbreviate(String s) {
        return s.length() <= 120 ? s : s.substring(0, 117) + "...";
    }
}
