package dev.ecroidcguard.core.trust;

import dev.ecroidcguard.core.finding.Witness;
import dev.ecroidcguard.core.github.GitHubRepository;
import dev.ecroidcguard.core.github.SubjectGrammar;
import dev.ecroidcguard.core.github.SubjectGrammar.ClaimValues;
import dev.ecroidcguard.core.github.SubjectGrammar.Identities;
import dev.ecroidcguard.core.lang.Concatenation;
import dev.ecroidcguard.core.lang.Lang;
import dev.ecroidcguard.core.lang.Wildcards;
import dev.ecroidcguard.core.lang.Product;
import dk.brics.automaton.Automaton;
import dk.brics.automaton.BasicOperations;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import static dev.ecroidcguard.core.lang.Lang.cat;
import static dev.ecroidcguard.core.lang.Lang.lit;

/**
 * Decides whether some token of a class (another owner's repositories, the owner's other repositories, or the
 * repository itself) satisfies a conjunct, and if so builds a concrete one: the witness.
 */
final class TokenSolver {

    static final String ABSENT = "(absent)";

    /**
     * A class of tokens: the repositories they may come from, and the subjects those can mint — any template
     * (someone else's repository) or exactly the repository's own template.
     */
    static final class TokenClass {
        private final String description;
        private final Identities identities;
        private final Optional<Automaton> ownSubjects;
        /** The repository whose own template the class mints under (with {@link #ownSubjects}), to build narrowed subjects. */
        private final Optional<GitHubRepository> ownRepository;
        private final List<String> preferredIdentities;
        /** The any-template languages of {@link #identities} (absent for the own-template class), built on first use. */
        private final AnyTemplate anyTemplate;

        private TokenClass(String description, Identities identities, Optional<Automaton> ownSubjects, Optional<GitHubRepository> ownRepository,
                           List<String> preferredIdentities, AnyTemplate anyTemplate) {
            this.description = description;
            this.identities = identities;
            this.ownSubjects = ownSubjects;
            this.ownRepository = ownRepository;
            this.preferredIdentities = List.copyOf(preferredIdentities);
            this.anyTemplate = anyTemplate;
        }

        static TokenClass anyTemplate(String description, Identities identities, List<String> preferredIdentities) {
            return anyTemplate(description, new AnyTemplate(identities), preferredIdentities);
        }

        /** With the any-template languages of {@code shared}'s identities shared between classes. */
        static TokenClass anyTemplate(String description, AnyTemplate shared, List<String> preferredIdentities) {
            return new TokenClass(description, shared.identities, Optional.empty(), Optional.empty(), preferredIdentities, shared);
        }

        /** The repository's own tokens: {@code subjects} are those of {@code repo}'s template for every token. */
        static TokenClass ownTemplate(String description, Identities identities, GitHubRepository repo, Automaton subjects) {
            return new TokenClass(description, identities, Optional.of(subjects), Optional.of(repo), List.of(), null);
        }

        String description() {
            return description;
        }

        Identities identities() {
            return identities;
        }

        boolean ownTemplate() {
            return ownSubjects.isPresent();
        }

        List<String> preferredIdentities() {
            return preferredIdentities;
        }

        /** The subjects of tokens of {@code ids} whose claims take {@code values} (the shared languages when those narrow nothing). */
        Automaton subjectsOf(Identities ids, ClaimValues values) {
            if (ownSubjects.isPresent()) {
                return values.isAny() ? ownSubjects.get() : SubjectGrammar.subjectsOf(ownRepository.get(), values);
            }
            return ids != identities || !values.isAny() ? ids.anyTemplateSubjects(values) : anyTemplate.subjects();
        }

        /** Does some subject of {@code ids}, with claims {@code values}, lie in {@code language}? Any-template subjects are not built for this. */
        boolean subjectIn(Identities ids, ClaimValues values, Automaton language) {
            if (ownSubjects.isPresent()) {
                return Lang.intersects(subjectsOf(ids, values), language);
            }
            List<List<Concatenation>> claims = ids != identities ? ids.anyTemplateClaims(values) : anyTemplate.claims(values);
            return claims.stream().anyMatch(one -> Lang.separatedIntersects(one, ':', language));
        }
    }

