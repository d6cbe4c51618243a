package dev.ecroidcguard.core.analysis;

import dev.ecroidcguard.core.lang.Wildcards;
import dk.brics.automaton.Automaton;
import dk.brics.automaton.BasicAutomata;
import dk.brics.automaton.RegExp;
import dk.brics.automaton.RunAutomaton;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The ECR actions of the service authorization reference, shared by the permissions check and the
 * repository-policy check: one catalogue (each action with what it lets a caller do), the ordered lists the
 * checks draw witnesses from, and the constant action languages.
 *
 * <p>The catalogue is the Service Authorization Reference's list of ECR actions, kept as data with its source
 * and date in {@code ecr-actions.txt}. IAM grants only actions that exist, so a wildcard such as
 * {@code ecr:Describe*} covers exactly the listed actions it matches, and a name that is not listed
 * ({@code ecr:describe}) is no action: it is never a witness and a policy naming it grants nothing. When AWS
 * adds an ECR action, the file must be updated (the header says how).
 *
 * <p>Action languages are lower-case (IAM compares action names case-insensitively); the canonical spelling
 * is kept for witnesses.
 *
 * <p>The languages are built once and shared: callers must only read them (run, isEmpty, intersection,
 * minus, {@link Wildcards#subsetOf}) and never call an in-place operation ({@code minimize},
 * {@code determinize}, {@code reduce}, ...) on them. The {@code is...} predicates use immutable
 * {@link RunAutomaton}s and are safe from any thread.
 */
public final class EcrActions {

    public enum Kind {
        /** Reads repository content or metadata, or lists; tolerated on the repository. */
        READ,
        /** Changes a repository or its images (push, delete, its policy, tag mutability, lifecycle). */
        REPOSITORY_WRITE,
        /** Registry-wide actions without a repository resource type (authorised against {@code *}). */
        REGISTRY_READ,
        REGISTRY_WRITE
    }

    public record EcrAction(String name, Kind kind) {
    }

    /** Where the catalogue is kept as data, with its source and the date it was read (see the file's header). */
    static final String CATALOGUE_RESOURCE = "/ecr-actions.txt";

    private static final List<EcrAction> ACTIONS = load();

    private static final Map<String, EcrAction> BY_LOWER_NAME = ACTIONS.stream()
            .collect(Collectors.toUnmodifiableMap(a -> Wildcards.lower(a.name()), Function.identity()));

    // ---- Ordered lists (witness order matters: the first listed action a statement covers is named) ----

    /** Push-only actions (BatchCheckLayerAvailability is also needed to pull, so granting it alone is a read). */
    public static final List<String> PUSH_ONLY = List.of("ecr:PutImage", "ecr:InitiateLayerUpload", "ecr:UploadLayerPart",
            "ecr:CompleteLayerUpload");

    /** What {@code docker pull} needs on the repository. */
    public static final List<String> PULL = Baseline.PULL_ACTIONS;

    /**
     * Administrative or destructive actions a repository policy may grant, most dangerous first (the first one
     * granted becomes the repository-policy check's witness). SetRepositoryPolicy lets a compromised workflow
     * publish the repository to everyone; the deletions enable destructive attacks; registry-level actions are
     * listed because {@code ecr:*} covers them. (Unlike the catalogue's kinds, this list counts
     * BatchImportUpstreamImage: granted by a repository policy it lets the principal fill the repository.)
     */
    public static final List<String> ADMIN = List.of("ecr:SetRepositoryPolicy", "ecr:DeleteRepositoryPolicy", "ecr:DeleteRepository",
            "ecr:BatchDeleteImage", "ecr:PutLifecyclePolicy", "ecr:DeleteLifecyclePolicy", "ecr:PutImageTagMutability",
            "ecr:PutReplicationConfiguration", "ecr:PutRegistryPolicy", "ecr:DeleteRegistryPolicy",
            "ecr:PutImageScanningConfiguration", "ecr:PutRegistryScanningConfiguration", "ecr:ReplicateImage",
            "ecr:BatchImportUpstreamImage", "ecr:StartImageScan", "ecr:StartLifecyclePolicyPreview", "ecr:TagResource",
            "ecr:UntagResource", "ecr:CreateRepository", "ecr:CreatePullThroughCacheRule", "ecr:UpdatePullThroughCacheRule",
            "ecr:DeletePullThroughCacheRule", "ecr:CreateRepositoryCreationTemplate", "ecr:UpdateRepositoryCreationTemplate",
            "ecr:DeleteRepositoryCreationTemplate", "ecr:PutAccountSetting");

    /** "Write" in the repository-policy catalogue's sense: anything that changes the repository's images or configuration. */
    public static final List<String> WRITE = Stream.concat(PUSH_ONLY.stream(), ADMIN.stream()).toList();

    /** What a permissions witness for "too much ECR" should name first: the actions that hurt most. */
    public static final List<String> HARMFUL_FIRST = List.of("ecr:SetRepositoryPolicy", "ecr:DeleteRepository", "ecr:BatchDeleteImage",
            "ecr:PutRegistryPolicy", "ecr:PutReplicationConfiguration", "ecr:DeleteRepositoryPolicy", "ecr:PutLifecyclePolicy",
            "ecr:PutImageTagMutability", "ecr:CreateRepository");

    /** Canonical spellings of all listed ECR actions, push/pull first. */
    private static final List<String> NAMES = Stream.concat(Baseline.PUSH_PULL_ACTIONS.stream(), ACTIONS.stream().map(a -> "ecr:" + a.name()))
            .distinct().toList();

    // ---- Languages (built once, minimal, shared read-only) ----

    private static final Automaton ECR = literals(ACTIONS.stream().map(a -> "ecr:" + a.name()).toList());
    /**
     * Every word that can be an IAM action, lower-cased: {@code service:name} for services other than ECR (whose
     * actions this analysis does not list), and the listed ECR actions.
     */
    private static final Automaton ACTION_WORDS = minimal(new RegExp("[a-z0-9\\-]+:[a-z0-9]+").toAutomaton()
            .minus(Wildcards.pattern("ecr:*")).union(ECR));
    private static final Automaton PUSH_PULL = literals(Baseline.PUSH_PULL_ACTIONS);
    private static final Automaton REPOSITORY_WRITE = minimal(ECR.minus(ofKinds(Kind.READ, Kind.REGISTRY_READ, Kind.REGISTRY_WRITE)));
    private static final Automaton CONTENT_READ = literals(List.of("ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"));
    private static final Automaton TOLERATED = minimal(PUSH_PULL.union(ofKinds(Kind.READ, Kind.REGISTRY_READ)));

    private static final RunAutomaton ACTION_WORDS_RUN = new RunAutomaton(ACTION_WORDS, false);
    private static final RunAutomaton ECR_RUN = new RunAutomaton(ECR, false);
    private static final RunAutomaton REPOSITORY_WRITE_RUN = new RunAutomaton(REPOSITORY_WRITE, false);
    private static final Set<String> CONTENT_READ_WORDS = Set.of("ecr:batchgetimage", "ecr:getdownloadurlforlayer");
    private static final RunAutomaton TOLERATED_RUN = new RunAutomaton(TOLERATED, false);

    private EcrActions() {
    }

    /** Every word that can be an IAM action: {@code service:name}, lower-cased. Shared: read only. */
    public static Automaton actionWords() {
        return ACTION_WORDS;
    }

    /** {@code ecr:*}: the listed ECR actions. Shared: read only. */
    public static Automaton ecr() {
        return ECR;
    }

    /** The seven push/pull actions of the baseline. Shared: read only. */
    public static Automaton pushPull() {
        return PUSH_PULL;
    }

    /** ECR actions that change a repository or its images. Shared: read only. */
    public static Automaton repositoryWrite() {
        return REPOSITORY_WRITE;
    }

    /** Actions that read image content: what "pull on all repositories" means. Shared: read only. */
    public static Automaton contentRead() {
        return CONTENT_READ;
    }

    /** ECR actions a push role may hold: the seven push/pull, the token and read-only Describe/List/Get. Shared: read only. */
    public static Automaton tolerated() {
        return TOLERATED;
    }

    /** Is the lower-case word in {@link #actionWords()}? */
    public static boolean isActionWord(String lowerAction) {
        return ACTION_WORDS_RUN.run(lowerAction);
    }

    /** Is the lower-case word in {@link #ecr()}? */
    public static boolean isEcr(String lowerAction) {
        return ECR_RUN.run(lowerAction);
    }

    /** Is the lower-case word in {@link #repositoryWrite()}? */
    public static boolean isRepositoryWrite(String lowerAction) {
        return REPOSITORY_WRITE_RUN.run(lowerAction);
    }

    /** Is the lower-case word in {@link #contentRead()}? */
    public static boolean isContentRead(String lowerAction) {
        return CONTENT_READ_WORDS.contains(lowerAction);
    }

    /** Is the lower-case word in {@link #tolerated()}? */
    public static boolean isTolerated(String lowerAction) {
        return TOLERATED_RUN.run(lowerAction);
    }

    /** Canonical spellings of all listed ECR actions, push/pull first. */
    public static List<String> names() {
        return NAMES;
    }

    /** The catalogue. */
    public static List<EcrAction> catalogue() {
        return ACTIONS;
    }

    /** The canonical spelling of a lower-case action name, when it is a listed ECR action. */
    public static String canonical(String lowerAction) {
        EcrAction known = lowerAction.startsWith("ecr:") ? BY_LOWER_NAME.get(lowerAction.substring(4)) : null;
        return known == null ? lowerAction : "ecr:" + known.name();
    }

    /** A fresh, minimal language of the lower-cased names. */
    public static Automaton literals(List<String> actions) {
        if (actions.isEmpty()) {
            return BasicAutomata.makeEmpty();
        }
        Automaton a = BasicAutomata.makeStringUnion(actions.stream().map(Wildcards::lower).sorted().distinct().toArray(String[]::new));
        a.minimize();
        return a;
    }

    private static Automaton minimal(Automaton a) {
        a.minimize();
        return a;
    }

    private static Automaton ofKinds(Kind... kinds) {
        List<Kind> wanted = List.of(kinds);
        return literals(ACTIONS.stream().filter(a -> wanted.contains(a.kind())).map(a -> "ecr:" + a.name()).toList());
    }

    /** Reads {@link #CATALOGUE_RESOURCE}: "Name KIND" per line, {@code #} comments. */
    private static List<EcrAction> load() {
        try (InputStream in = EcrActions.class.getResourceAsStream(CATALOGUE_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(CATALOGUE_RESOURCE + " is missing from the class path");
            }
            List<EcrAction> actions = new ArrayList<>();
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                String trimmed = line.strip();
                if (trimmed.isEmpty() || trimmed.startsWith("#")) {
                    continue;
                }
                String[] fields = trimmed.split("\\s+");
                if (fields.length != 2) {
                    throw new IllegalStateException(CATALOGUE_RESOURCE + ": expected 'Name KIND', got '" + trimmed + "'");
                }
                actions.add(new EcrAction(fields[0], Kind.valueOf(fields[1])));
            }
            return List.copyOf(actions);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
