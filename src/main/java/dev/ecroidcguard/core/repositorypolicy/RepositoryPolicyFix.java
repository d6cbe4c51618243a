package dev.ecroidcguard.core.repositorypolicy;

import dev.ecroidcguard.core.analysis.Baseline;
import dev.ecroidcguard.core.finding.FindingCode;
import dev.ecroidcguard.core.fix.DocumentChange;
import dev.ecroidcguard.core.policy.PolicyDocument;
import dev.ecroidcguard.core.policy.PolicyWriter;
import dev.ecroidcguard.core.policy.Principals;
import dev.ecroidcguard.core.policy.Statement;
import dev.ecroidcguard.core.repositorypolicy.Problem.Remedy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Builds the never-widening repair of a repository policy from its problems: offending Allow statements or
 * principal values are removed, the CI role's administrative grants are cut down to the push/pull actions the
 * statement already granted, and Deny statements are never touched (removing a Deny would widen the policy).
 */
final class RepositoryPolicyFix {

    private RepositoryPolicyFix() {
    }

    static DocumentChange plan(PolicyDocument policy, List<Problem> problems) {
        if (problems.isEmpty()) {
            return DocumentChange.UNCHANGED;
        }
        List<Problem> forHuman = problems.stream().filter(p -> p.remedy() instanceof Remedy.LeaveToHuman).toList();
        List<Problem> fixable = problems.stream().filter(p -> !(p.remedy() instanceof Remedy.LeaveToHuman)).toList();
        if (fixable.isEmpty()) {
            return new DocumentChange.NeedsHuman(humanPart(forHuman));
        }
        List<String> reasons = new ArrayList<>();
        List<Statement> kept = new ArrayList<>();
        for (int i = 0; i < policy.statements().size(); i++) {
            Statement s = policy.statements().get(i);
            int index = i;
            List<Problem> here = fixable.stream().filter(p -> p.statement() == index).toList();
            if (here.isEmpty()) {
                kept.add(s);
                continue;
            }
            here.forEach(p -> reasons.add(p.code() + ": " + p.message()));
            repaired(s, here).ifPresentOrElse(kept::add,
                    () -> reasons.add(s.label(index) + " removed: nothing of it may remain without the problems above"));
        }
        if (!forHuman.isEmpty()) {
            reasons.add("left for a person: " + humanPart(forHuman));
        }
        // The problems left for a person are in statements this fix does not touch (Denies): they stay.
        Set<FindingCode> remaining = forHuman.stream().map(Problem::code).collect(Collectors.toSet());
        if (kept.isEmpty()) {
            reasons.add("no statement remains, so the repository policy is deleted (IAM policies still govern access)");
            return new DocumentChange.Delete(reasons, remaining);
        }
        return new DocumentChange.Replace(PolicyWriter.write(kept), reasons, remaining);
    }

    /** The statement without its problems, or empty when nothing of it may stay. */
    private static Optional<Statement> repaired(Statement s, List<Problem> problems) {
        if (problems.stream().anyMatch(p -> p.remedy() instanceof Remedy.RemoveStatement)) {
            return Optional.empty();
        }
        Principals principals = s.principals().orElseThrow();
        if (!principals.anyone()) {
            Map<String, List<String>> byType = new LinkedHashMap<>();
            principals.byType().forEach((type, values) -> {
                List<String> remaining = values.stream().filter(v -> problems.stream().noneMatch(p ->
                        p.remedy() instanceof Remedy.RemovePrincipal(String t, String value) && t.equals(type) && value.equals(v))).toList();
                if (!remaining.isEmpty()) {
                    byType.put(type, remaining);
                }
            });
            if (byType.isEmpty()) {
                return Optional.empty();
            }
            principals = new Principals(false, byType);
        }
        List<String> actions = s.actions();
        boolean notAction = s.notAction();
        if (problems.stream().anyMatch(p -> p.remedy() instanceof Remedy.NarrowToPushPull)) {
            // Intersection with the push/pull actions: never grants an action the statement did not grant.
            actions = GrantedActions.of(s).coveredOf(Baseline.PUSH_PULL_ACTIONS);
            notAction = false;
            if (actions.isEmpty()) {
                return Optional.empty();
            }
        }
        return Optional.of(new Statement(s.sid(), s.effect(), Optional.of(principals), false,
                actions, notAction, s.resources(), s.notResource(), s.conditions()));
    }

    private static String humanPart(List<Problem> forHuman) {
        return String.join("; ", forHuman.stream().map(p -> p.code() + ": " + p.message()).toList())
                + ". Removing or loosening a Deny would widen the policy; decide whether the CI role should be exempted.";
    }
}
