package dev.ecroidcguard.core.trust;

import dev.ecroidcguard.core.finding.Finding;
import dev.ecroidcguard.core.finding.FindingCode;
import dev.ecroidcguard.core.finding.Witness;
import dev.ecroidcguard.core.github.GitHubRepository;
import dev.ecroidcguard.core.github.SubjectGrammar;
import dev.ecroidcguard.core.github.SubjectGrammar.Identities;
import dev.ecroidcguard.core.lang.Lang;
import dev.ecroidcguard.core.lang.Wildcards;
import dev.ecroidcguard.core.policy.Condition;
import dev.ecroidcguard.core.policy.ConditionOperator;
import dev.ecroidcguard.core.policy.PolicyDocument;
import dev.ecroidcguard.core.policy.Statement;
import dev.ecroidcguard.core.trust.TokenSolver.TokenClass;
import dk.brics.automaton.Automaton;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import static dev.ecroidcguard.core.lang.Lang.cat;
import static dev.ecroidcguard.core.lang.Lang.lit;
import static dev.ecroidcguard.core.lang.Lang.or;

/**
 * Who gets in besides the repository: whether tokens of other owners' repositories (anyone on GitHub; they choose
 * their own subject template) or of the owner's other repositories (any member who can create a repository)
 * satisfy an Allow statement after Denies, and which sub value or missing condition lets them.
 */
final class ExposureRules {

    private static final Set<String> SPOOFABLE_KEYS = Set.of("job_workflow_ref", "job_workflow_sha", "environment", "workflow",
            "workflow_ref", "workflow_sha", "ref", "ref_type", "repository_visibility", "actor", "actor_id", "event_name",
            "runner_environment", "base_ref", "head_ref");

    /** What precedes an owner name in a subject; deterministic, so that every sub value's quotient by it reads it as it is. */
    private static final Automaton OWNER_PREFIXES = Lang.min(or(lit("repo:"), lit("repository:"), lit("repository_owner:")));

    private ExposureRules() {
    }

    static List<Finding> findings(TrustFacts facts, TrustModel.AllowRule rule, TrustModel.Issuer issuer) {
        GitHubRepository repo = facts.repo();
        TokenClasses tokens = facts.tokens();
        String where = "trust policy " + rule.statement().label(rule.index());
        List<Condition> positiveSub = TrustModel.subConditions(rule.statement(), issuer, false);
        if (pinnedToSelf(repo, positiveSub)) {
            return List.of();
        }
        Optional<Witness.Token> other = TokenSolver.witness(rule.admitted(), tokens.otherOwners(), issuer.audiences());
        Optional<Witness.Token> sibling = other.isPresent() ? Optional.empty() : TokenSolver.witness(rule.admitted(), tokens.sameOwner(), issuer.audiences());
        if (other.isPresent() || sibling.isPresent()) {
            rule.foundOtherRepositoryToken();
        }
        if (other.isEmpty() && sibling.isEmpty()) {
            // Confined. A ref pattern inside the repository (refs/tags/v*, refs/heads/release/*, even refs/heads/main*)
            // is within "repo:<owner>/<name>:* or narrower", the compliance baseline: no advisory, and no fix may
            // rewrite it into a literal that the repository's release or branch workflows would no longer match.
            return unverifiedIds(facts, rule, issuer, where).stream().toList();
        }
        Witness.Token witness = other.orElseGet(sibling::get);
        if (positiveSub.isEmpty()) {
            return List.of(withoutSubValues(facts, rule, issuer, witness, other.isPresent(), where));
        }
        List<Finding> findings = new ArrayList<>();
        for (Condition c : positiveSub) {
            for (String value : c.values()) {
                // A condition with this one value: the statement judged on the value is the statement itself, whose
                // witnesses were just found; otherwise the value is judged alone under the other conditions.
                Optional<Witnesses> known = c.values().size() == 1 ? Optional.of(new Witnesses(other, sibling)) : Optional.empty();
                classifyValue(facts, rule, issuer, c, value, where, known).ifPresent(findings::add);
            }
        }
        if (findings.isEmpty()) {
            // The values are confined one by one but the statement is not (e.g. a Deny expansion); report it whole.
            findings.add(facts.finding(FindingCode.TRUST_NO_SUB_CONDITION, where + " admits tokens of "
                    + (other.isPresent() ? "other owners" : "other repositories of " + repo.owner()), witness));
        }
        return findings;
    }

    /**
     * A positive sub condition all of whose values begin with this repository's identity and a delimiter
     * ({@code repo:acme/web-api:...}) confines the statement, whatever else it says. This follows from the
     * subject grammar: a subject starting {@code repo:<Owner/Name>:} carries that repository's identity (the
     * only claim key {@code repo} is the repository claim, and names contain no {@code :}). The automaton
     * decision gives the same answer (TrustShortcutsTest checks it on generated patterns); this only skips work.
     */
    static boolean pinnedToSelf(GitHubRepository repo, List<Condition> positiveSub) {
        String identity = "repo:" + repo.repoClaim();
        for (Condition c : positiveSub) {
            boolean like = c.operator() == ConditionOperator.StringLike;
            boolean equals = c.operator() == ConditionOperator.StringEquals;
            if ((like || equals) && c.values().stream().allMatch(v -> {
                String fixed = like ? Wildcards.literalPrefix(v) : v;
                return fixed.startsWith(identity + ":") || (fixed.equals(v) && v.equals(identity));
            })) {
                return true;
            }
        }
        return false;
    }

