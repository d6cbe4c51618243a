package dev.ecroidcguard.core.permissions;

import dev.ecroidcguard.core.analysis.EcrActions;
import dev.ecroidcguard.core.lang.Wildcards;
import dev.ecroidcguard.core.policy.PolicyDocument;
import dev.ecroidcguard.core.policy.Statement;
import dk.brics.automaton.Automaton;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

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
     * How a statement with a Condition is read. Its conditions are evaluated on the keys the analysis knows for
     * the requests in question ({@link RequestKeys}); what stays undecided is bounded from both sides:
     * {@link #UPPER} (what the role may be allowed, for excess findings) counts an Allow unless its condition
     * is surely false and a Deny only when it is surely true; {@link #LOWER} (what the role is surely allowed,
     * for missing-permission findings and for the fix) counts an Allow only when its condition is surely true
     * and a Deny unless it is surely false.
     */
    enum Bound {
        UPPER, LOWER;

        boolean counts(Statement s, RequestKeys keys) {
            if (s.conditions().isEmpty()) {
                return true;
            }
            RequestKeys.Truth truth = keys.evaluate(s.conditions(), this);
            boolean mayHold = truth != RequestKeys.Truth.FALSE;
            boolean surelyHolds = truth == RequestKeys.Truth.TRUE;
            return s.isAllow() == (this == UPPER) ? mayHold : surelyHolds;
        }
    }

    /** An identity policy as findings cite it: inline policy name or managed policy ARN. */
    record SourcePolicy(String grantedBy, PolicyDocument document, boolean administrative) {
    }

    /**
     * One product of allowed pairs and where it comes from. {@code administrative} marks grants of
     * {@code Action "*"}, Allow+NotAction or an administrative AWS-managed policy; {@code notResource} marks
     * grants of Allow+NotResource.
     *
     * <p>Each side is either a finite set of words (a statement of literal names, cut by boundaries and denies
     * word by word) or an automaton; {@link #actions()} and {@link #resources()} build the automaton of a
     * finite side on first use. Automata held here may be shared with {@link StatementLanguages}'s cache:
     * read only.
     */
    static final class Grant {
        private final Set<String> actionSet;
        private final Set<String> resourceSet;
        private Automaton actions;
        private Automaton resources;
        private final String grantedBy;
        private final boolean administrative;
        private final boolean notResource;

        private Grant(Set<String> actionSet, Automaton actions, Set<String> resourceSet, Automaton resources, String grantedBy,
                      boolean administrative, boolean notResource) {
            this.actionSet = actionSet;
            this.actions = actions;
            this.resourceSet = resourceSet;
            this.resources = resources;
            this.grantedBy = grantedBy;
            this.administrative = administrative;
            this.notResource = notResource;
        }

        /** The action language (lower-case). Read only. */
        Automaton actions() {
            if (actions == null) {
                actions = StatementLanguages.finite(actionSet);
            }
            return actions;
        }

        /** The resource language. Read only. */
        Automaton resources() {
            if (resources == null) {
                resources = StatementLanguages.finite(resourceSet);
            }
            return resources;
        }

        /** The action words when finitely many are known word by word; else null. */
        Set<String> actionSet() {
            return actionSet;
        }

        /** The resource words when finitely many are known word by word; else null. */
        Set<String> resourceSet() {
            return resourceSet;
        }

        String grantedBy() {
            return grantedBy;
        }

        boolean administrative() {
            return administrative;
        }

        boolean notResource() {
            return notResource;
        }

        boolean allowsAction(String lowerAction) {
            return actionSet != null ? actionSet.contains(lowerAction) : actions.run(lowerAction);
        }

        boolean allowsResource(String resource) {
            return resourceSet != null ? resourceSet.contains(resource) : resources.run(resource);
        }

        boolean allows(String lowerAction, String resource) {
            return allowsAction(lowerAction) && allowsResource(resource);
        }

        private boolean isEmpty() {
            return (actionSet != null ? actionSet.isEmpty() : actions.isEmpty())
                    || (resourceSet != null ? resourceSet.isEmpty() : resources.isEmpty());
        }
    }

    /** One side of a grant under construction: a finite set of words, or an automaton ({@code fresh} when this class owns it). */
    private record Side(Set<String> words, Automaton language, boolean fresh) {

        static Side actionsOf(Statement s) {
            Set<String> literal = StatementLanguages.literalActions(s);
            return literal != null ? new Side(literal, null, false) : new Side(null, StatementLanguages.actions(s).automaton(), false);
        }

        static Side resourcesOf(Statement s) {
            Set<String> literal = StatementLanguages.literalResources(s);
            return literal != null ? new Side(literal, null, false) : new Side(null, StatementLanguages.resources(s).automaton(), false);
        }

        /** This side cut by {@code other}'s language ({@code in}) or by its complement ({@code !in}). */
        Side cut(Side other, Predicate<String> otherContains, boolean in) {
            if (words != null) {
                Set<String> kept = new LinkedHashSet<>();
                for (String w : words) {
                    if (otherContains.test(w) == in) {
                        kept.add(w);
                    }
                }
                return new Side(kept, null, false);
            }
            Automaton o = other.words != null ? StatementLanguages.finite(other.words) : other.language;
            return new Side(null, in ? language.intersection(o) : language.minus(o), true);
        }

        boolean contains(String w) {
            return words != null ? words.contains(w) : language.run(w);
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
    static EffectivePermissions of(List<SourcePolicy> identity, Optional<PolicyDocument> boundary, Bound bound, RequestKeys keys) {
        Predicate<Statement> counted = s -> bound.counts(s, keys);
        List<Statement> boundaryAllows = boundary.map(b -> b.statements().stream().filter(Statement::isAllow)
                .filter(counted).toList()).orElse(List.of());
        List<Statement> denies = new ArrayList<>();
        for (SourcePolicy p : identity) {
            p.document().statements().stream().filter(s -> !s.isAllow()).filter(counted).forEach(denies::add);
        }
        boundary.ifPresent(b -> b.statements().stream().filter(s -> !s.isAllow()).filter(counted).forEach(denies::add));

        List<Cell> cells = new ArrayList<>();
        for (SourcePolicy p : identity) {
            for (Statement s : p.document().statements()) {
                if (!s.isAllow() || !counted.test(s)) {
                    continue;
                }
                Side actions = Side.actionsOf(s);
                // A finite action set cannot contain every action word.
                boolean administrative = p.administrative() || s.notAction()
                        || (actions.words() == null && StatementLanguages.actions(s).allActionWords());
                Side resources = Side.resourcesOf(s);
                if (boundary.isEmpty()) {
                    add(cells, new Cell(actions, resources, p.grantedBy(), administrative, s.notResource()));
                } else {
                    for (Statement b : boundaryAllows) {
                        add(cells, new Cell(actions.cut(Side.actionsOf(b), w -> StatementLanguages.actionsContain(b, w), true),
                                resources.cut(Side.resourcesOf(b), w -> StatementLanguages.resourcesContain(b, w), true),
                                p.grantedBy(), administrative, s.notResource()));
                    }
                }
            }
        }
        for (Statement deny : denies) {
            Side deniedActions = Side.actionsOf(deny);
            Side deniedResources = Side.resourcesOf(deny);
            Predicate<String> deniesAction = w -> StatementLanguages.actionsContain(deny, w);
            Predicate<String> deniesResource = w -> StatementLanguages.resourcesContain(deny, w);
            List<Cell> split = new ArrayList<>();
            for (Cell g : cells) {
                add(split, new Cell(g.actions().cut(deniedActions, deniesAction, false), g.resources(), g.grantedBy(), g.administrative(),
                        g.notResource()));
                add(split, new Cell(g.actions().cut(deniedActions, deniesAction, true), g.resources().cut(deniedResources, deniesResource, false),
                        g.grantedBy(), g.administrative(), g.notResource()));
            }
            cells = split;
        }
        List<Grant> grants = new ArrayList<>();
        for (Cell c : cells) {
            grants.add(new Grant(c.actions().words(), c.actions().language(), c.resources().words(), c.resources().language(),
                    c.grantedBy(), c.administrative(), c.notResource()));
        }
        return new EffectivePermissions(grants, boundaryAllows, boundary.isPresent(), denies);
    }

    private record Cell(Side actions, Side resources, String grantedBy, boolean administrative, boolean notResource) {
    }

    List<Grant> grants() {
        return grants;
    }

    boolean allows(String action, String resource) {
        return grantFor(action, resource).isPresent();
    }

    Optional<Grant> grantFor(String action, String resource) {
        String lower = Wildcards.lower(action);
        for (Grant g : grants) {
            if (g.allows(lower, resource)) {
                return Optional.of(g);
            }
        }
        return Optional.empty();
    }

    /** Every resource the role may use {@code action} on (a fresh automaton). */
    Automaton resourcesFor(String action) {
        String lower = Wildcards.lower(action);
        List<Automaton> reached = grants.stream().filter(g -> g.allowsAction(lower)).map(Grant::resources).toList();
        return reached.size() == 1 ? reached.get(0).clone() : Wildcards.union(reached);
    }

    /** The boundary's cap alone (true without a boundary): what a repository-policy grant to the role ARN meets. */
    boolean boundaryAllows(String action, String resource) {
        String lower = Wildcards.lower(action);
        return !hasBoundary || boundaryAllows.stream().anyMatch(b -> StatementLanguages.actionsContain(b, lower)
                && StatementLanguages.resourcesContain(b, resource));
    }

    /** An explicit deny of the role's identity policies or boundary: it wins over every grant, resource policies' too. */
    boolean denies(String action, String resource) {
        String lower = Wildcards.lower(action);
        return denies.stream().anyMatch(d -> StatementLanguages.actionsContain(d, lower) && StatementLanguages.resourcesContain(d, resource));
    }

    /** The Action (or complement of the NotAction) language, lower-cased and limited to action-shaped words (fresh). */
    static Automaton actions(Statement s) {
        Set<String> literal = StatementLanguages.literalActions(s);
        return literal != null ? StatementLanguages.finite(literal) : StatementLanguages.actions(s).automaton().clone();
    }

    /** The Resource (or complement of the NotResource) language over non-empty printable words (fresh). */
    static Automaton resources(Statement s) {
        Set<String> literal = StatementLanguages.literalResources(s);
        return literal != null ? StatementLanguages.finite(literal) : StatementLanguages.resources(s).automaton().clone();
    }

    /** Every word that can be a resource here: non-empty and printable (ARNs and {@code *}). Shared: read only. */
    static Automaton resourceWords() {
        return StatementLanguages.resourceWords();
    }

    /** Keeps non-empty cells; automata this class made are minimised (shared cached ones already are). */
    private static void add(List<Cell> cells, Cell c) {
        if (isEmpty(c.actions()) || isEmpty(c.resources())) {
            return;
        }
        minimizeIfFresh(c.actions());
        minimizeIfFresh(c.resources());
        cells.add(c);
    }

    private static boolean isEmpty(Side side) {
        return side.words() != null ? side.words().isEmpty() : side.language().isEmpty();
    }

    private static void minimizeIfFresh(Side side) {
        if (side.fresh()) {
            side.language().minimize();
        }
    }
}