    /**
     * The subjects a set of identities can mint under any subject template: as the claims they are a
     * {@code :}-separated sequence of (for emptiness tests) and as an automaton (for witnesses); each built on
     * first use. Shared across analyses for the other-owner class (see TokenClasses.otherOwners()).
     */
    static final class AnyTemplate {
        private final Identities identities;
        /** The template these identities were made from by other IDs ({@link #withIds}), whose name claims they share; or null. */
        private final AnyTemplate names;
        private List<Concatenation> nameClaims;
        private List<Concatenation> identityClaims;
        private List<List<Concatenation>> claims;
        private Automaton subjects;

        AnyTemplate(Identities identities) {
            this(identities, null);
        }

        private AnyTemplate(Identities identities, AnyTemplate names) {
            this.identities = identities;
            this.names = names;
        }

        /**
         * The same repositories with other owner and repository IDs: the owner/name languages and the identity
         * claims built from them alone are this template's, shared (they are only read), not built again.
         */
        AnyTemplate withIds(Automaton ownerIds, Automaton repositoryIds) {
            return new AnyTemplate(identities.withIds(ownerIds, repositoryIds), this);
        }

        private List<Concatenation> nameClaims() {
            if (nameClaims == null) {
                nameClaims = identities.nameClaims();
            }
            return nameClaims;
        }

        /** The claims for tokens with claims {@code values}: the identity claims are built once, the rest kept for every token. */
        List<List<Concatenation>> claims(ClaimValues values) {
            if (identityClaims == null) {
                identityClaims = identities.identityClaims(names == null ? nameClaims() : names.nameClaims());
            }
            if (!values.isAny()) {
                return Identities.anyTemplateClaims(identityClaims, values);
            }
            if (claims == null) {
                claims = Identities.anyTemplateClaims(identityClaims, ClaimValues.ANY);
            }
            return claims;
        }

        Automaton subjects() {
            if (subjects == null) {
                subjects = identities.anyTemplateSubjects(ClaimValues.ANY);
            }
            return subjects;
        }
    }

    /** An immutable {@code repo} claim value: {@code Owner@OwnerID/Name@RepositoryID}. */
    private static final java.util.regex.Pattern IMMUTABLE_REPO = java.util.regex.Pattern.compile("([^@/]+)@([0-9]+)/([^@/]+)@([0-9]+)");

    /** Subjects of the main branch (minimal: it is read in place by the witness search, see Product). */
    private static final Automaton READABLE_SUFFIX = Lang.min(cat(Automaton.makeAnyString(), lit(":ref:refs/heads/main")));

    private TokenSolver() {
    }

    /** True when some token of the class satisfies some conjunct. */
    static boolean admits(List<Conjunct> conjuncts, TokenClass tokens, List<String> audiences) {
        return conjuncts.stream().anyMatch(c -> solve(c, tokens, audiences, false).isPresent());
    }

    static Optional<Witness.Token> witness(List<Conjunct> conjuncts, TokenClass tokens, List<String> audiences) {
        for (Conjunct c : conjuncts) {
            Optional<Witness.Token> w = solve(c, tokens, audiences, true);
            if (w.isPresent()) {
                return w;
            }
        }
        return Optional.empty();
    }

