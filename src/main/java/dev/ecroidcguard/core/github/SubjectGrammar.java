package dev.ecroidcguard.core.github;

import dev.ecroidcguard.core.lang.Lang;
import dk.brics.automaton.Automaton;

import java.util.ArrayList;
import java.util.List;

import static dev.ecroidcguard.core.lang.Lang.cat;
import static dev.ecroidcguard.core.lang.Lang.lit;
import static dev.ecroidcguard.core.lang.Lang.or;
import static dev.ecroidcguard.core.lang.Lang.plus;

/**
 * What GitHub can mint, as regular languages. A subject is claims joined by {@code :}, each {@code key:value}
 * (the {@code context} claim is {@code ref:<ref>}, {@code environment:<name>} or {@code pull_request});
 * a {@code :} inside a value is escaped as {@code %3A}, so values never contain {@code :}. Owner and repository
 * names never contain {@code @}, {@code :} or {@code /}; IDs are digits; but refs, environment and workflow
 * names may contain {@code /} and {@code @}. The admin of any repository chooses that repository's own subject
 * template (which claims, in which order), so for repositories other than ours every template is possible.
 */
public final class SubjectGrammar {

    public static final Automaton OWNER_CHAR = Lang.charClass("azAZ09", "-");
    public static final Automaton NAME_CHAR = Lang.charClass("azAZ09", "._-");
    public static final Automaton DIGIT = Lang.charClass("09", "");
    public static final Automaton OWNER = Lang.min(plus(OWNER_CHAR));
    public static final Automaton NAME = Lang.min(plus(NAME_CHAR));
    public static final Automaton ID = Lang.min(plus(DIGIT));
    /** A claim value: anything but {@code :} (escaped by GitHub). */
    public static final Automaton VALUE = Lang.min(Lang.star(Lang.anyCharExcept(":")));
    /** A non-empty value, for refs and environment names in readable witnesses. */
    public static final Automaton NONEMPTY_VALUE = Lang.min(plus(Lang.anyCharExcept(":")));

    /** Claims that identify the repository or its owner; everything else is chosen by whoever runs the workflow. */
    public static final List<String> IDENTITY_CLAIMS = List.of("repo", "repository", "repository_owner", "repository_owner_id", "repository_id");

    /** Claims other than identity ones: anyone can mint any value for them in their own repository. */
    public static final Automaton NON_IDENTITY_CLAIM;
    /** Subjects made only of non-identity claims: anyone on GitHub can mint every one of them. */
    public static final Automaton NON_IDENTITY_SUBJECTS;
    /** The {@code context} claim. */
    public static final Automaton CONTEXT = Lang.min(or(cat(lit("ref:"), NONEMPTY_VALUE), cat(lit("environment:"), NONEMPTY_VALUE), lit("pull_request")));

    static {
        List<Automaton> claims = new ArrayList<>();
        claims.add(CONTEXT);
        for (String key : GitHubRepository.TEMPLATE_KEYS) {
            if (!IDENTITY_CLAIMS.contains(key) && !key.equals("context")) {
                claims.add(cat(lit(key + ":"), VALUE));
            }
        }
        claims.add(cat(lit("repo_property_"), plus(Lang.charClass("az09", "_-")), lit(":"), VALUE));
        NON_IDENTITY_CLAIM = Lang.min(or(claims));
        NON_IDENTITY_SUBJECTS = Lang.min(Lang.separated(NON_IDENTITY_CLAIM, ":"));
    }

    private SubjectGrammar() {
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
        private List<Automaton> identityClaims() {
            return List.of(cat(lit("repo:"), ownerSlashName), cat(lit("repo:"), immutableRepoClaimValues()), cat(lit("repository:"), ownerSlashName),
                    cat(lit("repository_owner:"), owners()), cat(lit("repository_owner_id:"), ownerIds),
                    cat(lit("repository_id:"), repositoryIds));
        }

        /**
         * The claims of which {@link #anyTemplateSubjects()} is the {@code :}-separated sequence: this class's
         * identity claims and the shared non-identity ones (not to be changed). For emptiness tests that need not
         * build the sequence (see {@link Lang#separatedIntersects}).
         */
        public List<Automaton> anyTemplateClaims() {
            List<Automaton> claims = new ArrayList<>(identityClaims());
            claims.add(NON_IDENTITY_CLAIM);
            return List.copyOf(claims);
        }

        /** Every subject a repository of this class can mint under any subject template. */
        public Automaton anyTemplateSubjects() {
            // Left as an NFA: it is only ever intersected with small pattern languages, and determinising a
            // Kleene star of overlapping claims costs far more than the product does.
            return Lang.separatedInPlace(or(identityClaim(), NON_IDENTITY_CLAIM), ':');
        }

        /** Subjects under the default template {@code repo,context}, in either subject format. */
        public Automaton defaultTemplateSubjects() {
            return cat(lit("repo:"), repoClaimValues(), lit(":"), CONTEXT);
        }
    }

    /** The subjects {@code repo}'s own workflows mint under its template and subject format. */
    public static Automaton subjectsOf(GitHubRepository repo) {
        List<Automaton> parts = new ArrayList<>();
        for (String claim : repo.subClaims()) {
            if (!parts.isEmpty()) {
                parts.add(lit(":"));
            }
            parts.add(switch (claim) {
                case "repo" -> lit("repo:" + repo.repoClaim());
                case "context" -> CONTEXT;
                case "repository" -> lit("repository:" + repo.fullName());
                case "repository_owner" -> lit("repository_owner:" + repo.owner());
                case "repository_owner_id" -> cat(lit("repository_owner_id:"), repo.ownerId().map(Lang::lit).orElse(ID));
                case "repository_id" -> cat(lit("repository_id:"), repo.repositoryId().map(Lang::lit).orElse(ID));
                default -> cat(lit(claim + ":"), VALUE);
            });
        }
        // Neither minimised nor determinised: a literal chain joined to the (minimal) claim languages is small
        // already, and it is only intersected or complemented later (which determinise what they need); Hopcroft's
        // algorithm and the subset construction over these alphabets cost more than every later use saved.
        return cat(parts.toArray(Automaton[]::new));
    }
}
