package dev.ecroidcguard.core.github;

import dev.ecroidcguard.core.lang.Concatenation;
import dev.ecroidcguard.core.lang.Lang;
import dk.brics.automaton.Automaton;

import dk.brics.automaton.State;
import dk.brics.automaton.Transition;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static dev.ecroidcguard.core.lang.Lang.cat;
import static dev.ecroidcguard.core.lang.Lang.lit;
import static dev.ecroidcguard.core.lang.Lang.or;
import static dev.ecroidcguard.core.lang.Lang.plus;

/**
 * What GitHub can mint, as regular languages. A subject is claims joined by {@code :}, each {@code key:value}
 * (the {@code context} claim is {@code ref:<ref>}, {@code environment:<name>} or {@code pull_request});
 * a {@code :} inside a value is escaped as {@code %3A}, so values in a subject never contain {@code :}.
 *
 * <p>Every claim value is one GitHub can issue (issue 11, T6), so a witness is a real token and a condition that
 * only an impossible value satisfies (a literal {@code refs/heads/*}) admits nobody:
 * <ul>
 * <li>owners (users and organisations): letters, digits and single hyphens, neither first nor last, at most 39
 *     characters (GitHub's sign-up and organisation name rules); repository names: letters, digits, {@code -},
 *     {@code _}, {@code .}, but not {@code .} or {@code ..} (GitHub's repository name rules; the 100-character
 *     limit is not modelled);</li>
 * <li>IDs: positive decimal numbers without leading zeros;</li>
 * <li>refs: {@code refs/heads/<name>}, {@code refs/tags/<name>} or {@code refs/pull/<n>/merge}, where a name
 *     follows {@code git check-ref-format}: {@code /}-separated components, none empty, none starting with
 *     {@code .} or ending with {@code .lock}, no {@code ..} or {@code @{}, no control character, space or any of
 *     {@code ~^:?*[\}, not ending with {@code .} and not {@code @} alone;</li>
 * <li>environment and workflow names, audiences: non-empty, without control characters (the 255-character limit
 *     of environment names is not modelled); other claims their documented forms (GitHub OIDC reference,
 *     "Understanding the OIDC token"), every value non-empty except {@code head_ref}/{@code base_ref}, which
 *     GitHub sends empty outside pull requests.</li>
 * </ul>
 * The claims of one token are tied (T7): the {@code context} of the subject is {@code environment:<environment claim>}
 * when the job references an environment, else {@code pull_request} for pull-request events (whose ref is
 * {@code refs/pull/<n>/merge}, or the base branch for {@code pull_request_target}), else {@code ref:<ref claim>};
 * {@link ClaimValues} carries what a policy's conditions allow for each claim into the subject languages built here.
 * Owner and repository names never contain {@code @}, {@code :} or {@code /}; refs, environment and workflow
 * names may contain {@code /} and {@code @}. The admin of any repository chooses that repository's own subject
 * template (which claims, in which order), so for repositories other than ours every template is possible.
 */
public final class SubjectGrammar {

    public static final Automaton OWNER_CHAR = Lang.charClass("azAZ09", "-");
    public static final Automaton NAME_CHAR = Lang.charClass("azAZ09", "._-");
    public static final Automaton DIGIT = Lang.charClass("09", "");
    private static final Automaton ALNUM = Lang.charClass("azAZ09", "");
    private static final String CONTROL = controlCharacters();
    private static final Automaton ANY = Automaton.makeAnyString();
    /** A GitHub user or organisation name. */
    public static final Automaton OWNER = Lang.constant(Lang.min(Lang.and(cat(ALNUM, Lang.star(cat(or(lit("-"), lit("")), ALNUM))),
            Automaton.makeAnyChar().repeat(1, 39))));
    /** A GitHub repository name. */
    public static final Automaton NAME = Lang.constant(Lang.min(Lang.minus(plus(NAME_CHAR), or(lit("."), lit("..")))));
    /** A GitHub ID (repository, owner, actor, enterprise). */
    public static final Automaton ID = Lang.constant(Lang.min(cat(Lang.charClass("19", ""), Lang.star(DIGIT))));
    /** Free text GitHub accepts as a name (environment, workflow): non-empty, no control characters. */
    public static final Automaton TEXT = Lang.min(plus(Lang.anyCharExcept(CONTROL)));
    /** A branch or tag name after {@code refs/heads/} or {@code refs/tags/} ({@code git check-ref-format}). */
    public static final Automaton REF_NAME;
    /** A ref a workflow run can carry. */
    public static final Automaton REF;
    /** The refs of a pull-request run: the merge ref ({@code pull_request}) or the base branch ({@code pull_request_target}). */
    public static final Automaton PULL_REQUEST_REFS;