    private static Optional<Witness.Token> solve(Conjunct c, TokenClass tokens, List<String> audiences, boolean wantWitness) {
        Map<String, String> claims = new TreeMap<>();
        Map<String, Automaton> narrowed = new HashMap<>();
        boolean environmentMayBeAbsent = true;
        for (Map.Entry<String, KeyConstraint> e : c.constraints().entrySet()) {
            String key = e.getKey();
            KeyConstraint kc = e.getValue();
            if (key.equals("sub") || SubjectGrammar.IDENTITY_CLAIMS.contains(key)) {
                continue;
            }
            if (Conjunct.isAbsentKey(key)) {
                if (!kc.absentOk()) {
                    return Optional.empty();
                }
                claims.put(key.substring(Conjunct.ABSENT_PREFIX.length()), ABSENT);
                continue;
            }
            // Only values GitHub can issue (T6): a condition that only an impossible value satisfies admits nobody.
            Automaton values = key.equals("aud") && !audiences.isEmpty()
                    ? Wildcards.union(audiences.stream().map(Wildcards::literal).toList()) : SubjectGrammar.values(key);
            Automaton accepted = values.intersection(kc.present());
            boolean optional = ConditionKeys.OPTIONAL.contains(key);
            if (accepted.isEmpty() && !(kc.absentOk() && optional)) {
                return Optional.empty();
            }
            if (GitHubRepository.TEMPLATE_KEYS.contains(key)) {
                narrowed.put(key, accepted); // a claim subjects may state (aud is none: the shared languages stay usable)
            }
            if (key.equals("environment")) {
                environmentMayBeAbsent = kc.absentOk();
            }
            claims.put(key, accepted.isEmpty() ? ABSENT : wantWitness ? Wildcards.readableExample(accepted).orElse("") : "");
        }
        // The claims that also appear in subjects tie the subject to the token (T7): its context is the ref or
        // environment claim, its template claims the token's values.
        ClaimValues values = new ClaimValues(narrowed, environmentMayBeAbsent);
        Optional<Identities> identities = narrow(tokens.identities(), c);
        if (identities.isEmpty()) {
            return Optional.empty();
        }
        if (!admitsSubject(tokens, identities.get(), values, c)) {
            return Optional.empty();
        }
        if (!wantWitness) {
            return Optional.of(new Witness.Token("", claims));
        }
        // A readable witness: a plausible attacker repository name and a main-branch subject where possible.
        // First pass (any-template classes): a preferred identity whose default-template subject gets in
        // (repo:acme-evil/...:ref:...); second pass: one that gets in only with a crafted template.
        Identities chosen = identities.get();
        Automaton chosenSubjects = null; // built only when no default-template subject of a preferred identity gets in
        List<Concatenation> chosenDefaults = null; // the languages whose intersection is the chosen default-template subjects
        Optional<KeyConstraint> subConstraint = c.get("sub");
        boolean anyTemplate = !tokens.ownTemplate();
        List<Identities> candidates = new java.util.ArrayList<>();
        for (String preferred : tokens.preferredIdentities()) {
            if (!Lang.accepts(identities.get().ownerSlashName(), preferred)) {
                continue;
            }
            int slash = preferred.indexOf('/');
            candidates.add(Identities.product(lit(preferred.substring(0, slash)), lit(preferred.substring(slash + 1)),
                    identities.get().ownerIds(), identities.get().repositoryIds()));
        }
        boolean found = false;
        if (anyTemplate) {
            // The default-template subjects of an identity are among its any-template subjects, so the subjects that
            // get in under the default template are just the sub constraint's: no any-template language is needed.
            // They are searched in place (a Product), not built: the context claim is the largest part, and shared.
            for (Identities candidate : candidates) {
                Concatenation defaults = candidate.defaultTemplateSubjectParts(values);
                List<Concatenation> admitted = subConstraint.isPresent()
                        ? List.of(defaults, Concatenation.single(subConstraint.get().present())) : List.of(defaults);
                // Without a sub constraint, empty as their concatenation is: when one of its parts is empty.
                if (subConstraint.isPresent() ? Product.of(admitted).intersects() : defaults.parts().stream().noneMatch(Automaton::isEmpty)) {
                    chosen = candidate;
                    chosenSubjects = null; // not needed: the readable subject comes from the default-template ones
                    chosenDefaults = admitted;
                    found = true;
                    break;
                }
            }
        }
        if (!found) {
            for (Identities candidate : candidates) {
                if (admitsSubject(tokens, candidate, values, c)) {
                    chosen = candidate;
                    break;
                }
            }
            chosenSubjects = subjects(tokens, chosen, values, c);
        }
        String sub = chosenDefaults != null ? readableDefaultSubject(chosenDefaults)
                : readableSubject(chosen, values, chosenSubjects, anyTemplate);
        fillIdentityClaims(c, claims, sub, chosen);
        fillContextClaims(claims, sub, values);
        return Optional.of(new Witness.Token(sub, claims));
    }

