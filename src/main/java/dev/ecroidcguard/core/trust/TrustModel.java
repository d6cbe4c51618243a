package dev.ecroidcguard.core.trust;

import dev.ecroidcguard.core.analysis.Baseline;
import dev.ecroidcguard.core.lang.Wildcards;
import dev.ecroidcguard.core.policy.Condition;
import dev.ecroidcguard.core.policy.ConditionOperator;
import dev.ecroidcguard.core.policy.PolicyDocument;
import dev.ecroidcguard.core.policy.Principals;
import dev.ecroidcguard.core.policy.Statement;
import dev.ecroidcguard.core.lang.Lang;
import dk.brics.automaton.Automaton;
import dk.brics.automaton.RegExp;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The trust policy as sets of tokens, per GitHub issuer: each Allow statement that applies to the issuer's
 * web-identity callers becomes a conjunct of key constraints, ANDed with the negation of every applicable Deny
 * statement and expanded into a union of conjuncts (statements are ORed, a matching Deny wins).
 */
final class TrustModel {

    /** Above this many conjuncts a Deny is left out (the admitted set is then over-approximated, never under). */
    private static final int MAX_CONJUNCTS = 2_048;

    /** A GitHub issuer the account trusts: provider ARN, issuer (condition-key prefix) and accepted audiences. */
    record Issuer(String providerArn, String issuer, List<String> audiences) {
        Issuer {
            audiences = List.copyOf(audiences);
        }
    }

    /**
     * An Allow statement that admits this issuer's tokens, and the tokens it admits once Denies are applied.
     * The languages are built on first use: the common case is decided on concrete tokens without them.
     */
    static final class AllowRule {
        private final int index;
        private final Statement statement;
        private final String issuer;
        private final List<Statement> denyStatements;
        private final java.util.function.Supplier<List<List<Conjunct>>> denies;
        private Conjunct condition;
        private List<Conjunct> admitted;
        private boolean admitsOtherRepositories;

        private AllowRule(int index, Statement statement, String issuer, List<Statement> denyStatements,
                          java.util.function.Supplier<List<List<Conjunct>>> denies) {
            this.index = index;
            this.statement = statement;
            this.issuer = issuer;
            this.denyStatements = denyStatements;
            this.denies = denies;
        }

        int index() {
            return index;
        }

        Statement statement() {
            return statement;
        }

        /** The Deny statements of the policy that apply to this issuer's web-identity callers. */
        List<Statement> denyStatements() {
            return denyStatements;
        }

        /** Recorded by the analysis when it found a token of another repository (owner) that the rule admits. */
        void foundOtherRepositoryToken() {
            admitsOtherRepositories = true;
        }

        /**
         * Whether the analysis found a token of another repository that the rule admits: then the statement's own
         * condition (a superset of what the rule admits after Denies) admits it too, and the fix planner need not
         * solve for it again.
         */
        boolean admitsOtherRepositories() {
            return admitsOtherRepositories;
        }

        Conjunct condition() {
            if (condition == null) {
                condition = conjunctOf(statement, issuer);
            }
            return condition;
        }

        List<Conjunct> admitted() {
            if (admitted == null) {
                admitted = List.copyOf(applyDenies(condition(), denies.get()));
            }
            return admitted;
        }
    }

    private TrustModel() {
    }

    static List<AllowRule> allowRules(PolicyDocument doc, Issuer issuer) {
        List<Statement> denyStatements = doc.statements().stream().filter(s -> !s.isAllow() && appliesTo(s, issuer)).toList();
        List<List<Conjunct>>[] denies = new List[1];
        java.util.function.Supplier<List<List<Conjunct>>> lazyDenies = () -> {
            if (denies[0] == null) {
                List<List<Conjunct>> built = new ArrayList<>();
                denyStatements.forEach(s -> negatedBlocks(s, issuer.issuer()).ifPresent(built::add));
                denies[0] = built;
            }
            return denies[0];
        };
        List<AllowRule> rules = new ArrayList<>();
        List<Statement> statements = doc.statements();
        for (int i = 0; i < statements.size(); i++) {
            Statement s = statements.get(i);
            if (s.isAllow() && appliesTo(s, issuer)) {
                rules.add(new AllowRule(i, s, issuer.issuer(), denyStatements, lazyDenies));
            }
        }
        return rules;
    }