    static {
        Automaton componentChar = Lang.anyCharExcept(CONTROL + " ~^:?*[\\/");
        Automaton component = Lang.minus(plus(componentChar), or(cat(lit("."), ANY), cat(ANY, lit(".lock"))));
        REF_NAME = Lang.min(Lang.minus(Lang.separated(component, "/"),
                or(cat(ANY, lit(".."), ANY), cat(ANY, lit("@{"), ANY), cat(ANY, lit(".")), lit("@"))));
        Automaton pullMerge = cat(lit("refs/pull/"), ID, lit("/merge"));
        REF = Lang.min(or(cat(lit("refs/heads/"), REF_NAME), cat(lit("refs/tags/"), REF_NAME), pullMerge));
        PULL_REQUEST_REFS = Lang.min(or(cat(lit("refs/heads/"), REF_NAME), pullMerge));
    }

    /** The values GitHub can issue for each claim, unescaped (as STS and the token carry them). */
    private static final Map<String, Automaton> CLAIM_VALUES = claimValues();

    /** Claims that identify the repository or its owner; everything else is chosen by whoever runs the workflow. */
    public static final List<String> IDENTITY_CLAIMS = List.of("repo", "repository", "repository_owner", "repository_owner_id", "repository_id");

    /** The {@code context} claim. */
    public static final Automaton CONTEXT = Lang.constant(Lang.min(context(REF, TEXT, true)));
    /**
     * Template claims whose value a trust condition may narrow (the non-identity claims STS provides as condition
     * keys); the other non-identity claims are the same for every token: {@link #FIXED_CLAIM} is their union.
     */
    private static final List<String> NARROWABLE = List.of("ref", "environment", "workflow", "actor", "actor_id", "job_workflow_ref", "enterprise_id");
    /** {@code key:value} for each narrowable claim, with any value GitHub can issue. */
    private static final Map<String, Automaton> NARROWABLE_CLAIM = narrowableClaims();
    private static final Automaton FIXED_CLAIM = fixedClaims();

    /**
     * Claims other than identity ones, which anyone can mint with any value in their own repository: those of a job
     * with an environment (its context is the environment) and of one without (no environment claim).
     */
    private static final List<List<Automaton>> NON_IDENTITY_CLAIMS = List.of(List.of(Lang.min(ClaimValues.ANY.nonIdentityClaim(true))),
            List.of(Lang.min(ClaimValues.ANY.nonIdentityClaim(false))));
    /** Subjects made only of non-identity claims: anyone on GitHub can mint every one of them. */
    public static final Automaton NON_IDENTITY_SUBJECTS = Lang.min(or(NON_IDENTITY_CLAIMS.stream().map(c -> Lang.separated(c.get(0), ":")).toList()));

    /** The values GitHub can issue for {@code claim} (free text for a claim this model does not know). */
    public static Automaton values(String claim) {
        Automaton known = CLAIM_VALUES.get(claim);
        return known != null ? known : claim.startsWith("repo_property_") ? CLAIM_VALUES.get("repo_property_") : TEXT;
    }