    /**
     * Makes the witness's ref and environment claims (those the conjunct tests) the ones its subject states: the
     * subject's {@code ref:} and {@code environment:} claims are the token's, and a {@code pull_request} context
     * means a pull-request ref and no environment. A subject naming no environment is one of a job without one
     * when the conjunct allows that (a {@code ref:} claim may be a custom template's ref claim, so it does not say).
     */
    private static void fillContextClaims(Map<String, String> claims, String sub, ClaimValues values) {
        Optional<String> ref = Optional.empty();
        Optional<String> environment = Optional.empty();
        boolean pullRequest = false;
        for (Map.Entry<String, String> claim : SubjectGrammar.claimsOf(sub)) {
            switch (claim.getKey()) {
                case "ref" -> ref = ref.or(() -> Optional.of(claim.getValue()));
                case "environment" -> environment = environment.or(() -> Optional.of(SubjectGrammar.unescaped(claim.getValue())));
                case "pull_request" -> pullRequest = true;
                default -> {
                }
            }
        }
        if (claims.containsKey("ref")) {
            Automaton refs = pullRequest ? values.of("ref").intersection(SubjectGrammar.PULL_REQUEST_REFS) : values.of("ref");
            claims.put("ref", ref.orElseGet(() -> Wildcards.readableExample(refs).orElse("")));
        }
        if (claims.containsKey("environment")) {
            boolean withoutEnvironment = pullRequest || values.environmentMayBeAbsent();
            claims.put("environment", environment.orElseGet(() -> withoutEnvironment ? ABSENT : claims.get("environment")));
        }
    }

    /** Narrows the class's identities by the conjunct's constraints on identity claims. */
    private static Optional<Identities> narrow(Identities ids, Conjunct c) {
        if (SubjectGrammar.IDENTITY_CLAIMS.stream().noneMatch(k -> c.get(k).isPresent())) {
            return Optional.of(ids); // the same object, so the class's memoised subjects are reused
        }
        Automaton ident = ids.ownerSlashName();
        Automaton ownerIds = ids.ownerIds();
        Automaton repoIds = ids.repositoryIds();
        Optional<KeyConstraint> repository = c.get("repository");
        if (repository.isPresent()) {
            ident = ident.intersection(repository.get().present());
        }
        Optional<KeyConstraint> owner = c.get("repository_owner");
        if (owner.isPresent()) {
            ident = ident.intersection(cat(owner.get().present(), lit("/"), SubjectGrammar.NAME));
        }
        Optional<KeyConstraint> ownerId = c.get("repository_owner_id");
        if (ownerId.isPresent()) {
            ownerIds = ownerIds.intersection(ownerId.get().present());
        }
        Optional<KeyConstraint> repoId = c.get("repository_id");
        if (repoId.isPresent()) {
            repoIds = repoIds.intersection(repoId.get().present());
        }
        // Only a repository / owner constraint changes the owner/name shape; ID constraints keep the product form.
        Identities narrowed = repository.isEmpty() && owner.isEmpty() ? ids.withIds(ownerIds, repoIds) : new Identities(ident, ownerIds, repoIds);
        return narrowed.isEmpty() ? Optional.empty() : Optional.of(narrowed);
    }

    /** Does some subject of these identities satisfy the conjunct's sub constraint? (Emptiness only: no product is kept.) */
    private static boolean admitsSubject(TokenClass tokens, Identities ids, ClaimValues values, Conjunct c) {
        Optional<KeyConstraint> sub = c.get("sub");
        return tokens.subjectIn(ids, values, sub.isPresent() ? sub.get().present() : Automaton.makeAnyString());
    }

    /** The subjects of these identities that satisfy the conjunct's sub constraint. */
    private static Automaton subjects(TokenClass tokens, Identities ids, ClaimValues values, Conjunct c) {
        Automaton subjects = tokens.subjectsOf(ids, values);
        Optional<KeyConstraint> sub = c.get("sub");
        return sub.isPresent() ? subjects.intersection(sub.get().present()) : subjects;
    }

    /** A readable subject among non-empty default-template subjects: a main-branch one where possible. */
    private static String readableDefaultSubject(Automaton defaults) {
        return Wildcards.readableExample(defaults.intersection(READABLE_SUFFIX)).or(() -> Wildcards.readableExample(defaults)).orElse("");
    }

