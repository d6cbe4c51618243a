package dev.ecroidcguard.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds account-snapshot JSON in the format of the README (issue 2) for tests: the {@code iam} part is shaped
 * like {@code aws iam get-account-authorization-details}. Documents are given as {@link Doc}s so a test chooses
 * how each is embedded: URL-encoded (as IAM returns them), a plain JSON string, or a JSON object inserted
 * verbatim (so even text Jackson would refuse to build, such as duplicate keys, reaches the snapshot as is).
 */
public final class Snapshots {

    public static final String ACCOUNT = "123456789012";
    public static final String REGION = "us-east-1";
    public static final String ISSUER = "token.actions.githubusercontent.com";
    public static final String PROVIDER_ARN = "arn:aws:iam::" + ACCOUNT + ":oidc-provider/" + ISSUER;
    public static final List<String> PUSH_PULL = List.of("ecr:BatchGetImage", "ecr:BatchCheckLayerAvailability",
            "ecr:CompleteLayerUpload", "ecr:GetDownloadUrlForLayer", "ecr:InitiateLayerUpload", "ecr:PutImage", "ecr:UploadLayerPart");

    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** How a document is written into the snapshot. */
    public enum Form { URL_ENCODED, STRING, OBJECT }

    /** A policy document and how it is embedded. */
    public record Doc(String text, Form form) {
        public static Doc encoded(String text) {
            return new Doc(text, Form.URL_ENCODED);
        }

        public static Doc string(String text) {
            return new Doc(text, Form.STRING);
        }

        public static Doc object(String text) {
            return new Doc(text, Form.OBJECT);
        }

        @Override
        public String toString() {
            return form + ":" + (text.length() > 80 ? text.substring(0, 77) + "..." : text);
        }
    }

    private final ObjectNode root = MAPPER.createObjectNode();
    private final ArrayNode roles;
    private final ArrayNode policies;
    private final ArrayNode repositories;
    private final Map<String, String> verbatim = new LinkedHashMap<>();

    private Snapshots(String accountId) {
        root.put("accountId", accountId);
        root.put("region", REGION);
        root.put("partition", "aws");
        ObjectNode iam = root.putObject("iam");
        iam.putArray("UserDetailList");
        iam.putArray("GroupDetailList");
        roles = iam.putArray("RoleDetailList");
        policies = iam.putArray("Policies");
        ObjectNode provider = root.putArray("oidcProviders").addObject();
        provider.put("Arn", PROVIDER_ARN);
        provider.put("Url", ISSUER);
        provider.putArray("ClientIDList").add("sts.amazonaws.com");
        repositories = root.putArray("repositories");
    }

    public static Snapshots account() {
        return new Snapshots(ACCOUNT);
    }

    public static String repositoryArn(String name) {
        return "arn:aws:ecr:" + REGION + ":" + ACCOUNT + ":repository/" + name;
    }

    public static String roleArn(String name) {
        return "arn:aws:iam::" + ACCOUNT + ":role/" + name;
    }

    /** The origin post's trust policy for {@code acme/<repository>}. */
    public static String canonicalTrust(String repository) {
        return trust("repo:acme/" + repository + ":*");
    }

    public static String trust(String subPattern) {
        return ("{'Version':'2012-10-17','Statement':[{'Effect':'Allow','Principal':{'Federated':'" + PROVIDER_ARN + "'},"
                + "'Action':'sts:AssumeRoleWithWebIdentity','Condition':{'StringEquals':{'" + ISSUER + ":aud':'sts.amazonaws.com'},"
                + "'StringLike':{'" + ISSUER + ":sub':'" + subPattern + "'}}}]}").replace('\'', '"');
    }

    /** The origin post's permission policy: push/pull on the repository, the registry token on *. */
    public static String canonicalPermissions(String repository) {
        return ("{'Version':'2012-10-17','Statement':[{'Sid':'GetAuthorizationToken','Effect':'Allow',"
                + "'Action':'ecr:GetAuthorizationToken','Resource':'*'},{'Sid':'PushPull','Effect':'Allow','Action':"
                + quoted(PUSH_PULL) + ",'Resource':'" + repositoryArn(repository) + "'}]}").replace('\'', '"');
    }