    private static Map<String, Automaton> claimValues() {
        Map<String, Automaton> v = new HashMap<>();
        Automaton id = ID;
        Automaton workflowPath = plus(Lang.anyCharExcept(CONTROL + "@"));
        for (String key : List.of("actor_id", "repository_id", "repository_owner_id", "enterprise_id")) {
            v.put(key, id);
        }
        v.put("actor", Lang.min(or(OWNER, cat(OWNER, lit("[bot]")))));
        v.put("repository", Lang.min(cat(OWNER, lit("/"), NAME)));
        v.put("repository_owner", OWNER);
        v.put("ref", REF);
        v.put("environment", TEXT);
        v.put("workflow", TEXT);
        v.put("aud", TEXT);
        Automaton workflowRef = Lang.min(cat(OWNER, lit("/"), NAME, lit("/"), workflowPath, lit("@"), TEXT));
        v.put("job_workflow_ref", workflowRef);
        v.put("workflow_ref", workflowRef);
        Automaton sha = Lang.min(Lang.charClass("09af", "").repeat(40, 40));
        v.put("job_workflow_sha", sha);
        v.put("workflow_sha", sha);
        v.put("repository_visibility", Lang.min(or(lit("public"), lit("private"), lit("internal"))));
        v.put("ref_type", Lang.min(or(lit("branch"), lit("tag"))));
        v.put("ref_protected", Lang.min(or(lit("true"), lit("false"))));
        v.put("runner_environment", Lang.min(or(lit("github-hosted"), lit("self-hosted"))));
        v.put("event_name", Lang.min(plus(Lang.charClass("az", "_"))));
        Automaton branchOrNone = Lang.min(or(lit(""), REF_NAME));
        v.put("head_ref", branchOrNone);
        v.put("base_ref", branchOrNone);
        v.put("enterprise", Lang.min(plus(Lang.charClass("az09", "-"))));
        v.put("repo_property_", TEXT);
        return Map.copyOf(v);
    }

    private static Map<String, Automaton> narrowableClaims() {
        Map<String, Automaton> claims = new HashMap<>();
        NARROWABLE.forEach(key -> claims.put(key, Lang.min(claimInSubject(key, values(key)))));
        return Map.copyOf(claims);
    }

    private static Automaton fixedClaims() {
        List<Automaton> claims = new ArrayList<>();
        for (String key : GitHubRepository.TEMPLATE_KEYS) {
            if (!IDENTITY_CLAIMS.contains(key) && !key.equals("context") && !NARROWABLE.contains(key)) {
                claims.add(claimInSubject(key, values(key)));
            }
        }
        claims.add(cat(lit("repo_property_"), plus(Lang.charClass("az09", "_-")), lit(":"), escaped(values("repo_property_"))));
        return Lang.min(or(claims));
    }

    /** A claim as a custom template writes it, {@code key:value}, for these values. */
    private static Automaton claimInSubject(String key, Automaton values) {
        return cat(lit(key + ":"), escaped(values));
    }

    private static String controlCharacters() {
        StringBuilder b = new StringBuilder();
        for (char c = 0; c < 0x20; c++) {
            b.append(c);
        }
        return b.append('\u007f').toString();
    }

    /**
     * The {@code context} claims of tokens whose ref claim is in {@code refs} and whose environment claim, when
     * present, is in {@code environments} (it may be absent when {@code environmentMayBeAbsent}).
     */
    static Automaton context(Automaton refs, Automaton environments, boolean environmentMayBeAbsent) {
        return or(environmentMayBeAbsent ? contextWithoutEnvironment(refs) : Automaton.makeEmpty(),
                refs.isEmpty() ? Automaton.makeEmpty() : contextWithEnvironment(environments));
    }

    /** A job without an environment: {@code ref:<ref>}, or {@code pull_request} on a pull-request ref. */
    private static Automaton contextWithoutEnvironment(Automaton refs) {
        return Lang.intersects(refs, PULL_REQUEST_REFS) ? or(cat(lit("ref:"), refs), lit("pull_request")) : cat(lit("ref:"), refs);
    }

    /** A job with an environment, on any ref. */
    private static Automaton contextWithEnvironment(Automaton environments) {
        return cat(lit("environment:"), escaped(environments));
    }