    /**
     * Without a {@code github:repository-id} / {@code github:owner-id} tag, the token classes take the IDs the
     * policy names to be the repository's own (see {@link TokenClasses#policyIds()}). When the statement is confined
     * only under that assumption, say that the confinement rests on IDs nobody verified: with any other owner
     * or repository ID allowed, a foreign token gets in.
     */
    private static Optional<Finding> unverifiedIds(TrustFacts facts, TrustModel.AllowRule rule, TrustModel.Issuer issuer, String where) {
        GitHubRepository repo = facts.repo();
        Set<String> policyIds = facts.tokens().policyIds();
        boolean idsUnknown = repo.repositoryId().isEmpty() || repo.ownerId().isEmpty();
        if (!idsUnknown || policyIds.isEmpty()) {
            return Optional.empty();
        }
        Automaton anyRepositoryId = repo.repositoryId().map(id -> Lang.minus(SubjectGrammar.ID, lit(id))).orElse(SubjectGrammar.ID.clone());
        Automaton anyOwnerId = repo.ownerId().map(id -> Lang.minus(SubjectGrammar.ID, lit(id))).orElse(SubjectGrammar.ID.clone());
        String org = repo.owner();
        TokenClass others = TokenClass.anyTemplate("another owner's repository", Identities.product(
                Lang.minusIgnoringCase(SubjectGrammar.OWNER, org), SubjectGrammar.NAME, anyOwnerId, anyRepositoryId),
                List.of(org + "-evil/" + repo.name(), "attacker/" + repo.name()));
        TokenClass siblings = TokenClass.anyTemplate("another repository of " + org, Identities.product(lit(org),
                Lang.minusIgnoringCase(SubjectGrammar.NAME, repo.name()),
                repo.ownerId().map(Lang::lit).orElse(SubjectGrammar.ID.clone()), anyRepositoryId),
                List.of(org + "/" + repo.name() + "-evil", org + "/evil"));
        Optional<Witness.Token> foreign = TokenSolver.witness(rule.admitted(), others, issuer.audiences())
                .or(() -> TokenSolver.witness(rule.admitted(), siblings, issuer.audiences()));
        return foreign.map(w -> facts.finding(FindingCode.TRUST_ID_UNVERIFIED, where + " is confined to " + repo.fullName() + " only if the ID(s) "
                + String.join(", ", policyIds) + " it names are " + repo.fullName() + "'s; without the repository's "
                + "github:repository-id / github:owner-id tags that is not verified, and a repository with that ID gets in", w));
    }

    private static Finding withoutSubValues(TrustFacts facts, TrustModel.AllowRule rule, TrustModel.Issuer issuer, Witness.Token witness,
                                            boolean otherOwner, String where) {
        String owner = facts.repo().owner();
        Set<String> keys = rule.condition().constraints().keySet();
        if (!TrustModel.subConditions(rule.statement(), issuer, true).isEmpty()) {
            return facts.finding(FindingCode.TRUST_SUB_NEGATED_OPERATOR, where + " restricts sub only with a negated operator: every subject not listed gets in", witness);
        } else if (keys.stream().anyMatch(k -> SubjectGrammar.IDENTITY_CLAIMS.contains(k))) {
            return facts.finding(otherOwner ? FindingCode.TRUST_SUB_OWNER_WILDCARD : FindingCode.TRUST_SUB_ORG_WIDE,
                    where + " pins only " + String.join(", ", keys.stream().filter(SubjectGrammar.IDENTITY_CLAIMS::contains).toList())
                            + ", which " + (otherOwner ? "other owners" : "every repository of " + owner) + " can satisfy", witness);
        } else if (otherOwner && keys.stream().anyMatch(SPOOFABLE_KEYS::contains)) {
            return facts.finding(FindingCode.TRUST_SUB_SPOOFABLE_CLAIM, where + " is scoped only by "
                    + String.join(", ", keys.stream().filter(SPOOFABLE_KEYS::contains).toList()) + ", which any repository can reproduce", witness);
        } else {
            return facts.finding(FindingCode.TRUST_NO_SUB_CONDITION, where + " has no effective repository condition: any GitHub Actions workflow"
                    + (otherOwner ? " on GitHub" : " of " + owner) + " can assume the role", witness);
        }
    }

    /** The tokens of another owner and (when none) of a sibling repository that a statement admits. */
    private record Witnesses(Optional<Witness.Token> other, Optional<Witness.Token> sibling) {
    }