    /** A role with a trust policy, inline policies (name to document) and attached managed policy ARNs. */
    public Snapshots role(String name, Doc trust, Map<String, Doc> inline, List<String> attached) {
        ObjectNode role = roles.addObject();
        role.put("Path", "/");
        role.put("RoleName", name);
        role.put("RoleId", "AROA" + Integer.toHexString(name.hashCode()).toUpperCase());
        role.put("Arn", roleArn(name));
        role.put("CreateDate", "2026-01-15T10:00:00Z");
        put(role, "AssumeRolePolicyDocument", trust);
        ArrayNode inlineList = role.putArray("RolePolicyList");
        inline.forEach((policyName, doc) -> {
            ObjectNode p = inlineList.addObject();
            p.put("PolicyName", policyName);
            put(p, "PolicyDocument", doc);
        });
        ArrayNode attachedList = role.putArray("AttachedManagedPolicies");
        for (String arn : attached) {
            ObjectNode a = attachedList.addObject();
            a.put("PolicyName", arn.substring(arn.lastIndexOf('/') + 1));
            a.put("PolicyArn", arn);
        }
        role.putArray("InstanceProfileList");
        role.putArray("Tags");
        return this;
    }

    /** The role {@code github-actions-<repository>} exactly as the origin post sets it up. */
    public Snapshots canonicalRole(String repository) {
        return role("github-actions-" + repository, Doc.encoded(canonicalTrust(repository)),
                Map.of("ecr-push-pull", Doc.encoded(canonicalPermissions(repository))), List.of());
    }

    /** A customer managed policy with one (default) version. */
    public Snapshots managedPolicy(String arn, Doc document) {
        ObjectNode p = policies.addObject();
        p.put("PolicyName", arn.substring(arn.lastIndexOf('/') + 1));
        p.put("PolicyId", "ANPA" + Integer.toHexString(arn.hashCode()).toUpperCase());
        p.put("Arn", arn);
        p.put("Path", "/");
        p.put("DefaultVersionId", "v1");
        p.put("AttachmentCount", 1);
        p.put("IsAttachable", true);
        ObjectNode v = p.putArray("PolicyVersionList").addObject();
        put(v, "Document", document);
        v.put("VersionId", "v1");
        v.put("IsDefaultVersion", true);
        return this;
    }

    /** A repository; {@code policy} may be null (no repository policy). */
    public Snapshots repository(String name, Doc policy, Map<String, String> tags) {
        ObjectNode r = repositories.addObject();
        r.put("repositoryName", name);
        r.put("repositoryArn", repositoryArn(name));
        if (policy == null) {
            r.putNull("policyText");
        } else {
            put(r, "policyText", policy);
        }
        ArrayNode tagList = r.putArray("tags");
        tags.forEach((k, v) -> tagList.addObject().put("Key", k).put("Value", v));
        return this;
    }

    public Snapshots repository(String name) {
        return repository(name, null, Map.of());
    }

    public String json() {
        String text = root.toString();
        for (Map.Entry<String, String> e : verbatim.entrySet()) {
            text = text.replace("\"" + e.getKey() + "\"", e.getValue());
        }
        return text;
    }

    private void put(ObjectNode node, String field, Doc doc) {
        switch (doc.form()) {
            case URL_ENCODED -> node.put(field, URLEncoder.encode(doc.text(), StandardCharsets.UTF_8).replace("+", "%20"));
            case STRING -> node.put(field, doc.text());
            case OBJECT -> {
                String placeholder = "@@verbatim-" + verbatim.size() + "@@";
                verbatim.put(placeholder, doc.text());
                node.put(field, placeholder);
            }
        }
    }

    private static String quoted(List<String> values) {
        List<String> out = new ArrayList<>();
        values.forEach(v -> out.add("'" + v + "'"));
        return "[" + String.join(",", out) + "]";
    }
}
