package dev.ecroidcguard.core.github;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The GitHub side of an ECR repository: which repository's workflows should be able to push, and the shape
 * of the OIDC subjects it mints. Defaults to {@code GITHUB_ORG/<ECR name>}, name-form subjects and the
 * default template {@code repo,context}; the {@code github:*} tags of the ECR repository override that.
 */
public record GitHubRepository(String owner, String name, Optional<String> ownerId, Optional<String> repositoryId,
                               SubjectFormat subjectFormat, List<String> subClaims) {

    public enum SubjectFormat { NAME, IMMUTABLE }

    public static final String TAG_REPOSITORY = "github:repository";
    public static final String TAG_OWNER_ID = "github:owner-id";
    public static final String TAG_REPOSITORY_ID = "github:repository-id";
    public static final String TAG_SUBJECT_FORMAT = "github:subject-format";
    public static final String TAG_SUB_CLAIMS = "github:sub-claims";
    public static final List<String> DEFAULT_SUB_CLAIMS = List.of("repo", "context");

    /** Claim keys a custom subject template may include (GitHub OIDC reference). */
    public static final Set<String> TEMPLATE_KEYS = Set.of("repo", "context", "repository", "repository_id", "repository_owner",
            "repository_owner_id", "repository_visibility", "job_workflow_ref", "job_workflow_sha", "workflow", "workflow_ref",
            "workflow_sha", "environment", "ref", "ref_type", "ref_protected", "actor", "actor_id", "event_name",
            "head_ref", "base_ref", "enterprise", "enterprise_id", "runner_environment");

    public GitHubRepository {
        subClaims = List.copyOf(subClaims);
    }

    public static GitHubRepository fromTags(String ecrName, Map<String, String> tags, String defaultOwner) throws InvalidTagException {
        String full = tags.getOrDefault(TAG_REPOSITORY, defaultOwner + "/" + ecrName);
        int slash = full.indexOf('/');
        if (slash <= 0 || slash != full.lastIndexOf('/')) {
            throw new InvalidTagException(TAG_REPOSITORY + "='" + full + "' must be Owner/Name");
        }
        String owner = full.substring(0, slash);
        String name = full.substring(slash + 1);
        if (!owner.matches("[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})")) {
            throw new InvalidTagException("GitHub owner '" + owner + "' is not a valid owner name");
        }
        if (!name.matches("[A-Za-z0-9._-]{1,100}")) {
            throw new InvalidTagException("GitHub repository name '" + name + "' is not valid"
                    + (tags.containsKey(TAG_REPOSITORY) ? "" : " (set the " + TAG_REPOSITORY + " tag to its GitHub name)"));
        }
        Optional<String> ownerId = digits(tags, TAG_OWNER_ID);
        Optional<String> repositoryId = digits(tags, TAG_REPOSITORY_ID);
        SubjectFormat format;
        String formatTag = tags.get(TAG_SUBJECT_FORMAT);
        if (formatTag == null) {
            format = SubjectFormat.NAME;
        } else if (formatTag.equals("name")) {
            format = SubjectFormat.NAME;
        } else if (formatTag.equals("immutable")) {
            format = SubjectFormat.IMMUTABLE;
            if (ownerId.isEmpty() || repositoryId.isEmpty()) {
                throw new InvalidTagException(TAG_SUBJECT_FORMAT + "=immutable needs " + TAG_OWNER_ID + " and " + TAG_REPOSITORY_ID);
            }
        } else {
            throw new InvalidTagException(TAG_SUBJECT_FORMAT + "='" + formatTag + "' must be 'name' or 'immutable'");
        }
        List<String> claims = DEFAULT_SUB_CLAIMS;
        String claimsTag = tags.get(TAG_SUB_CLAIMS);
        if (claimsTag != null) {
            claims = Arrays.stream(claimsTag.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
            for (String claim : claims) {
                if (!TEMPLATE_KEYS.contains(claim)) {
                    throw new InvalidTagException(TAG_SUB_CLAIMS + " names unknown claim '" + claim + "'");
                }
            }
            if (claims.isEmpty()) {
                throw new InvalidTagException(TAG_SUB_CLAIMS + " is empty");
            }
        }
        return new GitHubRepository(owner, name, ownerId, repositoryId, format, claims);
    }

    private static Optional<String> digits(Map<String, String> tags, String key) throws InvalidTagException {
        String v = tags.get(key);
        if (v == null) {
            return Optional.empty();
        }
        if (!v.matches("[0-9]{1,20}")) {
            throw new InvalidTagException(key + "='" + v + "' must be a numeric GitHub ID");
        }
        return Optional.of(v);
    }

    /** {@code Owner/Name}. */
    public String fullName() {
        return owner + "/" + name;
    }

    /** The value of the {@code repo} claim in this repository's subjects: {@code Owner/Name} or {@code Owner@ID/Name@ID}. */
    public String repoClaim() {
        return subjectFormat == SubjectFormat.IMMUTABLE
                ? owner + "@" + ownerId.orElseThrow() + "/" + name + "@" + repositoryId.orElseThrow()
                : fullName();
    }

    public boolean usesDefaultTemplate() {
        return subClaims.equals(DEFAULT_SUB_CLAIMS);
    }

    /** An invalid {@code github:*} tag; the message names the tag and the expected form. */
    public static final class InvalidTagException extends Exception {
        public InvalidTagException(String message) {
            super(message);
        }
    }
}
