package dev.ecroidcguard.core.permissions;

import dev.ecroidcguard.core.analysis.Baseline;
import dev.ecroidcguard.core.lang.Wildcards;
import dk.brics.automaton.Automaton;
import dk.brics.automaton.RegExp;

import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The ECR actions of the service authorization reference, with what they let a caller do. Action languages
 * here are lower-case (IAM compares action names case-insensitively); the canonical spelling is kept for
 * witnesses. An action in {@code ecr:*} that is not listed (a newer one) counts as a repository write: the
 * analysis errs on reporting it rather than on tolerating it.
 */
final class EcrActions {

    enum Kind {
        /** Reads repository content or metadata, or lists; tolerated on the repository. */
        READ,
        /** Changes a repository or its images (push, delete, its policy, tag mutability, lifecycle). */
        REPOSITORY_WRITE,
        /** Registry-wide actions without a repository resource type (authorised against {@code *}). */
        REGISTRY_READ,
        REGISTRY_WRITE
    }

    record EcrAction(String name, Kind kind) {
    }

    /** Every word that can be an IAM action: {@code service:Name}, lower-cased. */
    private static final Automaton ACTION_WORDS = minimal(new RegExp("[a-z0-9\\-]+:[a-z0-9]+").toAutomaton());

    private static final List<EcrAction> ACTIONS = Stream.of(
            read("BatchCheckLayerAvailability"), write("BatchDeleteImage"), read("BatchGetImage"),
            read("BatchGetRepositoryScanningConfiguration"),
            // Imports an upstream image into a pull-through cache repository as part of a pull; AWS's
            // AmazonEC2ContainerRegistryPullOnly grants it, so it is read access for this analysis.
            read("BatchImportUpstreamImage"),
            write("CompleteLayerUpload"), registryWrite("CreatePullThroughCacheRule"), write("CreateRepository"),
            registryWrite("CreateRepositoryCreationTemplate"), write("DeleteLifecyclePolicy"),
            registryWrite("DeletePullThroughCacheRule"), registryWrite("DeleteRegistryPolicy"), write("DeleteRepository"),
            registryWrite("DeleteRepositoryCreationTemplate"), write("DeleteRepositoryPolicy"),
            read("DescribeImageReplicationStatus"), read("DescribeImageScanFindings"), read("DescribeImages"),
            registryRead("DescribePullThroughCacheRules"), registryRead("DescribeRegistry"), read("DescribeRepositories"),
            registryRead("DescribeRepositoryCreationTemplates"), registryRead("GetAccountSetting"),
            registryRead("GetAuthorizationToken"), read("GetDownloadUrlForLayer"), read("GetLifecyclePolicy"),
            read("GetLifecyclePolicyPreview"), registryRead("GetRegistryPolicy"), registryRead("GetRegistryScanningConfiguration"),
            read("GetRepositoryPolicy"), write("InitiateLayerUpload"), read("ListImages"), read("ListTagsForResource"),
            registryWrite("PutAccountSetting"), write("PutImage"), write("PutImageScanningConfiguration"),
            write("PutImageTagMutability"), write("PutLifecyclePolicy"), registryWrite("PutRegistryPolicy"),
            registryWrite("PutRegistryScanningConfiguration"), registryWrite("PutReplicationConfiguration"),
            write("ReplicateImage"), write("SetRepositoryPolicy"), write("StartImageScan"),
            write("StartLifecyclePolicyPreview"), write("TagResource"), write("UntagResource"),
            registryWrite("UpdatePullThroughCacheRule"), registryWrite("UpdateRepositoryCreationTemplate"),
            write("UploadLayerPart"), registryWrite("ValidatePullThroughCacheRule")).toList();

    private static final Map<String, EcrAction> BY_LOWER_NAME = ACTIONS.stream()
            .collect(Collectors.toUnmodifiableMap(a -> Wildcards.lower(a.name()), Function.identity()));

    // Shared languages are only ever handed out as clones: dk.brics renumbers states while reading.
    private static final Automaton ECR = minimal(ACTION_WORDS.intersection(Wildcards.pattern("ecr:*")));
    private static final Automaton PUSH_PULL = literals(Baseline.PUSH_PULL_ACTIONS);
    private static final Automaton REPOSITORY_WRITE = minimal(ECR.minus(ofKinds(Kind.READ, Kind.REGISTRY_READ, Kind.REGISTRY_WRITE)));
    private static final Automaton CONTENT_READ = literals(List.of("ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"));
    private static final Automaton TOLERATED = minimal(PUSH_PULL.union(ofKinds(Kind.READ, Kind.REGISTRY_READ)));

    /** What a witness for "too much ECR" should name first: the actions that hurt most. */
    static final List<String> HARMFUL_FIRST = List.of("ecr:SetRepositoryPolicy", "ecr:DeleteRepository", "ecr:BatchDeleteImage",
            "ecr:PutRegistryPolicy", "ecr:PutReplicationConfiguration", "ecr:DeleteRepositoryPolicy", "ecr:PutLifecyclePolicy",
            "ecr:PutImageTagMutability", "ecr:CreateRepository");

    private EcrActions() {
    }

    /** Every word that can be an IAM action: {@code service:name}, lower-cased. */
    static Automaton actionWords() {
        return ACTION_WORDS.clone();
    }

    /** {@code ecr:*}. */
    static Automaton ecr() {
        return ECR.clone();
    }

    /** The seven push/pull actions of the baseline. */
    static Automaton pushPull() {
        return PUSH_PULL.clone();
    }

    /** ECR actions that change a repository or its images; includes ECR actions this list does not know. */
    static Automaton repositoryWrite() {
        return REPOSITORY_WRITE.clone();
    }

    /** Actions that read image content: what "pull on all repositories" means. */
    static Automaton contentRead() {
        return CONTENT_READ.clone();
    }

    /** ECR actions a push role may hold: the seven push/pull, the token and read-only Describe/List/Get. */
    static Automaton tolerated() {
        return TOLERATED.clone();
    }

    /** Canonical spellings of all listed ECR actions, push/pull first. */
    static List<String> names() {
        return Stream.concat(Baseline.PUSH_PULL_ACTIONS.stream(), ACTIONS.stream().map(a -> "ecr:" + a.name())).distinct().toList();
    }

    /** The canonical spelling of a lower-case action name, when it is a listed ECR action. */
    static String canonical(String lowerAction) {
        EcrAction known = lowerAction.startsWith("ecr:") ? BY_LOWER_NAME.get(lowerAction.substring(4)) : null;
        return known == null ? lowerAction : "ecr:" + known.name();
    }

    static Automaton literals(List<String> actions) {
        return Wildcards.union(actions.stream().map(a -> Wildcards.literal(Wildcards.lower(a))).toList());
    }

    private static Automaton minimal(Automaton a) {
        a.minimize();
        return a;
    }

    private static Automaton ofKinds(Kind... kinds) {
        List<Kind> wanted = List.of(kinds);
        return literals(ACTIONS.stream().filter(a -> wanted.contains(a.kind())).map(a -> "ecr:" + a.name()).toList());
    }

    private static EcrAction read(String name) {
        return new EcrAction(name, Kind.READ);
    }

    private static EcrAction write(String name) {
        return new EcrAction(name, Kind.REPOSITORY_WRITE);
    }

    private static EcrAction registryRead(String name) {
        return new EcrAction(name, Kind.REGISTRY_READ);
    }

    private static EcrAction registryWrite(String name) {
        return new EcrAction(name, Kind.REGISTRY_WRITE);
    }
}
