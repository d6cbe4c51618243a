package dev.ecroidcguard.core.trust;

import dev.ecroidcguard.core.github.GitHubRepository;
import dev.ecroidcguard.core.github.SubjectGrammar;
import dev.ecroidcguard.core.github.SubjectGrammar.Identities;
import dev.ecroidcguard.core.lang.Lang;
import dev.ecroidcguard.core.policy.Condition;
import dev.ecroidcguard.core.policy.PolicyDocument;
import dev.ecroidcguard.core.policy.Statement;
import dev.ecroidcguard.core.trust.TokenSolver.TokenClass;
import dk.brics.automaton.Automaton;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static dev.ecroidcguard.core.lang.Lang.lit;

/**
 * The three classes of tokens a trust policy of a repository is judged against (another owner's repositories,
 * the owner's other repositories, the repository itself) and the repository's subject language. Built on first
 * use, as a compliant policy is usually decided without them, and taken from the scan's {@link TrustLanguageCache}.
 */
final class TokenClasses {

    private static final Pattern DIGIT_RUN = Pattern.compile("[0-9]+");

    private final GitHubRepository repo;
    private final PolicyDocument doc;
    private final TrustLanguageCache cache;
    private TokenClass otherOwners;
    private TokenClass sameOwner;
    private TokenClass self;
    private Automaton selfSubjects;
    private Set<String> policyIds;
    private Automaton idsOutsidePolicy;

    TokenClasses(GitHubRepository repo, PolicyDocument doc, TrustLanguageCache cache) {
        this.repo = repo;
        this.doc = doc;
        this.cache = cache;
    }

    /** The repository's own classes and subject language, as kept in the cache; built on first use. */
    static final class OfRepository {
        private TokenClass sameOwner;
        private TokenClass self;
        private Automaton selfSubjects;
        private Automaton otherFormatSubjects;
    }

    /** Digit runs in the policy: when a repository's IDs are unknown, the policy's own IDs are taken to be its. */
    Set<String> policyIds() {
        if (policyIds == null) {
            policyIds = digitRuns(doc);
        }
        return policyIds;
    }

    private Automaton otherRepoIds() {
        return repo.repositoryId().map(id -> Lang.minus(SubjectGrammar.ID, lit(id))).orElseGet(this::idsOutsidePolicy);
    }

    /**
     * Every ID but the policy's own: the other repositories' and owners' IDs when the repository's are unknown. Built
     * once per policy for the classes that need it (they only read it).
     */
    private Automaton idsOutsidePolicy() {
        if (idsOutsidePolicy == null) {
            idsOutsidePolicy = minusAll(SubjectGrammar.ID, policyIds());
        }
        return idsOutsidePolicy;
    }

    TokenClass otherOwners() {
        if (otherOwners == null) {
            String org = repo.owner();
            // Other owners' tokens do not depend on the repository, only on the owner and the excluded IDs: share
            // their (costly) subject language across the repositories of a scan.
            String key = org + "|" + repo.ownerId().orElse("") + "|" + repo.repositoryId().orElse("") + "|" + policyIds();
            TokenSolver.AnyTemplate shared = cache.otherOwners(key, () -> {
                Automaton otherOwnerIds = repo.ownerId().map(id -> Lang.minus(SubjectGrammar.ID, lit(id))).orElseGet(this::idsOutsidePolicy);
                return otherOwnerNames(org).withIds(otherOwnerIds, otherRepoIds());
            });
            otherOwners = TokenClass.anyTemplate("another owner's repository", shared,
                    List.of(org + "-evil/" + repo.name(), "evil-" + org + "/" + repo.name(), "attacker/" + repo.name()));
        }
        return otherOwners;
    }

    /**
     * Other owners' repositories with any IDs: their names (every owner but {@code org}) and the identity claims
     * built from those alone, shared by the other-owner classes of {@code org}'s repositories whatever IDs those
     * exclude (the IDs are the policy's own when the repository's are unknown, so nearly every policy has its own).
     */
    private TokenSolver.AnyTemplate otherOwnerNames(String org) {
        // The names are only read (by every other-owner class of the owner): a constant, counted once when charged.
        return cache.otherOwnerNames(org, () -> new TokenSolver.AnyTemplate(Identities.product(
                Lang.constant(Lang.minusIgnoringCase(SubjectGrammar.OWNER, org)), SubjectGrammar.NAME, SubjectGrammar.ID, SubjectGrammar.ID)));
    }

