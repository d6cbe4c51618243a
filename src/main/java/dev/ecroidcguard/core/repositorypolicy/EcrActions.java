package dev.ecroidcguard.core.repositorypolicy;

import dev.ecroidcguard.core.analysis.Baseline;
import dev.ecroidcguard.core.lang.Wildcards;
import dev.ecroidcguard.core.policy.Statement;
import dk.brics.automaton.Automaton;
import dk.brics.automaton.BasicAutomata;

import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The ECR actions a repository policy can grant, sorted by what they let a principal do, and the action
 * language of one statement. Action names are case-insensitive in IAM, so languages are built over
 * lower-cased patterns and tested with lower-cased names; the canonical spelling is kept for messages and fixes.
 */
final class EcrActions {

    /** Push-only actions (BatchCheckLayerAvailability is also needed to pull, so granting it alone is a read). */
    static final List<String> PUSH_ONLY = List.of("ecr:PutImage", "ecr:InitiateLayerUpload", "ecr:UploadLayerPart",
            "ecr:CompleteLayerUpload");

    static final List<String> PULL = Baseline.PULL_ACTIONS;

    /**
     * Administrative or destructive repository actions, most dangerous first (the first one granted becomes the
     * witness). SetRepositoryPolicy lets a compromised workflow publish the repository to everyone; the
     * deletions enable destructive attacks; registry-level actions are listed because {@code ecr:*} covers them.
     */
    static final List<String> ADMIN = List.of("ecr:SetRepositoryPolicy", "ecr:DeleteRepositoryPolicy", "ecr:DeleteRepository",
            "ecr:BatchDeleteImage", "ecr:PutLifecyclePolicy", "ecr:DeleteLifecyclePolicy", "ecr:PutImageTagMutability",
            "ecr:PutReplicationConfiguration", "ecr:PutRegistryPolicy", "ecr:DeleteRegistryPolicy",
            "ecr:PutImageScanningConfiguration", "ecr:PutRegistryScanningConfiguration", "ecr:ReplicateImage",
            "ecr:BatchImportUpstreamImage", "ecr:StartImageScan", "ecr:StartLifecyclePolicyPreview", "ecr:TagResource",
            "ecr:UntagResource", "ecr:CreateRepository", "ecr:CreatePullThroughCacheRule", "ecr:UpdatePullThroughCacheRule",
            "ecr:DeletePullThroughCacheRule", "ecr:CreateRepositoryCreationTemplate", "ecr:UpdateRepositoryCreationTemplate",
            "ecr:DeleteRepositoryCreationTemplate", "ecr:PutAccountSetting");

    /** "Write" in the catalogue's sense: anything that changes the repository's images or its configuration. */
    static final List<String> WRITE = Stream.concat(PUSH_ONLY.stream(), ADMIN.stream()).toList();

    private EcrActions() {
    }

    /** The actions one statement's Action (or NotAction) element covers, as a language over lower-cased names. */
    record Granted(Automaton language) {

        static Granted of(Statement statement) {
            Automaton listed = Wildcards.anyOfPatterns(statement.actions().stream().map(Wildcards::lower).toList());
            Automaton covered = statement.notAction() ? listed.complement() : listed;
            return new Granted(covered);
        }

        boolean covers(String action) {
            return language.run(Wildcards.lower(action));
        }

        /** The members of {@code actions} this statement covers, in the list's order. */
        List<String> coveredOf(List<String> actions) {
            return actions.stream().filter(this::covers).toList();
        }

        Optional<String> firstOf(List<String> actions) {
            return actions.stream().filter(this::covers).findFirst();
        }

        boolean grantsWrite() {
            return firstOf(WRITE).isPresent();
        }

        boolean grantsPull() {
            return firstOf(PULL).isPresent();
        }

        /** The most telling action for a witness: a push, else an administrative action, else a pull. */
        Optional<String> witnessAction() {
            return firstOf(WRITE).or(() -> firstOf(PULL));
        }

        /**
         * Some ECR action the statement covers, for witnesses of principal problems: a push, an administrative
         * action or a pull when there is one, else a word of the language (lower-case, e.g. a Describe action).
         */
        Optional<String> anyEcrAction() {
            return witnessAction().or(() -> Wildcards.readableExample(
                    language.clone().intersection(BasicAutomata.makeString("ecr:").concatenate(BasicAutomata.makeAnyString()))));
        }
    }
}
