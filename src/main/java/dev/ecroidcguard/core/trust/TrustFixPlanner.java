package dev.ecroidcguard.core.trust;

import dev.ecroidcguard.core.analysis.Baseline;
import dev.ecroidcguard.core.analysis.RepositoryContext;
import dev.ecroidcguard.core.finding.Finding;
import dev.ecroidcguard.core.finding.FindingCode;
import dev.ecroidcguard.core.finding.Repair;
import dev.ecroidcguard.core.fix.DocumentChange;
import dev.ecroidcguard.core.github.GitHubRepository;
import dev.ecroidcguard.core.lang.Wildcards;
import dev.ecroidcguard.core.policy.Condition;
import dev.ecroidcguard.core.policy.ConditionOperator;
import dev.ecroidcguard.core.policy.PolicyDocument;
import dev.ecroidcguard.core.policy.PolicyParseException;
import dev.ecroidcguard.core.policy.PolicyWriter;
import dev.ecroidcguard.core.policy.Principals;
import dev.ecroidcguard.core.policy.Statement;
import dk.brics.automaton.Automaton;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Builds a trust policy that is compliant and admits nothing the old one did not. It only ever narrows:
 * drops statements for other principals, narrows actions to sts:AssumeRoleWithWebIdentity, drops IfExists and
 * set qualifiers, replaces a loose sub value by the repository-scoped values it contains
 * ({@code repo:acme/*:ref:refs/heads/main} becomes {@code repo:acme/web-api:ref:refs/heads/main}), drops values
 * that contain none, and ANDs a repository pin where a statement had none. Every candidate is then checked
 * as sets: its tokens must be a subset of the old policy's, per issuer, and re-analysis must find nothing.
 * Where that fails, or where making the role work would need a grant (a casing or format mismatch), the plan
 * says so instead of guessing.
 */
final class TrustFixPlanner {

    private static final int MAX_PROOF_CONJUNCTS = 4_096;

    private TrustFixPlanner() {
    }

    /** {@code languages}: the scan's, for the re-analysis of the fixed policy. */
    static DocumentChange plan(TrustFacts facts, List<Finding> findings, TrustLanguageCache languages) {
        RepositoryContext ctx = facts.ctx();
        Optional<Finding> blocking = findings.stream().filter(f -> f.code().repair() == Repair.NEEDS_A_GRANT).findFirst();
        if (blocking.isPresent()) {
            return new DocumentChange.NeedsHuman(blocking.get().code() + ": making the role work would grant tokens the current policy "
                    + "does not admit (" + blocking.get().message() + ")");
        }
        if (findings.stream().anyMatch(f -> f.code() == FindingCode.TRUST_CONDITION_KEY_MALFORMED)) {
            return new DocumentChange.NeedsHuman("TRUST_CONDITION_KEY_MALFORMED: decide which claim the misspelled key was meant to test");
        }
        List<TrustModel.Issuer> issuers = facts.issuers();
        TokenClasses tokens = facts.tokens();
        if (issuers.isEmpty()) {
            return new DocumentChange.NeedsHuman("the account has no GitHub OIDC provider to trust");
        }
        List<Statement> candidate = new ArrayList<>();
        List<Statement> unpinned = new ArrayList<>();
        List<Statement> statements = facts.doc().statements();
        for (int i = 0; i < statements.size(); i++) {
            Statement s = statements.get(i);
            if (!s.isAllow()) {
                candidate.add(s); // Denies only narrow; keep them all.
                continue;
            }
            int index = i;
            for (TrustFacts.IssuerRules rules : facts.issuerRules()) {
                TrustModel.Issuer issuer = rules.issuer();
                if (TrustModel.appliesTo(s, issuer) && !s.notPrincipal()) {
                    boolean admitsOthers = rules.allowRules().stream().anyMatch(r -> r.index() == index && r.admitsOtherRepositories());
                    narrowed(s, issuer, ctx.github(), tokens, admitsOthers).ifPresent(n -> {
                        List<Statement> target = TrustModel.subConditions(n, issuer, false).isEmpty() ? unpinned : candidate;
                        if (!target.contains(n)) {
                            target.add(n); // two statements narrowed to the same one: write it once
                        }
                    });
                }
            }
        }
        // A statement with no positive sub is dropped when the pinned ones already serve the repository,
        // otherwise pinned to it (ANDing a condition only narrows).
        PolicyDocument pinnedOnly = document(candidate);
        boolean served = issuers.stream().anyMatch(iss -> TrustModel.allowRules(pinnedOnly, iss).stream().anyMatch(r ->
                UsabilityRules.admitsSelf(ctx.github(), tokens, r.statement(), r.denyStatements(), r::admitted, iss)));
        if (!served) {
            for (Statement s : unpinned) {
                TrustModel.Issuer issuer = issuers.stream().filter(iss -> TrustModel.appliesTo(s, iss)).findFirst().orElseThrow();
                candidate.add(withCondition(s, "StringLike", issuer.issuer() + ":sub", Baseline.subjectPattern(ctx.github())));
            }
        }
        // Written and parsed again only when pinned statements were added to it.
        PolicyDocument fixed = served || unpinned.isEmpty() ? pinnedOnly : document(candidate);
        if (fixed.statements().stream().noneMatch(Statement::isAllow)) {
            return new DocumentChange.NeedsHuman("no statement of the trust policy admits " + ctx.github().fullName()
                    + " without admitting others; a narrower policy would not work");
        }
        Optional<String> widening = widening(facts, fixed);
        if (widening.isPresent()) {
            return new DocumentChange.NeedsHuman("could not prove the narrowed policy admits only what the current one does: " + widening.get());
        }
        List<Finding> remaining = TrustCheck.findings(ctx, fixed, languages);
        if (!remaining.isEmpty()) {
            return new DocumentChange.NeedsHuman("the narrowest policy built automatically still has " + remaining.get(0).code() + ": "
                    + remaining.get(0).message());
        }
        // Re-analysis of the fixed policy found nothing (above): a trust fix is complete or not proposed.
        return new DocumentChange.Replace(fixed.text(), findings.stream().map(f -> f.code() + ": " + f.message()).distinct().toList(),
                Set.of());
    }

    /**
     * One GitHub Allow statement narrowed for one issuer, or empty when nothing of it can stay. {@code admitsOthers}:
     * the analysis found a token of another repository that the statement admits.
     */
    private static Optional<Statement> narrowed(Statement s, TrustModel.Issuer issuer, GitHubRepository repo, TokenClasses tokens,
                                                boolean admitsOthers) {
        List<Condition> conditions = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        boolean hasAud = false;
        for (Condition c : s.conditions()) {
            ConditionKeys.Kind kind = ConditionKeys.classify(c.key(), issuer.issuer());
            if (kind instanceof ConditionKeys.Kind.NotTokenKey) {
                conditions.add(c);
                continue;
            }
            if (!(kind instanceof ConditionKeys.Kind.Claim claim)) {
                continue; // unreachable: malformed keys are left to a person (see plan)
            }
            Condition plain = new Condition(c.operator().name(), c.operator(), Condition.SetQualifier.NONE, false, c.key(), c.values());
            if (claim.name().equals("sub") && !c.operator().isNegated() && c.operator().isStringLike()) {
                List<String> values = confinedValues(s, c, issuer, repo, tokens, admitsOthers);
                if (values.isEmpty()) {
                    return Optional.empty();
                }
                plain = TrustModel.withValues(plain, values);
            }
            if (claim.name().equals("aud") && !c.operator().isNegated()) {
                KeyConstraint old = TrustModel.constraintOf(plain);
                if (!old.present().run(Baseline.AUDIENCE) && !issuer.audiences().isEmpty()) {
                    conditions.add(plain);
                    hasAud = true;
                    continue;
                }
                plain = new Condition("StringEquals", ConditionOperator.StringEquals, Condition.SetQualifier.NONE, false, c.key(), List.of(Baseline.AUDIENCE));
                hasAud = true;
            }
            if (!seen.add(plain.operatorText() + "\u0000" + plain.normalizedKey())) {
                return Optional.empty(); // two blocks collapse into one JSON key: leave this statement out
            }
            conditions.add(plain);
        }
        if (!hasAud && (issuer.audiences().isEmpty() || issuer.audiences().contains(Baseline.AUDIENCE))) {
            conditions.add(new Condition("StringEquals", ConditionOperator.StringEquals, Condition.SetQualifier.NONE, false,
                    issuer.issuer() + ":aud", List.of(Baseline.AUDIENCE)));
        }
        Principals principal = new Principals(false, Map.of("Federated", List.of(issuer.providerArn())));
        return Optional.of(new Statement(s.sid(), s.effect(), Optional.of(principal), false, List.of(Baseline.ASSUME_ACTION), false,
                List.of(), false, conditions));
    }

    /**
     * The sub values to keep: each value that admits only this repository stays; a looser one is replaced by
     * repository-scoped candidates it contains (same suffix after the repository identity, or the canonical
     * {@code repo:Owner/Name:*}); a value that contains none is dropped.
     */
    private static List<String> confinedValues(Statement s, Condition c, TrustModel.Issuer issuer, GitHubRepository repo, TokenClasses tokens,
                                               boolean statementAdmitsOthers) {
        // The condition's only value, in a statement without qualifiers, is judged on the statement itself: when the
        // analysis found another repository's token that the statement admits, the value is not confined.
        boolean knownUnconfined = statementAdmitsOthers && c.values().size() == 1
                && s.conditions().stream().allMatch(x -> x.qualifier() == Condition.SetQualifier.NONE && !x.ifExists());
        Set<String> kept = new LinkedHashSet<>();
        for (String value : c.values()) {
            if (!knownUnconfined && confined(s, c, value, issuer, repo, tokens) && admitsSelf(s, c, value, issuer, repo, tokens)) {
                kept.add(value);
                continue;
            }
            if (!c.operator().usesWildcards()) {
                continue; // an exact value naming something else has no narrower repository-scoped value
            }
            Automaton old = Wildcards.sharedPattern(value); // both only read by subsetOf
            for (String candidate : candidates(value, repo)) {
                if (Wildcards.subsetOf(Wildcards.sharedPattern(candidate), old) && confined(s, c, candidate, issuer, repo, tokens)
                        && admitsSelf(s, c, candidate, issuer, repo, tokens)) {
                    kept.add(candidate);
                    break;
                }
            }
        }
        return List.copyOf(kept);
    }

    private static List<String> candidates(String value, GitHubRepository repo) {
        List<String> out = new ArrayList<>();
        String identity = "repo:" + repo.repoClaim();
        for (int i = value.indexOf(':'); i >= 0; i = value.indexOf(':', i + 1)) {
            String suffix = value.substring(i);
            if (!suffix.equals(":") && i > "repo".length()) {
                out.add(identity + suffix);
            }
        }
        out.add(Baseline.subjectPattern(repo));
        return out;
    }

    private static boolean confined(Statement s, Condition c, String value, TrustModel.Issuer issuer, GitHubRepository repo, TokenClasses tokens) {
        Statement judged = judgedOn(s, c, value);
        // A value such as the canonical candidate repo:Owner/Name:* confines by the subject grammar alone (see
        // ExposureRules.pinnedToSelf, which TrustShortcutsTest checks against the automata): no token class is solved.
        if (ExposureRules.pinnedToSelf(repo, TrustModel.subConditions(judged, issuer, false))) {
            return true;
        }
        List<Conjunct> admitted = List.of(TrustModel.conjunctOf(judged, issuer.issuer()));
        return !TokenSolver.admits(admitted, tokens.otherOwners(), issuer.audiences())
                && !TokenSolver.admits(admitted, tokens.sameOwner(), issuer.audiences());
    }

    /** Does some token of the repository satisfy the statement judged on the value alone? (The analysis' test: concrete tokens first.) */
    private static boolean admitsSelf(Statement s, Condition c, String value, TrustModel.Issuer issuer, GitHubRepository repo, TokenClasses tokens) {
        Statement judged = judgedOn(s, c, value);
        return UsabilityRules.admitsSelf(repo, tokens, judged, List.of(), () -> List.of(TrustModel.conjunctOf(judged, issuer.issuer())), issuer);
    }

    /** The statement with the value alone in its condition, and without qualifiers (which the fix drops). */
    private static Statement judgedOn(Statement s, Condition c, String value) {
        Statement single = TrustModel.replaceValues(s, c, List.of(value));
        // Judge the value by itself under the statement's other conditions; qualifiers are dropped in the fix.
        List<Condition> plain = single.conditions().stream()
                .map(x -> new Condition(x.operator().name(), x.operator(), Condition.SetQualifier.NONE, false, x.key(), x.values())).toList();
        return new Statement(single.sid(), single.effect(), single.principals(), single.notPrincipal(), single.actions(),
                single.notAction(), single.resources(), single.notResource(), plain);
    }

    private static Statement withCondition(Statement s, String operator, String key, String value) {
        List<Condition> conditions = new ArrayList<>(s.conditions());
        conditions.add(new Condition(operator, ConditionOperator.byName(operator).orElseThrow(), Condition.SetQualifier.NONE, false, key, List.of(value)));
        return new Statement(s.sid(), s.effect(), s.principals(), s.notPrincipal(), s.actions(), s.notAction(), s.resources(), s.notResource(), conditions);
    }

    private static PolicyDocument document(List<Statement> statements) {
        String text = PolicyWriter.write(statements);
        try {
            return PolicyDocument.parse(text);
        } catch (PolicyParseException e) {
            throw new IllegalStateException("the fix planner wrote an unparseable policy: " + e.getMessage(), e);
        }
    }

    /**
     * Proves {@code fixed} admits a subset of what {@code old} admits, for every issuer (as token sets). The fixed
     * policy only has GitHub web-identity Allow statements, so other principals and actions cannot widen.
     */
    static Optional<String> widening(TrustFacts old, PolicyDocument fixed) {
        for (TrustFacts.IssuerRules rules : old.issuerRules()) {
            TrustModel.Issuer issuer = rules.issuer();
            // The old policy's rules as the analysis built them: their languages are built once, for both.
            List<Conjunct> before = rules.allowRules().stream().flatMap(r -> r.admitted().stream()).toList();
            for (TrustModel.AllowRule rule : TrustModel.allowRules(fixed, issuer)) {
                for (Conjunct n : rule.admitted()) {
                    if (!coveredBy(n, before)) {
                        return Optional.of("statement " + (rule.index() + 1) + " for " + issuer.issuer());
                    }
                }
            }
        }
        return Optional.empty();
    }

    /**
     * A cheap exact test before the proof below: {@code n} lies within one old conjunct when, key by key, that
     * conjunct's constraint admits every value {@code n} admits (and absence where {@code n} does). A subset test
     * costs less than the complements the proof builds, and a fix is usually within the statement it narrows. Only
     * where the proof could not give up on its bound (so the answer is the proof's): a "yes" is then its "yes".
     */
    private static boolean withinOne(Conjunct n, List<Conjunct> old) {
        long bound = 1;
        for (Conjunct o : old) {
            bound *= Math.max(1, o.constraints().size());
            if (bound > MAX_PROOF_CONJUNCTS) {
                return false;
            }
        }
        for (Conjunct o : old) {
            boolean within = true;
            for (Map.Entry<String, KeyConstraint> e : o.constraints().entrySet()) {
                KeyConstraint mine = n.constraints().get(e.getKey());
                KeyConstraint theirs = e.getValue();
                if (mine == null || (mine.absentOk() && !theirs.absentOk()) || !within(mine.present(), theirs.present())) {
                    within = false;
                    break;
                }
            }
            if (within) {
                return true;
            }
        }
        return false;
    }

    /**
     * {@code mine ⊆ theirs}. A deterministic {@code theirs} (the usual pattern) is walked as it is (nothing to
     * determinise, nothing charged); otherwise dk.brics' test on a copy, which it determinises in place, uncharged,
     * as the complement in the proof does. Neither is changed: constraint languages may be cached patterns (see
     * {@link KeyConstraint}).
     */
    private static boolean within(Automaton mine, Automaton theirs) {
        return theirs.isDeterministic() ? Wildcards.subsetOf(mine, theirs) : mine.subsetOf(theirs.clone());
    }

    /** {@code n ⊆ ∪ old}: {@code n ∧ ¬old₁ ∧ ¬old₂ ...} is unsatisfiable by any token. */
    static boolean coveredBy(Conjunct n, List<Conjunct> old) {
        if (withinOne(n, old)) {
            return true;
        }
        List<Conjunct> remaining = List.of(n);
        for (Conjunct o : old) {
            List<Conjunct> next = new ArrayList<>();
            for (Conjunct r : remaining) {
                for (Map.Entry<String, KeyConstraint> e : o.constraints().entrySet()) {
                    Conjunct outside = r.and(e.getKey(), e.getValue().not());
                    if (outside.satisfiable()) {
                        next.add(outside);
                    }
                }
            }
            if (next.size() > MAX_PROOF_CONJUNCTS) {
                return false;
            }
            remaining = next;
            if (remaining.isEmpty()) {
                return true;
            }
        }
        return remaining.isEmpty();
    }
}