    /** Does the statement's principal admit the issuer's provider, and its action cover AssumeRoleWithWebIdentity? */
    static boolean appliesTo(Statement s, Issuer issuer) {
        return principalAdmits(s, issuer.providerArn()) && actionCovers(s, Baseline.ASSUME_ACTION);
    }

    static boolean principalAdmits(Statement s, String providerArn) {
        if (s.principals().isEmpty()) {
            return false;
        }
        Principals p = s.principals().get();
        boolean listed = p.isEveryone() || p.of("Federated").contains(providerArn);
        return s.notPrincipal() ? !p.isEveryone() && !p.of("Federated").contains(providerArn) : listed;
    }

    static boolean actionCovers(Statement s, String action) {
        String lower = action.toLowerCase(Locale.ROOT);
        boolean listed = s.actions().stream().anyMatch(a -> Wildcards.matches(a.toLowerCase(Locale.ROOT), lower));
        return s.notAction() != listed;
    }

    static Conjunct conjunctOf(Statement s, String issuer) {
        Conjunct c = Conjunct.unconditional();
        for (Condition condition : s.conditions()) {
            String key = modelKey(condition, issuer);
            if (key != null) {
                c = c.and(key, constraintOf(condition));
            }
        }
        return c;
    }

    /** The conjunct key for a condition, or null when the key is outside the token. */
    static String modelKey(Condition condition, String issuer) {
        return switch (ConditionKeys.classify(condition.key(), issuer)) {
            case ConditionKeys.Kind.Claim claim -> claim.name();
            case ConditionKeys.Kind.Malformed m -> Conjunct.absentKey(m.rawKey().toLowerCase(Locale.ROOT));
            case ConditionKeys.Kind.OtherIssuer o -> Conjunct.absentKey(o.rawKey().toLowerCase(Locale.ROOT));
            case ConditionKeys.Kind.NotTokenKey n -> null;
        };
    }

    /** IAM condition semantics for a single-valued key (AWS: Condition operators; single- vs multivalued keys). */
    static KeyConstraint constraintOf(Condition c) {
        ConditionOperator op = c.operator();
        if (op == ConditionOperator.Null) {
            boolean mayBeAbsent = c.values().stream().anyMatch(v -> v.equalsIgnoreCase("true"));
            boolean mayBePresent = c.values().stream().anyMatch(v -> v.equalsIgnoreCase("false"));
            return new KeyConstraint(mayBePresent ? Automaton.makeAnyString() : Automaton.makeEmpty(), mayBeAbsent);
        }
        Automaton matched = valuesLanguage(c);
        boolean absentOk = switch (c.qualifier()) {
            case FOR_ALL_VALUES -> true;               // the empty set satisfies "for all"
            case FOR_ANY_VALUE -> false;               // ... and never "for any"
            case NONE -> c.ifExists() || op.isNegated();
        };
        return new KeyConstraint(op.isNegated() ? matched.complement() : matched, absentOk);
    }

    /**
     * What IAM takes for an ARN in the Arn* operators: {@code arn:partition:service:region:account:resource}.
     * AWS documents these operators for ARN-valued keys only; on a value that is not an ARN (every GitHub claim
     * STS provides) they are taken never to match, so a positive Arn* test on a claim fails and a negated one
     * holds (the same reading as the independent evaluator of the differential test).
     */
    static final Automaton ARN_SHAPE = Lang.min(new RegExp("arn:[^:]*:[^:]*:[^:]*:[^:]*:.*").toAutomaton());

