package dev.ecroidcguard.core.trust;

import dev.ecroidcguard.core.analysis.Baseline;
import dev.ecroidcguard.core.finding.Finding;
import dev.ecroidcguard.core.finding.FindingCode;
import dev.ecroidcguard.core.finding.Severity;
import dev.ecroidcguard.core.finding.Witness;
import dev.ecroidcguard.core.github.GitHubRepository;
import dev.ecroidcguard.core.github.SubjectGrammar;
import dev.ecroidcguard.core.lang.Lang;
import dev.ecroidcguard.core.lang.Wildcards;
import dev.ecroidcguard.core.policy.Condition;
import dev.ecroidcguard.core.policy.Statement;
import dk.brics.automaton.Automaton;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

import static dev.ecroidcguard.core.lang.Lang.cat;
import static dev.ecroidcguard.core.lang.Lang.lit;
import static dev.ecroidcguard.core.lang.Lang.or;

/** Whether the repository's own workflows can assume the role, and when not, why: a missing provider, a case or format mismatch. */
final class UsabilityRules {

    private static final Automaton MAIN_BRANCH = cat(Automaton.makeAnyString(), lit(":ref:refs/heads/main"));
    private static final Automaton DEFAULT_CONTEXT_END = cat(Automaton.makeAnyString(), lit(":"), SubjectGrammar.CONTEXT);
    private static final List<String> SELF_CONTEXTS = List.of("ref:refs/heads/main", "ref:refs/heads/master", "ref:refs/tags/v1.0.0",
            "pull_request", "environment:production", "environment:prod");

    private UsabilityRules() {
    }

    /** Does some token of this repository get in? Concrete default-template tokens first, the solver otherwise. */
    static boolean admitsSelf(TrustFacts facts, TrustModel.AllowRule rule, TrustModel.Issuer issuer) {
        return admitsSelf(facts.repo(), facts.tokens(), rule.statement(), rule.denyStatements(), rule::admitted, issuer);
    }

    /**
     * Does some token of {@code repo} satisfy the Allow statement {@code allow} and none of {@code denies}
     * ({@code admitted}: what the statement admits after them, as the solver takes it)? Concrete default-template
     * tokens first: one that gets in is a token of the repository the solver would find; the solver otherwise. The
     * analysis asks it of the policy's rules and the fix planner of the statements it builds.
     */
    static boolean admitsSelf(GitHubRepository repo, TokenClasses tokens, Statement allow, List<Statement> denies,
                              Supplier<List<Conjunct>> admitted, TrustModel.Issuer issuer) {
        if (repo.usesDefaultTemplate()) {
            List<String> audiences = issuer.audiences().isEmpty() ? List.of(Baseline.AUDIENCE) : issuer.audiences();
            for (Map<String, String> token : selfTokens(repo, audiences)) {
                Optional<Boolean> allowed = ConcreteEvaluation.holds(allow, issuer.issuer(), token);
                if (allowed.isEmpty()) {
                    break; // a key outside the token: let the set analysis decide
                }
                if (allowed.get()) {
                    List<Optional<Boolean>> denied = denies.stream().map(d -> ConcreteEvaluation.holds(d, issuer.issuer(), token)).toList();
                    if (denied.stream().allMatch(d -> d.isPresent() && !d.get())) {
                        return true;
                    }
                }
            }
        }
        return TokenSolver.admits(admitted.get(), tokens.self(), issuer.audiences());
    }

