package dev.ecroidcguard.core.permissions;

import dev.ecroidcguard.core.analysis.EcrActions;
import dev.ecroidcguard.core.lang.Wildcards;
import dev.ecroidcguard.core.policy.PolicyDocument;
import dev.ecroidcguard.core.policy.Statement;
import dk.brics.automaton.Automaton;
import dk.brics.automaton.BasicAutomata;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The (action, resource) pairs a role's identity policies allow within its permissions boundary, minus
 * explicit denies, as a union of products {@code actions × resources}: each Allow statement, cut by each
 * boundary Allow statement, then split by every Deny statement into the part the deny misses on the action
 * side and the part it misses on the resource side. That representation is exact, so every question below
 * is answered with languages rather than by sampling.
 *
 * <p>Action languages are lower-case words {@code service:name} (IAM compares action names
 * case-insensitively); resource languages are case-sensitive, and a request for an action without a resource
 * type (such as {@code ecr:GetAuthorizationToken}) is the resource {@code *} itself.
 */
final class EffectivePermissions {

    /**
     * How a statement with a Condition is read. The analysis cannot evaluate conditions against every
     * request, so it bounds the answer from both sides: {@link #UPPER} (what the role may be allowed, for
     * excess findings) counts a conditioned Allow and ignores a conditioned Deny; {@link #LOWER} (what the
     * role is surely allowed, for missing-permission findings and for the fix) ignores a conditioned Allow
     * and counts a conditioned Deny.
     */
    enum Bound {
        UPPER, LOWER;

        boolean counts(Statement s) {
            return s.conditions().isEmpty() || (s.isAllow() == (this == UPPER));
        }
    }

    /** An identity policy as findings cite it: inline policy name or managed policy ARN. */
    record SourcePolicy(String grantedBy, PolicyDocument document, boolean administrative) {
    }

    /**
     * One product of allowed pairs and where it comes from. {@code administrative} marks grants of
     * {@code Action "*"}, Allow+NotAction or an administrative AWS-managed policy; {@code notResource} marks
     * grants of Allow+NotResource.
     */
    record Grant(Automaton actions, Automaton resources, String grantedBy, boolean administrative, boolean notResource) {
        boolean allows(String lowerAction, String resource) {
            return actions.run(lowerAction) && resources.run(resource);
        }
    }

    private final List<Grant> grants;
    private final List<Statement> boundaryAllows;
    private final boolean hasBoundary;
    private final List<Statement> denies;

    private EffectivePermissions(List<Grant> grants, List<Statement> boundaryAllows, boolean hasBoundary, List<Statement> denies) {
        this.grants = List.copyOf(grants);
        this.boundaryAllows = List.copyOf(boundaryAllows);
        this.hasBoundary = hasBoundary;
        this.denies = List.copyOf(denies);
    }

    /**
     * @param boundary the permissions boundary's document; empty when the role has none (or when it cannot be
     *                 read: the caller reports that, and an unknown boundary cannot be shown to cut anything)
     */
    static EffectivePermissions of(List<SourcePolicy> identity, Optional<PolicyDocument> boundary, Bound bound) {
        List<Statement> boundaryAllows = boundary.map(b -> b.statements().stream().filter(Statement::isAllow)
                .filter(bound::counts).toList()).orElse(List.of());
        List<Statement> denies = new ArrayList<>();
        for (SourcePolicy p : identity) {
            p.document().statements().stream().filter(s -> !s.isAllow()).filter(bound::counts).forEach(denies::add);
        }
        boundary.ifPresent(b -> b.statements().stream().filter(s -> !s.isAllow()).filter(bound::counts).forEach(denies::add));

        List<Grant> cells = new ArrayList<>();
        for (SourcePolicy p : identity) {
            for (Statement s : p.document().statements()) {
                if (!s.isAllow() || !bound.counts(s)) {
                    continue;
                }
                Automaton actions = actions(s);
                boolean administrative = p.administrative() || s.notAction() || Wildcards.subsetOf(EcrActions.actionWords(), actions);
                Automaton resources = resources(s);
                if (boundary.isEmpty()) {
                    add(cells, new Grant(actions, resources, p.grantedBy(), administrative, s.notResource()));
                } else {
                    for (Statement b : boundaryAllows) {
                        add(cells, new Grant(actions.intersection(actions(b)), resources.intersection(resources(b)),
                                p.grantedBy(), administrative, s.notResource()));
                    }
                }
            }
        }
        for (Statement deny : denies) {
            Automaton deniedActions = actions(deny);
            Automaton deniedResources = resources(deny);
            List<Grant> split = new ArrayList<>();
            for (Grant g : cells) {
                add(split, new Grant(g.actions().minus(deniedActions), g.resources(), g.grantedBy(), g.administrative(), g.notResource()));
                add(split, new Grant(g.actions().intersection(deniedActions), g.resources().minus(deniedResources), g.grantedBy(),
                        g.administrative(), g.notResource()));
            }
            cells = split;
        }
        return new EffectivePermissions(cells, boundaryAllows, boundary.isPresent(), denies);
    }

    List<Grant> grants() {
        return grants;
    }

    boolean allows(String action, String resource) {
        return grantFor(action, resource).isPresent();
    }

    Optional<Grant> grantFor(String action, String resource) {
        String lower = Wildcards.lower(action);
        return grants.stream().filter(g -> g.allows(lower, resource)).findFirst();
    }

    /** Every resource the role may use {@code action} on. */
    Automaton resourcesFor(String action) {
        String lower = Wildcards.lower(action);
        return Wildcards.union(grants.stream().filter(g -> g.actions().run(lower)).map(Grant::resources).toList());
    }

    /** The boundary's cap alone (true without a boundary): what a repository-policy grant to the role ARN meets. */
    boolean boundaryAllows(String action, String resource) {
        String lower = Wildcards.lower(action);
        return !hasBoundary || boundaryAllows.stream().anyMatch(b -> actions(b).run(lower) && resources(b).run(resource));
    }

    /** An explicit deny of the role's identity policies or boundary: it wins over every grant, resource policies' too. */
    boolean denies(String action, String resource) {
        String lower = Wildcards.lower(action);
        return denies.stream().anyMatch(d -> actions(d).run(lower) && resources(d).run(resource));
    }

    /** The Action (or complement of the NotAction) language, lower-cased and limited to action-shaped words. */
    static Automaton actions(Statement s) {
        Automaton listed = Wildcards.union(s.actions().stream().map(a -> Wildcards.pattern(Wildcards.lower(a))).toList());
        Automaton words = EcrActions.actionWords();
        return s.notAction() ? words.minus(listed) : words.intersection(listed);
    }

    /** The Resource (or complement of the NotResource) language over non-empty printable words. */
    static Automaton resources(Statement s) {
        Automaton listed = Wildcards.anyOfPatterns(s.resources());
        Automaton words = resourceWords();
        return s.notResource() ? words.minus(listed) : words.intersection(listed);
    }

    /** Every word that can be a resource here: non-empty and printable (ARNs and {@code *}). */
    static Automaton resourceWords() {
        return BasicAutomata.makeCharRange(' ', '~').repeat(1);
    }

    private static void add(List<Grant> cells, Grant g) {
        if (!g.actions().isEmpty() && !g.resources().isEmpty()) {
            g.actions().minimize();
            g.resources().minimize();
            cells.add(g);
        }
    }
}