    /**
     * {@link #readableDefaultSubject} of the intersection of {@code languages} (each a concatenation of its parts),
     * found without building it. A language without a readable word (where {@link Wildcards#readableExample} falls
     * back on any word) is built and handed to it, so the answer is always that of the built language.
     */
    private static String readableDefaultSubject(List<Concatenation> languages) {
        List<Concatenation> onMain = new ArrayList<>(languages);
        onMain.add(Concatenation.single(READABLE_SUFFIX));
        return Product.of(onMain).shortestReadable()
                .or(() -> Product.of(languages).shortestReadable())
                .orElseGet(() -> readableDefaultSubject(built(languages)));
    }

    /** The intersection of the concatenations, built (dk.brics, as the search above would have had it). */
    private static Automaton built(List<Concatenation> languages) {
        Automaton result = null;
        for (Concatenation c : languages) {
            Automaton language = BasicOperations.concatenate(c.parts());
            result = result == null ? language : result.intersection(language);
        }
        return result;
    }

    private static String readableSubject(Identities ids, ClaimValues values, Automaton subjects, boolean anyTemplate) {
        if (anyTemplate) {
            Automaton defaults = subjects.intersection(ids.defaultTemplateSubjects(values));
            if (!defaults.isEmpty()) {
                return readableDefaultSubject(defaults);
            }
        } else {
            Optional<String> main = Wildcards.readableExample(subjects.intersection(READABLE_SUFFIX));
            if (main.isPresent()) {
                return main.get();
            }
        }
        return Wildcards.readableExample(subjects).orElse("");
    }

    /**
     * The witness's identity claims (those the conjunct tests): the repository and IDs its subject names, else
     * examples of the chosen identities (a subject of a crafted template may name neither).
     */
    private static void fillIdentityClaims(Conjunct c, Map<String, String> claims, String sub, Identities ids) {
        Optional<String> repository = Optional.empty();
        Optional<String> ownerId = Optional.empty();
        Optional<String> repositoryId = Optional.empty();
        for (Map.Entry<String, String> claim : SubjectGrammar.claimsOf(sub)) {
            String value = claim.getValue();
            switch (claim.getKey()) {
                case "repo" -> {
                    java.util.regex.Matcher immutable = IMMUTABLE_REPO.matcher(value);
                    if (immutable.matches()) {
                        repository = repository.or(() -> Optional.of(immutable.group(1) + "/" + immutable.group(3)));
                        ownerId = ownerId.or(() -> Optional.of(immutable.group(2)));
                        repositoryId = repositoryId.or(() -> Optional.of(immutable.group(4)));
                    } else {
                        repository = repository.or(() -> Optional.of(value));
                    }
                }
                case "repository" -> repository = repository.or(() -> Optional.of(value));
                case "repository_owner_id" -> ownerId = ownerId.or(() -> Optional.of(value));
                case "repository_id" -> repositoryId = repositoryId.or(() -> Optional.of(value));
                default -> {
                }
            }
        }
        String ownerSlashName = repository.orElseGet(() -> Wildcards.readableExample(ids.ownerSlashName()).orElse(""));
        int slash = ownerSlashName.indexOf('/');
        if (c.get("repository").isPresent()) {
            claims.put("repository", ownerSlashName);
        }
        if (c.get("repository_owner").isPresent() && slash > 0) {
            claims.put("repository_owner", ownerSlashName.substring(0, slash));
        }
        if (c.get("repository_owner_id").isPresent()) {
            claims.put("repository_owner_id", ownerId.orElseGet(() -> Wildcards.readableExample(ids.ownerIds()).orElse("")));
        }
        if (c.get("repository_id").isPresent()) {
            claims.put("repository_id", repositoryId.orElseGet(() -> Wildcards.readableExample(ids.repositoryIds()).orElse("")));
        }
    }

    /** Identities for a literal owner/name (the repository itself). */
    static Identities literal(String ownerSlashName, Optional<String> ownerId, Optional<String> repositoryId) {
        int slash = ownerSlashName.indexOf('/');
        return Identities.product(lit(ownerSlashName.substring(0, slash)), lit(ownerSlashName.substring(slash + 1)),
                ownerId.map(Lang::lit).orElse(SubjectGrammar.ID.clone()), repositoryId.map(Lang::lit).orElse(SubjectGrammar.ID.clone()));
    }
}