    /** Classifies one sub value of an Allow statement, in the context of the statement's other conditions. */
    private static Optional<Finding> classifyValue(TrustFacts facts, TrustModel.AllowRule rule, TrustModel.Issuer issuer, Condition c, String value,
                                                   String where, Optional<Witnesses> known) {
        GitHubRepository repo = facts.repo();
        Optional<Witness.Token> other;
        Optional<Witness.Token> sibling;
        if (known.isPresent()) {
            other = known.get().other();
            sibling = known.get().sibling();
        } else {
            Statement single = TrustModel.replaceValues(rule.statement(), c, List.of(value));
            Conjunct condition = TrustModel.conjunctOf(single, issuer.issuer());
            List<Conjunct> admitted = TrustModel.allowRules(withStatement(facts.doc(), rule.index(), single), issuer).stream()
                    .filter(r -> r.index() == rule.index()).findFirst().map(TrustModel.AllowRule::admitted).orElse(List.of(condition));
            other = TokenSolver.witness(admitted, facts.tokens().otherOwners(), issuer.audiences());
            sibling = other.isPresent() ? Optional.empty() : TokenSolver.witness(admitted, facts.tokens().sameOwner(), issuer.audiences());
        }
        if (other.isEmpty() && sibling.isEmpty()) {
            return Optional.empty();
        }
        Automaton language = TrustModel.valuesLanguage(TrustModel.withValues(c, List.of(value)));
        String quoted = "sub value '" + value + "'";
        if (other.isPresent()) {
            Automaton owners = Lang.minusIgnoringCase(segmentAfter(language, OWNER_PREFIXES, SubjectGrammar.OWNER_CHAR, "/@:"), repo.owner());
            char first = repo.owner().charAt(0);
            Automaton freshFirst = cat(Lang.minusIgnoringCase(SubjectGrammar.OWNER_CHAR, String.valueOf(first)), Lang.star(SubjectGrammar.OWNER_CHAR));
            if (!owners.isFinite() && !owners.intersection(freshFirst).isEmpty()) {
                return Optional.of(facts.finding(FindingCode.TRUST_SUB_WILDCARD_ANY, where + " " + quoted + " matches repositories of every owner on GitHub", other.get()));
            } else if (owners.isEmpty()) {
                return Optional.of(facts.finding(FindingCode.TRUST_SUB_SPOOFABLE_CLAIM, where + " " + quoted
                        + " names no repository or owner: any repository can mint it with its own subject template", other.get()));
            } else if (moreThanOneWord(owners)) {
                return Optional.of(facts.finding(FindingCode.TRUST_SUB_OWNER_WILDCARD, where + " " + quoted
                        + " has a wildcard in the owner segment and matches other owners", other.get()));
            } else {
                return Optional.of(facts.finding(FindingCode.TRUST_SUB_WRONG_OWNER, where + " " + quoted + " names a different owner than " + repo.owner(), other.get()));
            }
        }
        Automaton names = Lang.minusIgnoringCase(segmentAfter(language, facts.tokens().ownerRepositoryPrefixes(), SubjectGrammar.NAME_CHAR, ":@"),
                repo.name());
        char first = repo.name().charAt(0);
        Automaton freshFirst = cat(Lang.minusIgnoringCase(SubjectGrammar.NAME_CHAR, String.valueOf(first)), Lang.star(SubjectGrammar.NAME_CHAR));
        if (names.isEmpty() || (!names.isFinite() && !names.intersection(freshFirst).isEmpty())) {
            return Optional.of(facts.finding(FindingCode.TRUST_SUB_ORG_WIDE, where + " " + quoted + " admits every repository of " + repo.owner(), sibling.get()));
        } else if (moreThanOneWord(names)) {
            return Optional.of(facts.finding(FindingCode.TRUST_SUB_REPO_PREFIX_WILDCARD, where + " " + quoted
                    + " has a wildcard in the repository name and admits sibling repositories", sibling.get()));
        } else {
            return Optional.of(facts.finding(FindingCode.TRUST_SUB_WRONG_REPO, where + " " + quoted + " names another repository of " + repo.owner()
                    + " than " + repo.name(), sibling.get()));
        }
    }

    /**
     * A wildcard admits several names ({@code acme*}, but also {@code ac?e}: a finite set of 4-letter owners
     * anyone can register); one foreign name is a typo or copy-paste (wrong owner / wrong repository).
     */
    private static boolean moreThanOneWord(Automaton language) {
        return !language.isFinite() || language.getFiniteStrings(1) == null;
    }

    /** The words over {@code chars} that follow one of {@code prefixes} in {@code language}, up to a terminator or the end. */
    private static Automaton segmentAfter(Automaton language, Automaton prefixes, Automaton chars, String terminators) {
        return Lang.segment(Lang.afterPrefixes(language, prefixes), chars, terminators, true);
    }

    private static PolicyDocument withStatement(PolicyDocument doc, int index, Statement replacement) {
        List<Statement> statements = new ArrayList<>(doc.statements());
        statements.set(index, replacement);
        return new PolicyDocument(statements, doc.text());
    }
}