    /**
     * The values an operator's value list matches (ORed); the positive side of negated operators. Only to be read:
     * it may be a cached pattern itself (see {@link Wildcards#sharedPattern}).
     */
    static Automaton valuesLanguage(Condition c) {
        List<Automaton> parts = new ArrayList<>();
        for (String v : c.values()) {
            parts.add(switch (c.operator()) {
                // Only read (intersected, complemented, tested) from here on, so the cached pattern is not copied.
                case StringLike, StringNotLike -> valueLanguage(v, Wildcards::sharedPattern);
                case ArnLike, ArnNotLike, ArnEquals, ArnNotEquals -> valueLanguage(v, Wildcards::sharedPattern).intersection(ARN_SHAPE);
                case StringEqualsIgnoreCase, StringNotEqualsIgnoreCase -> valueLanguage(v, Wildcards::ignoringCase);
                case StringEquals, StringNotEquals, NumericEquals, NumericNotEquals, BinaryEquals -> valueLanguage(v, Wildcards::literal);
                // Operators that cannot meaningfully test a GitHub string claim: assume they may match.
                default -> Automaton.makeAnyString();
            });
        }
        return Wildcards.union(parts);
    }

    /** One value's language; policy variables (see {@link PolicyVariables}) become the values they may take. */
    private static Automaton valueLanguage(String value, java.util.function.Function<String, Automaton> text) {
        if (!PolicyVariables.hasVariable(value)) {
            return text.apply(value);
        }
        List<Automaton> pieces = new ArrayList<>();
        for (PolicyVariables.Part part : PolicyVariables.parse(value)) {
            pieces.add(switch (part) {
                case PolicyVariables.Part.Text t -> text.apply(t.text());
                case PolicyVariables.Part.Literal l -> Wildcards.literal(l.text());
                case PolicyVariables.Part.Variable v when PolicyVariables.suppliedByRequest(v.key()) -> Automaton.makeAnyString();
                case PolicyVariables.Part.Variable v when v.defaultValue().isPresent() -> Wildcards.literal(v.defaultValue().get());
                case PolicyVariables.Part.Variable v -> Automaton.makeEmpty();
            });
        }
        return Lang.cat(pieces.toArray(Automaton[]::new));
    }

    /** A Deny statement's negation as alternatives (one per condition block); empty when it can be dodged. */
    private static java.util.Optional<List<Conjunct>> negatedBlocks(Statement deny, String issuer) {
        List<Conjunct> alternatives = new ArrayList<>();
        for (Condition condition : deny.conditions()) {
            String key = modelKey(condition, issuer);
            if (key == null) {
                return java.util.Optional.empty(); // a caller-controlled key: the Deny can be dodged
            }
            alternatives.add(Conjunct.unconditional().and(key, constraintOf(condition).not()));
        }
        return java.util.Optional.of(alternatives); // no conditions: denies everything (no alternative)
    }

    private static List<Conjunct> applyDenies(Conjunct allow, List<List<Conjunct>> denies) {
        List<Conjunct> current = List.of(allow);
        for (List<Conjunct> alternatives : denies) {
            List<Conjunct> next = new ArrayList<>();
            for (Conjunct c : current) {
                for (Conjunct alt : alternatives) {
                    Conjunct combined = c.and(alt);
                    if (combined.satisfiable()) {
                        next.add(combined);
                    }
                }
            }
            if (next.size() > MAX_CONJUNCTS) {
                continue; // too many combinations: skip this Deny (over-approximates what is admitted)
            }
            current = next;
        }
        return current;
    }

    /** Sub conditions of a statement: positive ones (StringLike/StringEquals...) or negated ones. */
    static List<Condition> subConditions(Statement s, Issuer issuer, boolean negated) {
        List<Condition> out = new ArrayList<>();
        for (Condition c : s.conditions()) {
            if (ConditionKeys.classify(c.key(), issuer.issuer()) instanceof ConditionKeys.Kind.Claim claim && claim.name().equals("sub")
                    && c.operator().isStringLike() && c.operator().isNegated() == negated) {
                out.add(c);
            }
        }
        return out;
    }

    static Condition withValues(Condition c, List<String> values) {
        return new Condition(c.operatorText(), c.operator(), c.qualifier(), c.ifExists(), c.key(), values);
    }

    static Statement replaceValues(Statement s, Condition target, List<String> values) {
        List<Condition> conditions = new ArrayList<>();
        for (Condition c : s.conditions()) {
            conditions.add(c == target ? withValues(c, values) : c);
        }
        return new Statement(s.sid(), s.effect(), s.principals(), s.notPrincipal(), s.actions(), s.notAction(), s.resources(),
                s.notResource(), conditions);
    }
}
