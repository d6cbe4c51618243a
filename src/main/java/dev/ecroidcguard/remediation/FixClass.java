package dev.ecroidcguard.remediation;

import dev.ecroidcguard.core.finding.Category;
import dev.ecroidcguard.core.finding.Finding;
import dev.ecroidcguard.core.finding.RemediationClass;
import dev.ecroidcguard.core.inventory.AccountSnapshot;
import dev.ecroidcguard.core.inventory.EcrRepository;
import dev.ecroidcguard.core.inventory.IamRole;
import dev.ecroidcguard.core.report.RepositoryReport;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * One class of fix: the part of a repository's fix plan it writes, the actions it may call to do so (and to undo
 * it), and how to tell from a read-back that its write landed. {@link Remediator} decides the order, the
 * ownership rules and the verification; a class only knows its own documents.
 */
sealed interface FixClass permits MissingRoleFix, TrustFix, PermissionsFix, RepositoryPolicyFix {

    static FixClass of(RemediationClass cls) {
        return switch (cls) {
            case MISSING_ROLE -> MissingRoleFix.INSTANCE;
            case TRUST -> TrustFix.INSTANCE;
            case PERMISSIONS -> PermissionsFix.INSTANCE;
            case REPOSITORY_POLICY -> RepositoryPolicyFix.INSTANCE;
        };
    }

    RemediationClass remediationClass();

    /** Every action the class may call, restores and rollbacks included; {@link Writes} refuses any other. */
    Set<Action> actions();

    /** What this class would do for the repository: nothing, a part left to a person, or a write. */
    Proposal propose(Target target, Writes writes);

    /** The documents this class writes, as the read-back shows them. */
    Documents documents(ReadBack read);

    /** One line for the report: what the verified write did. */
    String applied(List<Operation> operations);

    /** The categories whose findings must be gone after the write (but for those the plan says remain). */
    default Set<Category> verifiedCategories() {
        return Set.of(category());
    }

    /** The category of the findings this class repairs. */
    default Category category() {
        return Arrays.stream(Category.values()).filter(c -> remediationClass().repairs(c)).findFirst().orElseThrow();
    }

    /** The findings of the repository this class repairs: why it writes (or would have). */
    default List<Finding> why(Target target) {
        return target.report().findings().stream().filter(f -> remediationClass().repairs(f.code().category())).toList();
    }

    /** One repository as the analysis saw it: its report and fix plan, the repository, its role (if any). */
    record Target(RepositoryReport report, EcrRepository repository, Optional<IamRole> role, AccountSnapshot snapshot) {
    }

    /** What the read-back shows of one repository: its role, repository and re-analysis. */
    record ReadBack(Optional<IamRole> role, Optional<EcrRepository> repository, Optional<RepositoryReport> report) {
    }

    /** A resource that other infrastructure as code may own: checked before anything is written to it. */
    record Owned(String kind, String physicalId, Map<String, String> tags) {
        static Owned role(IamRole role) {
            return new Owned("role", role.name(), role.tags());
        }

        static Owned repository(EcrRepository repository) {
            return new Owned("repository", repository.name(), repository.tags());
        }

        boolean isRole() {
            return kind.equals("role");
        }
    }

    sealed interface Proposal {
        /** Nothing of this class to do for the repository. */
        record Nothing() implements Proposal {
        }

        /** The plan leaves this part to a person: reported, never written. */
        record LeftToAPerson(String resource, String why) implements Proposal {
        }

        /** A write, unless {@code owned} is owned by a stack or other IaC. */
        record Write(String resource, Optional<Owned> owned, Supplier<Step> write) implements Proposal {
        }

        Proposal NOTHING = new Nothing();
    }

    /** A write made: waiting for its read-back, or already final (it failed and restored itself). */
    sealed interface Step {
        record Written(Pending pending) implements Step {
        }

        record Done(Change change) implements Step {
        }
    }
}