    /**
     * Why no statement admits the repository, given the findings so far ({@code earlier}): no usable GitHub
     * statement at all, or a sub value that differs in case or format from the subjects the repository mints.
     * {@code anyRule} says whether some statement's provider exists in the account; {@code missingProviders} names
     * those that do not.
     */
    static List<Finding> findings(TrustFacts facts, List<Finding> earlier, boolean anyRule, Set<String> missingProviders) {
        List<Finding> findings = new ArrayList<>();
        GitHubRepository repo = facts.repo();
        String roleName = facts.ctx().roleName();
        String missing = missingProviders.isEmpty() ? "" : "; it trusts " + (missingProviders.size() == 1 ? "the GitHub OIDC provider " : "the GitHub OIDC providers ")
                + String.join(", ", missingProviders) + ", which " + (missingProviders.size() == 1 ? "does" : "do") + " not exist in account " + facts.ctx().accountId();
        if (!anyRule) {
            if (!missingProviders.isEmpty()) {
                return List.of(facts.finding(FindingCode.TRUST_NO_GITHUB_PRINCIPAL, "trust policy of " + roleName
                        + " has no Allow statement for a GitHub OIDC provider of the account" + missing + "; GitHub Actions cannot assume the role", null));
            }
            boolean actionWrong = earlier.stream().anyMatch(f -> f.code() == FindingCode.TRUST_ACTION_WRONG);
            if (!actionWrong) {
                return List.of(facts.finding(FindingCode.TRUST_NO_GITHUB_PRINCIPAL, "trust policy of " + roleName
                        + " has no Allow statement for the GitHub OIDC provider; GitHub Actions cannot assume the role", null));
            }
            return List.of();
        }
        Automaton alternative = facts.tokens().otherFormatSubjects(() -> alternativeSubjects(repo, facts.tokens()));
        Automaton selfSubjects = facts.tokens().selfSubjects();
        // An exposure (another repository or owner gets in) does not explain why this repository does not: say both.
        boolean explained = earlier.stream().anyMatch(f -> f.severity() == Severity.BROKEN);
        for (TrustFacts.IssuerRules rules : facts.issuerRules()) {
            if (!rules.existsInAccount()) {
                continue; // its statements cannot be used whatever their values: no mismatch to explain
            }
            for (TrustModel.AllowRule rule : rules.allowRules()) {
                String where = "trust policy " + rule.statement().label(rule.index());
                for (Condition c : TrustModel.subConditions(rule.statement(), rules.issuer(), false)) {
                    for (String v : c.values()) {
                        Automaton language = TrustModel.valuesLanguage(TrustModel.withValues(c, List.of(v)));
                        if (!language.intersection(selfSubjects).isEmpty()) {
                            continue;
                        }
                        Automaton folded = c.operator().usesWildcards() ? Wildcards.patternIgnoringCase(v) : Wildcards.ignoringCase(v);
                        if (c.operator().name().startsWith("Arn")) {
                            folded = folded.intersection(TrustModel.ARN_SHAPE); // no subject is an ARN, whatever its case
                        }
                        Optional<String> sameIgnoringCase = mainBranchExample(folded.intersection(selfSubjects));
                        Optional<String> otherFormat = mainBranchExample(language.intersection(alternative));
                        if (sameIgnoringCase.isPresent()) {
                            explained = true;
                            findings.add(facts.finding(FindingCode.TRUST_SUB_CASE_MISMATCH, where + " sub value '" + v + "' differs in case from GitHub's name "
                                    + repo.fullName() + "; the comparison is case-sensitive", new Witness.Token(sameIgnoringCase.get(), Map.of())));
                        } else if (otherFormat.isPresent()) {
                            explained = true;
                            findings.add(facts.finding(FindingCode.TRUST_SUB_FORMAT_MISMATCH, where + " sub value '" + v + "' fits a subject format "
                                    + repo.fullName() + " does not mint (" + formatDescription(repo) + ")", new Witness.Token(otherFormat.get(), Map.of())));
                        }
                    }
                }
            }
        }
        // A statement for a provider the account lacks is not explained by a mismatch in the others: name it.
        if (!explained || !missingProviders.isEmpty()) {
            findings.add(facts.finding(FindingCode.TRUST_NO_GITHUB_PRINCIPAL, "no statement of the trust policy of " + roleName + " admits the workflows of "
                    + repo.fullName() + missing + "; GitHub Actions cannot assume the role", null));
        }
        return findings;
    }

    /** A readable word: a main-branch subject if there is one, else one ending in a default context, else any. */
    private static Optional<String> mainBranchExample(Automaton subjects) {
        return Wildcards.readableExample(subjects.intersection(MAIN_BRANCH))
                .or(() -> Wildcards.readableExample(subjects.intersection(DEFAULT_CONTEXT_END)))
                .or(() -> Wildcards.readableExample(subjects));
    }

    /** Subjects of the repository in the formats it does not use: the other subject format, or the default template. */
    private static Automaton alternativeSubjects(GitHubRepository repo, TokenClasses tokens) {
        String owner = repo.owner();
        String name = repo.name();
        Automaton immutable = cat(lit("repo:" + owner + "@"), repo.ownerId().map(Lang::lit).orElse(SubjectGrammar.ID),
                lit("/" + name + "@"), repo.repositoryId().map(Lang::lit).orElse(SubjectGrammar.ID), lit(":"), SubjectGrammar.CONTEXT);
        Automaton nameForm = cat(lit("repo:" + owner + "/" + name + ":"), SubjectGrammar.CONTEXT);
        Automaton customTemplates = TokenSolver.literal(repo.fullName(), repo.ownerId(), repo.repositoryId()).anyTemplateSubjects(SubjectGrammar.ClaimValues.ANY);
        return or(immutable, nameForm, customTemplates).minus(tokens.selfSubjects());
    }

    private static String formatDescription(GitHubRepository repo) {
        return (repo.subjectFormat() == GitHubRepository.SubjectFormat.IMMUTABLE ? "it mints immutable subjects repo:" + repo.repoClaim() + ":..."
                : "it mints name-form subjects repo:" + repo.fullName() + ":...")
                + (repo.usesDefaultTemplate() ? "" : " with the custom template " + String.join(",", repo.subClaims()));
    }

    /** Concrete tokens this repository's workflows mint under the default template (a "yes" on one is a proof). */
    private static List<Map<String, String>> selfTokens(GitHubRepository repo, List<String> audiences) {
        List<Map<String, String>> tokens = new ArrayList<>();
        String identity = "repo:" + repo.repoClaim() + ":";
        for (String context : SELF_CONTEXTS) {
            for (String audience : audiences) {
                Map<String, String> claims = new HashMap<>();
                claims.put("sub", identity + context);
                claims.put("aud", audience);
                claims.put("repository", repo.fullName());
                claims.put("repository_owner", repo.owner());
                repo.ownerId().ifPresent(id -> claims.put("repository_owner_id", id));
                repo.repositoryId().ifPresent(id -> claims.put("repository_id", id));
                if (context.startsWith("ref:")) {
                    claims.put("ref", context.substring("ref:".length()));
                } else if (context.startsWith("environment:")) {
                    claims.put("environment", context.substring("environment:".length()));
                }
                tokens.add(claims);
            }
        }
        return tokens;
    }
}