    /** A value as it appears in a subject: every {@code :} written {@code %3A} (the image of the language). */
    static Automaton escaped(Automaton raw) {
        Automaton a = raw.clone();
        a.expandSingleton();
        boolean changed = false;
        for (State s : List.copyOf(a.getStates())) {
            for (Transition t : List.copyOf(s.getTransitions())) {
                if (t.getMin() <= ':' && ':' <= t.getMax()) {
                    s.getTransitions().remove(t);
                    if (t.getMin() < ':') {
                        s.addTransition(new Transition(t.getMin(), (char) (':' - 1), t.getDest()));
                    }
                    if (':' < t.getMax()) {
                        s.addTransition(new Transition((char) (':' + 1), t.getMax(), t.getDest()));
                    }
                    State percent = new State();
                    State three = new State();
                    s.addTransition(new Transition('%', percent));
                    percent.addTransition(new Transition('3', three));
                    three.addTransition(new Transition('A', t.getDest()));
                    changed = true;
                }
            }
        }
        if (!changed) {
            return a;
        }
        a.setDeterministic(false);
        a.restoreInvariant();
        return a;
    }

    /** {@code value} as the token carries it, from its form in a subject (see {@link #escaped}). */
    public static String unescaped(String value) {
        return value.replace("%3A", ":");
    }

    /**
     * The claims of a subject as key and value ({@code pull_request}, the one claim without a value, has the value
     * {@code ""}); claim keys never contain {@code :} and values in a subject never do, so the split is unique.
     */
    public static List<Map.Entry<String, String>> claimsOf(String subject) {
        List<Map.Entry<String, String>> claims = new ArrayList<>();
        String[] parts = subject.split(":", -1);
        for (int i = 0; i < parts.length; i++) {
            if (parts[i].equals("pull_request")) {
                claims.add(Map.entry("pull_request", ""));
            } else if (i + 1 < parts.length) {
                claims.add(Map.entry(parts[i], parts[++i]));
            }
        }
        return claims;
    }

    /**
     * What a policy's conditions allow for claims that also appear in subjects: for each narrowed claim the values
     * (within those GitHub can issue), the others any value GitHub can issue; whether the environment claim may be
     * absent. The subject languages built from it tie the subject's context and claims to the token's claims.
     */
    public record ClaimValues(Map<String, Automaton> narrowed, boolean environmentMayBeAbsent) {

        public static final ClaimValues ANY = new ClaimValues(Map.of(), true);

        public ClaimValues {
            narrowed = Map.copyOf(narrowed);
        }

        /** Narrows nothing: the shared languages built for every token apply. */
        public boolean isAny() {
            return narrowed.isEmpty() && environmentMayBeAbsent;
        }

        public Automaton of(String claim) {
            Automaton n = narrowed.get(claim);
            return n != null ? n : values(claim);
        }

        /** The {@code context} claims of such tokens. */
        public Automaton context() {
            return isAny() ? CONTEXT : SubjectGrammar.context(of("ref"), of("environment"), environmentMayBeAbsent);
        }

        /** Whether such a token may come from a job with an environment (then its context is that environment). */
        boolean environmentMayBePresent() {
            return !of("environment").isEmpty() && !of("ref").isEmpty();
        }

        /**
         * The non-identity claims of a custom template for such tokens, as alternatives (their union is the claim
         * language): one list for jobs with an environment and one for jobs without (whose subjects name no
         * environment), as far as such tokens allow each.
         */
        public List<List<Automaton>> nonIdentityClaims() {
            if (isAny()) {
                return NON_IDENTITY_CLAIMS;
            }
            List<List<Automaton>> cases = new ArrayList<>();
            if (environmentMayBePresent()) {
                cases.add(nonIdentityClaimItems(true));
            }
            if (environmentMayBeAbsent) {
                cases.add(nonIdentityClaimItems(false));
            }
            return cases;
        }

        /** The union of {@link #nonIdentityClaimItems}, for the shared languages. */
        private Automaton nonIdentityClaim(boolean withEnvironment) {
            return or(nonIdentityClaimItems(withEnvironment));
        }