    /**
     * What precedes the name of one of the owner's repositories in a subject ({@code repo:Owner/}, {@code repo:Owner@ID/},
     * {@code repository:Owner/}), deterministic: built once per owner and scan, for the quotient of each sub value by it.
     */
    Automaton ownerRepositoryPrefixes() {
        String org = repo.owner();
        return cache.ownerRepositoryPrefixes(org, () -> Lang.min(Lang.or(lit("repo:" + org + "/"), Lang.cat(lit("repo:" + org + "@"), SubjectGrammar.ID, lit("/")),
                lit("repository:" + org + "/"))));
    }

    TokenClass sameOwner() {
        if (sameOwner == null) {
            OfRepository shared = cache.ofRepository(repo, policyIds());
            if (shared.sameOwner == null) {
                String org = repo.owner();
                Automaton siblingNames = Lang.constant(Lang.minusIgnoringCase(SubjectGrammar.NAME, repo.name())); // only read
                shared.sameOwner = TokenClass.anyTemplate("another repository of " + org,
                        Identities.product(lit(org), siblingNames, repo.ownerId().map(Lang::lit).orElse(SubjectGrammar.ID.clone()), otherRepoIds()),
                        List.of(org + "/" + repo.name() + "-evil", org + "/evil", org + "/" + repo.name() + "2"));
            }
            sameOwner = shared.sameOwner;
        }
        return sameOwner;
    }

    Automaton selfSubjects() {
        if (selfSubjects == null) {
            OfRepository shared = cache.ofRepository(repo, policyIds());
            if (shared.selfSubjects == null) {
                shared.selfSubjects = SubjectGrammar.subjectsOf(repo, SubjectGrammar.ClaimValues.ANY);
            }
            selfSubjects = shared.selfSubjects;
        }
        return selfSubjects;
    }

    /**
     * The repository's subjects in the formats it does not mint ({@code make} builds them; see UsabilityRules), kept
     * with its classes: a costly language (every custom template) that only depends on the repository.
     */
    Automaton otherFormatSubjects(java.util.function.Supplier<Automaton> make) {
        OfRepository shared = cache.ofRepository(repo, policyIds());
        if (shared.otherFormatSubjects == null) {
            shared.otherFormatSubjects = make.get();
        }
        return shared.otherFormatSubjects;
    }

    TokenClass self() {
        if (self == null) {
            OfRepository shared = cache.ofRepository(repo, policyIds());
            if (shared.self == null) {
                shared.self = TokenClass.ownTemplate(repo.fullName(), TokenSolver.literal(repo.fullName(), repo.ownerId(), repo.repositoryId()), repo, selfSubjects());
            }
            self = shared.self;
        }
        return self;
    }

    /** For tests: whether the attacker token classes (the costly languages) were built. */
    boolean builtAttackerClasses() {
        return otherOwners != null || sameOwner != null;
    }

    private static Set<String> digitRuns(PolicyDocument doc) {
        Set<String> ids = new LinkedHashSet<>();
        for (Statement s : doc.statements()) {
            for (Condition c : s.conditions()) {
                if (c.key().toLowerCase(Locale.ROOT).contains("githubusercontent") || c.key().toLowerCase(Locale.ROOT).contains(".ghe.com")) {
                    for (String v : c.values()) {
                        Matcher m = DIGIT_RUN.matcher(v);
                        while (m.find()) {
                            ids.add(m.group());
                        }
                    }
                }
            }
        }
        return ids;
    }

    private static Automaton minusAll(Automaton language, Set<String> words) {
        if (words.isEmpty()) {
            return language.clone();
        }
        return Lang.minus(language, Automaton.makeStringUnion(words.toArray(String[]::new)));
    }
}
