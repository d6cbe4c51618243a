package dev.ecroidcguard.core.permissions;

import dev.ecroidcguard.core.analysis.EcrActions;
import dev.ecroidcguard.core.lang.Wildcards;
import dev.ecroidcguard.core.policy.PolicyDocument;
import dev.ecroidcguard.core.policy.Statement;
import dk.brics.automaton.Automaton;
import dk.brics.automaton.BasicAutomata;
import dk.brics.automaton.RunAutomaton;

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
     *
     * <p>aws:RequestedRegion decides per resource: on a regional ARN the request's region is the ARN's, so the
     * statement counts on the ARNs of the regions its conditions allow (both bounds alike); on a resource
     * without a region ({@code *}, a global ARN) the region is the repository's for {@link #LOWER} (the
     * workflows' requests) and unknown for {@link #UPPER} (possibly any region).
     */
    enum Bound {
        UPPER, LOWER;

        /** The statement as it counts for this bound, or empty when it does not count at all. */
        Optional<Counted> read(Statement s, RequestKeys keys) {
            if (s.conditions().isEmpty()) {
                return Optional.of(Counted.whole(s, false));
            }
            boolean mayHoldSuffices = s.isAllow() == (this == UPPER);
            RequestKeys.Truth truth = keys.evaluate(s.conditions());
            boolean counts = mayHoldSuffices ? truth != RequestKeys.Truth.FALSE : truth == RequestKeys.Truth.TRUE;
            if (!counts) {
                return Optional.empty();
            }
            boolean unknown = truth == RequestKeys.Truth.UNKNOWN;
            return switch (RequestKeys.regions(s.conditions())) {
                case RequestKeys.Regions.Unconditioned u -> Optional.of(Counted.whole(s, unknown));
                case RequestKeys.Regions.Undecided u -> mayHoldSuffices ? Optional.of(Counted.whole(s, true)) : Optional.empty();
                case RequestKeys.Regions.Allowed a -> {
                    boolean regionless = this == LOWER ? a.names().run(keys.region())
                            : mayHoldSuffices ? !a.names().isEmpty() : Wildcards.subsetOf(RequestKeys.regionWords(), a.names());
                    Automaton regionlessRegions = this == UPPER && mayHoldSuffices ? a.names() : null;
                    yield Optional.of(Counted.within(s, Regional.resources(a.names(), regionless), unknown, regionlessRegions));
                }
            };
        }
    }

    /**
     * A statement as one bound counts it: its resources, cut to where its aws:RequestedRegion conditions hold.
     * Its action side is the statement's own.
     */
    record Counted(Statement statement, Side resources, Predicate<String> resourceContains, boolean conditional,
                   Automaton regionlessRegions) {

        static Counted whole(Statement s, boolean conditional) {
            return new Counted(s, Side.resourcesOf(s), w -> StatementLanguages.resourcesContain(s, w), conditional, null);
        }

        /**
         * @param regionlessRegions for {@link #UPPER}'s Allows, the regions in which a request on a resource without
         *                          a region may be made for this statement to apply (null: any); one request has one
         *                          region, so an Allow and a boundary Allow whose regions are disjoint meet on no
         *                          such resource
         */
        static Counted within(Statement s, Automaton where, boolean conditional, Automaton regionlessRegions) {
            RunAutomaton inWhere = new RunAutomaton(where, false);
            Side cut = Side.resourcesOf(s).cut(new Side(null, where, false), inWhere::run, true);
            if (cut.language() != null) {
                cut.language().minimize();
            }
            return new Counted(s, cut, w -> inWhere.run(w) && StatementLanguages.resourcesContain(s, w), conditional, regionlessRegions);
        }

        boolean covers(String lowerAction, String resource) {
            return StatementLanguages.actionsContain(statement, lowerAction) && resourceContains.test(resource);
        }
    }

    /** Resources by the region a request on them is made in. */
    private static final class Regional {
        private static final RunAutomaton REGIONAL_ARN_MATCHER;
        private static final Automaton NO_COLON = BasicAutomata.makeCharRange(' ', '~').minus(BasicAutomata.makeChar(':')).repeat();
        private static final Automaton ANY = BasicAutomata.makeAnyChar().repeat();
        /** ARNs with a region field: {@code arn:<partition>:<service>:<region>:...}. */
        private static final Automaton REGIONAL_ARNS = arnsIn(RequestKeys.regionWords());
        /** Resources whose requests carry no region of their own ({@code *}, global ARNs). */
        private static final Automaton REGIONLESS = minimal(StatementLanguages.resourceWords().minus(REGIONAL_ARNS));

        static {
            REGIONAL_ARNS.minimize();
            REGIONAL_ARN_MATCHER = new RunAutomaton(REGIONAL_ARNS, false);
        }

        /** {@code resources} without the resources lacking a region when no region satisfies both statements. */
        static Side inSomeCommonRegion(Side resources, Counted allow, Counted boundary) {
            if (allow.regionlessRegions() == null || boundary.regionlessRegions() == null
                    || !allow.regionlessRegions().intersection(boundary.regionlessRegions()).isEmpty()) {
                return resources;
            }
            return resources.cut(new Side(null, REGIONAL_ARNS, false), REGIONAL_ARN_MATCHER::run, true);
        }

        /** The regional ARNs of {@code regions}, and the resources without a region when {@code regionless}. */
        static Automaton resources(Automaton regions, boolean regionless) {
            Automaton in = arnsIn(regions).intersection(StatementLanguages.resourceWords());
            return minimal(regionless ? in.union(REGIONLESS) : in);
        }

        private static Automaton minimal(Automaton a) {
            a.minimize();
            return a;
        }

        private static Automaton arnsIn(Automaton regions) {
            return BasicAutomata.makeString("arn:").concatenate(NO_COLON).concatenate(BasicAutomata.makeChar(':')).concatenate(NO_COLON)
                    .concatenate(BasicAutomata.makeChar(':')).concatenate(regions).concatenate(BasicAutomata.makeChar(':')).concatenate(ANY);
        }
    }

    /** An identity policy as findings cite it: inline policy name or managed policy ARN. */
    record SourcePolicy(String grantedBy, PolicyDocument document, boolean administrative) {
    }

    /**
     * One product of allowed pairs and where it comes from. {@code administrative} marks grants of
     * {@code Action "*"}, Allow+NotAction or an administrative AWS-managed policy; {@code notResource} marks
     * grants of Allow+NotResource; {@code conditional} marks grants counted although a condition on keys the
     * analysis cannot know may be false (possibly true for exposure, see {@link Bound}).
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
        private final boolean conditional;

        private Grant(Set<String> actionSet, Automaton actions, Set<String> resourceSet, Automaton resources, String grantedBy,
                      boolean administrative, boolean notResource, boolean conditional) {
            this.actionSet = actionSet;
            this.actions = actions;
            this.resourceSet = resourceSet;
            this.resources = resources;
            this.grantedBy = grantedBy;
            this.administrative = administrative;
            this.conditional = conditional;
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

        boolean conditional() {
            return conditional;
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
    record Side(Set<String> words, Automaton language, boolean fresh) {

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
    private final List<Counted> boundaryAllows;
    private final boolean hasBoundary;
    private final List<Counted> denies;

    private EffectivePermissions(List<Grant> grants, List<Counted> boundaryAllows, boolean hasBoundary, List<Counted> denies) {
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
        List<Counted> boundaryAllows = boundary.map(b -> b.statements().stream().filter(Statement::isAllow)
                .flatMap(s -> bound.read(s, keys).stream()).toList()).orElse(List.of());
        List<Counted> denies = new ArrayList<>();
        for (SourcePolicy p : identity) {
            p.document().statements().stream().filter(s -> !s.isAllow()).flatMap(s -> bound.read(s, keys).stream()).forEach(denies::add);
        }
        boundary.ifPresent(b -> b.statements().stream().filter(s -> !s.isAllow()).flatMap(s -> bound.read(s, keys).stream())
                .forEach(denies::add));

        List<Cell> cells = new ArrayList<>();
        for (SourcePolicy p : identity) {
            for (Statement s : p.document().statements()) {
                Optional<Counted> counted = s.isAllow() ? bound.read(s, keys) : Optional.empty();
                if (counted.isEmpty()) {
                    continue;
                }
                Side actions = Side.actionsOf(s);
                // A finite action set cannot contain every action word.
                boolean administrative = p.administrative() || s.notAction()
                        || (actions.words() == null && StatementLanguages.actions(s).allActionWords());
                Side resources = counted.get().resources();
                if (boundary.isEmpty()) {
                    add(cells, new Cell(actions, resources, p.grantedBy(), administrative, s.notResource(), counted.get().conditional()));
                } else {
                    for (Counted b : boundaryAllows) {
                        Statement bs = b.statement();
                        Side within = resources.cut(b.resources(), b.resourceContains(), true);
                        add(cells, new Cell(actions.cut(Side.actionsOf(bs), w -> StatementLanguages.actionsContain(bs, w), true),
                                Regional.inSomeCommonRegion(within, counted.get(), b),
                                p.grantedBy(), administrative, s.notResource(), counted.get().conditional() || b.conditional()));
                    }
                }
            }
        }
        for (Counted deny : denies) {
            Statement ds = deny.statement();
            Side deniedActions = Side.actionsOf(ds);
            Predicate<String> deniesAction = w -> StatementLanguages.actionsContain(ds, w);
            List<Cell> split = new ArrayList<>();
            for (Cell g : cells) {
                add(split, new Cell(g.actions().cut(deniedActions, deniesAction, false), g.resources(), g.grantedBy(), g.administrative(),
                        g.notResource(), g.conditional()));
                add(split, new Cell(g.actions().cut(deniedActions, deniesAction, true), g.resources().cut(deny.resources(), deny.resourceContains(), false),
                        g.grantedBy(), g.administrative(), g.notResource(), g.conditional()));
            }
            cells = split;
        }
        List<Grant> grants = new ArrayList<>();
        for (Cell c : cells) {
            grants.add(new Grant(c.actions().words(), c.actions().language(), c.resources().words(), c.resources().language(),
                    c.grantedBy(), c.administrative(), c.notResource(), c.conditional()));
        }
        return new EffectivePermissions(grants, boundaryAllows, boundary.isPresent(), denies);
    }

    private record Cell(Side actions, Side resources, String grantedBy, boolean administrative, boolean notResource, boolean conditional) {
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
        return !hasBoundary || boundaryAllows.stream().anyMatch(b -> b.covers(lower, resource));
    }

    /** An explicit deny of the role's identity policies or boundary: it wins over every grant, resource policies' too. */
    boolean denies(String action, String resource) {
        String lower = Wildcards.lower(action);
        return denies.stream().anyMatch(d -> d.covers(lower, resource));
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