        /** Only the narrowed claims are built here; the others are the shared, precomputed languages. */
        private List<Automaton> nonIdentityClaimItems(boolean withEnvironment) {
            List<Automaton> claims = new ArrayList<>();
            claims.add(withEnvironment ? contextWithEnvironment(of("environment")) : contextWithoutEnvironment(of("ref")));
            claims.add(FIXED_CLAIM);
            for (String key : NARROWABLE) {
                if (withEnvironment || !key.equals("environment")) {
                    Automaton n = narrowed.get(key);
                    claims.add(n == null ? NARROWABLE_CLAIM.get(key) : claimInSubject(key, n));
                }
            }
            return claims;
        }
    }

    /**
     * Which repositories a class of tokens may come from: {@code Owner/Name} words plus the owner and repository
     * IDs they may carry. Correlation between owner and name is kept in {@code ownerSlashName}.
     */
    public record Identities(Automaton ownerSlashName, Automaton ownerIds, Automaton repositoryIds, java.util.Optional<Product> product) {

        /** Owners and names that combine freely (every owner with every name): the cheap, common shape. */
        public record Product(Automaton owners, Automaton names) {
        }

        public Identities(Automaton ownerSlashName, Automaton ownerIds, Automaton repositoryIds) {
            this(ownerSlashName, ownerIds, repositoryIds, java.util.Optional.empty());
        }

        /** Every owner in {@code owners} with every name in {@code names}. */
        public static Identities product(Automaton owners, Automaton names, Automaton ownerIds, Automaton repositoryIds) {
            return new Identities(cat(owners, lit("/"), names), ownerIds, repositoryIds, java.util.Optional.of(new Product(owners, names)));
        }

        /** The same repositories with other ID languages (the owner/name shape is kept). */
        public Identities withIds(Automaton newOwnerIds, Automaton newRepositoryIds) {
            return new Identities(ownerSlashName, newOwnerIds, newRepositoryIds, product);
        }

        public boolean isEmpty() {
            return ownerSlashName.isEmpty() || ownerIds.isEmpty() || repositoryIds.isEmpty();
        }

        /** Values of the {@code repo} claim: name form {@code Owner/Name} or immutable {@code Owner@ID/Name@ID}. */
        public Automaton repoClaimValues() {
            return or(ownerSlashName, immutableRepoClaimValues());
        }

        public Automaton immutableRepoClaimValues() {
            return product.map(p -> cat(p.owners(), lit("@"), ownerIds, lit("/"), p.names(), lit("@"), repositoryIds))
                    .orElseGet(() -> Lang.withIds(ownerSlashName, ownerIds, repositoryIds, OWNER_CHAR, NAME_CHAR));
        }

        /** The owner names, read up to the {@code /}. */
        public Automaton owners() {
            return product.map(p -> p.owners().clone()).orElseGet(() -> Lang.segment(ownerSlashName, OWNER_CHAR, "/", false));
        }

        /** One identity claim of a custom template, for any of these repositories. */
        Automaton identityClaim() {
            return or(cat(lit("repo:"), repoClaimValues()), cat(lit("repository:"), ownerSlashName),
                    cat(lit("repository_owner:"), owners()), cat(lit("repository_owner_id:"), ownerIds),
                    cat(lit("repository_id:"), repositoryIds));
        }

        /** The same claims as {@link #identityClaim()}, one language per form (their union is it), unjoined. */
        public List<Concatenation> identityClaims() {
            return identityClaims(nameClaims());
        }

        /**
         * The identity claims that name no ID ({@code repo:Owner/Name}, {@code repository:}, {@code repository_owner:}):
         * the same for every {@link #withIds} of these identities, so they can be built once and shared. Like every
         * identity claim here, a concatenation that reads these identities' languages in place.
         */
        public List<Concatenation> nameClaims() {
            Automaton owners = product.map(Product::owners).orElseGet(this::owners);
            return List.of(Concatenation.of(lit("repo:"), ownerSlashName), Concatenation.of(lit("repository:"), ownerSlashName),
                    Concatenation.of(lit("repository_owner:"), owners));
        }

        /** {@link #identityClaims()} from {@link #nameClaims()} built before, by these identities or one they were made from with {@link #withIds}. */
        public List<Concatenation> identityClaims(List<Concatenation> nameClaims) {
            Concatenation immutable = product
                    .map(p -> Concatenation.of(lit("repo:"), p.owners(), lit("@"), ownerIds, lit("/"), p.names(), lit("@"), repositoryIds))
                    .orElseGet(() -> Concatenation.of(lit("repo:"), immutableRepoClaimValues()));
            return List.of(nameClaims.get(0), immutable, nameClaims.get(1), nameClaims.get(2),
                    Concatenation.of(lit("repository_owner_id:"), ownerIds), Concatenation.of(lit("repository_id:"), repositoryIds));
        }

        /**
         * The claims of which {@link #anyTemplateSubjects} is the union of {@code :}-separated sequences, one list
         * per case of {@link ClaimValues#nonIdentityClaims()}: this class's identity claims and the non-identity ones
         * of tokens with claims {@code values}. For emptiness tests that need not build the sequences (see
         * {@link Lang#separatedIntersects}).
         */
        public List<List<Concatenation>> anyTemplateClaims(ClaimValues values) {
            return anyTemplateClaims(identityClaims(), values);
        }

        /** {@link #anyTemplateClaims(ClaimValues)} from this class's {@link #identityClaims()}, when the caller keeps them. */
        public static List<List<Concatenation>> anyTemplateClaims(List<Concatenation> identity, ClaimValues values) {
            return values.nonIdentityClaims().stream().map(nonIdentity -> {
                List<Concatenation> claims = new ArrayList<>(identity);
                nonIdentity.forEach(claim -> claims.add(Concatenation.single(claim)));
                return List.copyOf(claims);
            }).toList();
        }

        /**
         * Every subject a repository of this class can mint under any subject template, for tokens with claims
         * {@code values}. (A claim a template names twice, e.g. {@code context} and {@code ref}, is tied to the token's
         * claim in each place but not to the other place: an over-approximation of what GitHub issues.)
         */
        public Automaton anyTemplateSubjects(ClaimValues values) {
            // Left as an NFA: it is only ever intersected with small pattern languages, and determinising a
            // Kleene star of overlapping claims costs far more than the product does.
            Automaton identity = identityClaim();
            return or(values.nonIdentityClaims().stream().map(nonIdentity -> {
                List<Automaton> claims = new ArrayList<>(nonIdentity);
                claims.add(identity);
                return Lang.separatedInPlace(or(claims), ':');
            }).toList());
        }

        /** Subjects under the default template {@code repo,context}, in either subject format, for tokens with claims {@code values}. */
        public Automaton defaultTemplateSubjects(ClaimValues values) {
            return cat(lit("repo:"), repoClaimValues(), lit(":"), values.context());
        }

        /** {@link #defaultTemplateSubjects}, read in place: the context claim (the largest part, usually shared) is not copied. */
        public Concatenation defaultTemplateSubjectParts(ClaimValues values) {
            return Concatenation.of(lit("repo:"), repoClaimValues(), lit(":"), values.context());
        }
    }

    /** The subjects {@code repo}'s own workflows mint under its template and subject format, for tokens with claims {@code values}. */
    public static Automaton subjectsOf(GitHubRepository repo, ClaimValues values) {
        List<Automaton> parts = new ArrayList<>();
        for (String claim : repo.subClaims()) {
            if (!parts.isEmpty()) {
                parts.add(lit(":"));
            }
            parts.add(switch (claim) {
                case "repo" -> lit("repo:" + repo.repoClaim());
                case "context" -> values.context();
                case "repository" -> lit("repository:" + repo.fullName());
                case "repository_owner" -> lit("repository_owner:" + repo.owner());
                case "repository_owner_id" -> cat(lit("repository_owner_id:"), repo.ownerId().map(Lang::lit).orElse(ID));
                case "repository_id" -> cat(lit("repository_id:"), repo.repositoryId().map(Lang::lit).orElse(ID));
                default -> cat(lit(claim + ":"), escaped(values.of(claim)));
            });
        }
        // Neither minimised nor determinised: a literal chain joined to the (minimal) claim languages is small
        // already, and it is only intersected or complemented later (which determinise what they need); Hopcroft's
        // algorithm and the subset construction over these alphabets cost more than every later use saved.
        return cat(parts.toArray(Automaton[]::new));
    }
}
