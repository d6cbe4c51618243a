package dev.ecroidcguard.core.trust;

import dev.ecroidcguard.core.analysis.Baseline;
import dev.ecroidcguard.core.analysis.RepositoryContext;
import dev.ecroidcguard.core.finding.Finding;
import dev.ecroidcguard.core.finding.FindingCode;
import dev.ecroidcguard.core.finding.Witness;
import dev.ecroidcguard.core.github.GitHubRepository;
import dev.ecroidcguard.core.github.SubjectGrammar;
import dev.ecroidcguard.core.github.SubjectGrammar.Identities;
import dev.ecroidcguard.core.lang.Lang;
import dev.ecroidcguard.core.lang.SoftCache;
import dev.ecroidcguard.core.lang.Wildcards;
import dev.ecroidcguard.core.policy.Condition;
import dev.ecroidcguard.core.policy.ConditionOperator;
import dev.ecroidcguard.core.policy.PolicyDocument;
import dev.ecroidcguard.core.policy.Principals;
import dev.ecroidcguard.core.policy.Statement;
import dev.ecroidcguard.core.trust.TokenSolver.TokenClass;
import dk.brics.automaton.Automaton;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static dev.ecroidcguard.core.lang.Lang.cat;
import static dev.ecroidcguard.core.lang.Lang.lit;
import static dev.ecroidcguard.core.lang.Lang.or;

/**
 * Decides, as sets, which GitHub Actions tokens may assume a repository's role, and names every way the
 * trust policy departs from "exactly this repository's workflows" with a catalogue code and a witness.
 *
 * <p>Three classes of tokens are tested against every Allow statement (after Denies): tokens of other
 * owners' repositories (anyone on GitHub; they choose their own subject template), tokens of the owner's
 * other repositories (any member who can create a repository), and the repository's own tokens. The trust is
 * confined when no token of the first two classes gets in; it works when one of the last does.
 */
final class TrustAnalysis {

    private static final Pattern DIGIT_RUN = Pattern.compile("[0-9]+");
    private static final String AUDIENCE_PROBE = "urn:ecr-oidc-guard:unlisted-audience";
    private static final Set<String> SPOOFABLE_KEYS = Set.of("job_workflow_ref", "job_workflow_sha", "environment", "workflow",
            "workflow_ref", "workflow_sha", "ref", "ref_type", "repository_visibility", "actor", "actor_id", "event_name",
            "runner_environment", "base_ref", "head_ref");
    /** The actions that assume the role (sts:TagSession and sts:SetSourceIdentity only accompany one of them). */
    private static final List<String> ASSUME_ACTIONS = List.of("sts:AssumeRole", "sts:AssumeRoleWithWebIdentity", "sts:AssumeRoleWithSAML");
    private static final List<String> STS_ACTIONS = List.of("sts:AssumeRole", "sts:AssumeRoleWithSAML", "sts:SetSourceIdentity",
            "sts:AssumeRoleWithWebIdentity", "sts:TagSession");

    private final RepositoryContext ctx;
    private final PolicyDocument doc;
    private final String roleArn;
    private final GitHubRepository repo;
    private final List<TrustModel.Issuer> issuers;
    private final List<Finding> findings = new ArrayList<>();

    TrustAnalysis(RepositoryContext ctx, PolicyDocument doc) {
        this.ctx = ctx;
        this.doc = doc;
        this.roleArn = ctx.roleArn();
        this.repo = ctx.github();
        this.issuers = issuers(ctx, doc);
    }

    /** The languages below are built on first use: a compliant policy is usually decided without them. */
    private TokenClass otherOwners;
    private TokenClass sameOwner;
    private TokenClass self;
    private Automaton selfSubjects;
    private Set<String> policyIds;

    private Set<String> policyIds() {
        if (policyIds == null) {
            policyIds = digitRuns(doc);
        }
        return policyIds;
    }

    private Automaton otherRepoIds() {
        return repo.repositoryId().map(id -> Lang.minus(SubjectGrammar.ID, lit(id))).orElse(minusAll(SubjectGrammar.ID, policyIds()));
    }

    TokenClass otherOwners() {
        if (otherOwners == null) {
            String org = repo.owner();
            // Other owners' tokens do not depend on the repository, only on the owner and the excluded IDs: share
            // their (costly) subject language across the repositories of a scan.
            String key = org + "|" + repo.ownerId().orElse("") + "|" + repo.repositoryId().orElse("") + "|" + policyIds();
            TokenSolver.AnyTemplate shared = OTHER_OWNERS.get().computeIfAbsent(key, k -> {
                Automaton otherOwnerNames = Lang.minus(SubjectGrammar.OWNER, Wildcards.ignoringCase(org));
                Automaton otherOwnerIds = repo.ownerId().map(id -> Lang.minus(SubjectGrammar.ID, lit(id))).orElse(minusAll(SubjectGrammar.ID, policyIds()));
                return new TokenSolver.AnyTemplate(Identities.product(otherOwnerNames, SubjectGrammar.NAME, otherOwnerIds, otherRepoIds()));
            });
            otherOwners = TokenClass.anyTemplate("another owner's repository", shared,
                    List.of(org + "-evil/" + repo.name(), "evil-" + org + "/" + repo.name(), "attacker/" + repo.name()));
        }
        return otherOwners;
    }

    /**
     * Per thread (dk.brics automata are not safe to share across threads), least recently used first out, and
     * softly held: a hostile policy's IDs make these languages large, and the cache must never exhaust the heap.
     */
    private static final ThreadLocal<SoftCache<String, TokenSolver.AnyTemplate>> OTHER_OWNERS = ThreadLocal.withInitial(() -> new SoftCache<>(32));

    TokenClass sameOwner() {
        if (sameOwner == null) {
            Classes shared = classes();
            if (shared.sameOwner == null) {
                String org = repo.owner();
                Automaton siblingNames = Lang.minus(SubjectGrammar.NAME, Wildcards.ignoringCase(repo.name()));
                shared.sameOwner = TokenClass.anyTemplate("another repository of " + org,
                        Identities.product(lit(org), siblingNames, repo.ownerId().map(Lang::lit).orElse(SubjectGrammar.ID.clone()), otherRepoIds()),
                        List.of(org + "/" + repo.name() + "-evil", org + "/evil", org + "/" + repo.name() + "2"));
            }
            sameOwner = shared.sameOwner;
        }
        return sameOwner;
    }

    private Automaton selfSubjects() {
        if (selfSubjects == null) {
            Classes shared = classes();
            if (shared.selfSubjects == null) {
                shared.selfSubjects = SubjectGrammar.subjectsOf(repo);
            }
            selfSubjects = shared.selfSubjects;
        }
        return selfSubjects;
    }

    TokenClass self() {
        if (self == null) {
            Classes shared = classes();
            if (shared.self == null) {
                shared.self = TokenClass.ownTemplate(repo.fullName(), TokenSolver.literal(repo.fullName(), repo.ownerId(), repo.repositoryId()), selfSubjects());
            }
            self = shared.self;
        }
        return self;
    }

    /**
     * The repository's own token classes (same owner, self) and subject language, shared by every analysis of
     * the same repository in a row: the check, its per-value classification, the fix planner's candidate checks
     * and the re-analysis of the fixed policy. They depend only on the repository and, when its repository ID
     * is unknown, on the IDs the policy names (see {@link #otherRepoIds()}), which are part of the key.
     */
    private Classes classes() {
        ClassesKey key = new ClassesKey(repo, repo.repositoryId().isPresent() ? Set.of() : policyIds());
        return CLASSES.get().computeIfAbsent(key, k -> new Classes());
    }

    private record ClassesKey(GitHubRepository repo, Set<String> policyIds) {
    }

    /** Built on first use, like the fields of an analysis. */
    private static final class Classes {
        private TokenClass sameOwner;
        private TokenClass self;
        private Automaton selfSubjects;
    }

    /** Per thread and softly held, like {@link #OTHER_OWNERS}; a few entries suffice, as one repository is checked at a time. */
    private static final ThreadLocal<SoftCache<ClassesKey, Classes>> CLASSES = ThreadLocal.withInitial(() -> new SoftCache<>(8));

    List<TrustModel.Issuer> issuers() {
        return issuers;
    }

    /** For tests: whether the attacker token classes (the costly languages) were built. */
    boolean builtAttackerClasses() {
        return otherOwners != null || sameOwner != null;
    }

    List<Finding> run() {
        structuralFindings();
        boolean anyRule = false;
        boolean selfAdmitted = false;
        Set<String> missingProviders = new LinkedHashSet<>();
        for (TrustModel.Issuer issuer : issuers) {
            boolean exists = existsInAccount(issuer);
            for (TrustModel.AllowRule rule : TrustModel.allowRules(doc, issuer)) {
                if (!exists) {
                    // STS rejects every token of a provider the account does not have: the statement admits nothing,
                    // so it exposes nothing and its conditions mean nothing yet (it is named when the role is unusable).
                    missingProviders.add(issuer.providerArn());
                    continue;
                }
                anyRule = true;
                conditionHygiene(rule, issuer);
                exposure(rule, issuer);
                audience(rule, issuer);
                if (admitsSelf(rule, issuer)) {
                    selfAdmitted = true;
                }
            }
        }
        if (!selfAdmitted) {
            unusable(anyRule, missingProviders);
        }
        return findings;
    }

    // ---------------------------------------------------------------- principals and actions

    private void structuralFindings() {
        List<Statement> statements = doc.statements();
        for (int i = 0; i < statements.size(); i++) {
            Statement s = statements.get(i);
            if (!s.isAllow() || s.principals().isEmpty()) {
                continue;
            }
            String where = "trust policy " + s.label(i);
            Principals p = s.principals().get();
            // A principal other than a GitHub provider gets in only through an action that assumes the role and
            // when the conditions can hold for its request, which carries no GitHub claim.
            boolean assumesByAws = TrustModel.actionCovers(s, "sts:AssumeRole") && admitsRequestWithoutGitHubClaims(s);
            List<String> entries = ASSUME_ACTIONS.stream().filter(a -> TrustModel.actionCovers(s, a)).toList();
            boolean assumesByAny = !entries.isEmpty() && admitsRequestWithoutGitHubClaims(s);
            if (s.notPrincipal() && assumesByAny) {
                add(FindingCode.TRUST_NOT_PRINCIPAL, where + " uses NotPrincipal with Allow: every principal not listed may assume the role",
                        new Witness.Principal("arn:" + ctx.account().partition() + ":iam::111122223333:root", entries.get(0)));
                continue;
            }
            if (s.notPrincipal()) {
                continue;
            }
            if (p.isEveryone() && assumesByAny) {
                List<String> covered = STS_ACTIONS.stream().filter(a -> TrustModel.actionCovers(s, a)).toList();
                add(FindingCode.TRUST_PRINCIPAL_WILDCARD, where + " trusts Principal \"*\": any " + (covered.contains("sts:AssumeRole") ? "AWS " : "")
                        + "principal may call " + String.join(", ", covered) + " on the role", new Witness.Principal("*", entries.get(0)));
            }
            for (String aws : p.of("AWS")) {
                if (aws.equals("*") || !assumesByAws) {
                    continue;
                }
                String account = accountOf(aws);
                if (account != null && !account.equals(ctx.accountId())) {
                    add(FindingCode.TRUST_PRINCIPAL_OTHER_ACCOUNT, where + " trusts " + aws + " in account " + account, new Witness.Principal(aws, "sts:AssumeRole"));
                } else {
                    add(FindingCode.TRUST_PRINCIPAL_UNEXPECTED, where + " also trusts " + aws + "; anyone allowed to assume it inherits push access",
                            new Witness.Principal(aws, "sts:AssumeRole"));
                }
            }
            for (String service : assumesByAws ? p.of("Service") : List.<String>of()) {
                add(FindingCode.TRUST_PRINCIPAL_UNEXPECTED, where + " also trusts the service " + service, new Witness.Principal(service, "sts:AssumeRole"));
            }
            for (String federated : p.of("Federated")) {
                boolean github = issuers.stream().anyMatch(iss -> iss.providerArn().equals(federated));
                boolean federatedEntry = (TrustModel.actionCovers(s, Baseline.ASSUME_ACTION) || TrustModel.actionCovers(s, "sts:AssumeRoleWithSAML"))
                        && admitsRequestWithoutGitHubClaims(s);
                if (!github && federatedEntry) {
                    add(FindingCode.TRUST_PRINCIPAL_UNEXPECTED, where + " also trusts the identity provider " + federated,
                            new Witness.Principal(federated, "sts:AssumeRoleWithWebIdentity"));
                }
            }
            boolean githubStatement = p.of("Federated").stream().anyMatch(f -> issuers.stream().anyMatch(iss -> iss.providerArn().equals(f)));
            if (s.notAction()) {
                String allowed = STS_ACTIONS.stream().filter(a -> TrustModel.actionCovers(s, a)).findFirst().orElse("sts:AssumeRole");
                add(FindingCode.TRUST_NOT_ACTION, where + " uses NotAction with Allow, which admits " + allowed + " and more",
                        new Witness.Request(allowed, roleArn, where));
            } else if (TrustModel.actionCovers(s, Baseline.ASSUME_ACTION)) {
                STS_ACTIONS.stream()
                        .filter(a -> !a.equals(Baseline.ASSUME_ACTION) && !a.equals("sts:TagSession"))
                        .filter(a -> TrustModel.actionCovers(s, a))
                        .filter(a -> s.actions().stream().anyMatch(Wildcards::hasWildcard))
                        .findFirst()
                        .ifPresent(a -> add(FindingCode.TRUST_ACTION_WILDCARD, where + " allows " + String.join(", ", s.actions())
                                + " instead of sts:AssumeRoleWithWebIdentity", new Witness.Request(a, roleArn, where)));
            } else if (githubStatement) {
                add(FindingCode.TRUST_ACTION_WRONG, where + " pairs the GitHub provider with " + String.join(", ", s.actions())
                        + "; web identity federation needs sts:AssumeRoleWithWebIdentity", new Witness.Detail("actions: " + s.actions()));
            }
        }
    }

    /**
     * Can the statement's conditions hold for a request without GitHub claims (an AWS principal's AssumeRole,
     * another identity provider's token)? A condition on a GitHub key then sees an absent key; any other key
     * may hold (the caller's own keys are not modelled).
     */
    private static boolean admitsRequestWithoutGitHubClaims(Statement s) {
        return s.conditions().stream().allMatch(c -> !ConditionKeys.isGitHubKey(c.key()) || TrustModel.constraintOf(c).absentOk());
    }

    private static String accountOf(String awsPrincipal) {
        if (awsPrincipal.matches("\\d{12}")) {
            return awsPrincipal;
        }
        String[] parts = awsPrincipal.split(":", 6);
        return parts.length >= 5 && parts[4].matches("\\d{12}") ? parts[4] : null;
    }

    // ---------------------------------------------------------------- conditions that do not mean what they say

    private void conditionHygiene(TrustModel.AllowRule rule, TrustModel.Issuer issuer) {
        String where = "trust policy " + rule.statement().label(rule.index());
        Set<String> otherIssuerKeys = new LinkedHashSet<>();
        for (Condition c : rule.statement().conditions()) {
            ConditionKeys.Kind kind = ConditionKeys.classify(c.key(), issuer.issuer());
            switch (kind) {
                case ConditionKeys.Kind.Malformed m -> add(FindingCode.TRUST_CONDITION_KEY_MALFORMED,
                        where + " tests '" + c.key() + "', which is no condition key STS provides for a GitHub token (it provides "
                                + issuer.issuer() + ": followed by one of " + String.join(", ", new java.util.TreeSet<>(ConditionKeys.CLAIMS)) + ")",
                        new Witness.Detail(c.operatorText() + " on absent key '" + c.key() + "' is " + (TrustModel.constraintOf(c).absentOk() ? "always true" : "never true")));
                case ConditionKeys.Kind.OtherIssuer o -> otherIssuerKeys.add(c.key());
                case ConditionKeys.Kind.Claim claim -> claimHygiene(rule, issuer, c, claim.name(), where);
                case ConditionKeys.Kind.NotTokenKey n -> {
                }
            }
        }
        if (!otherIssuerKeys.isEmpty()) {
            // One finding per statement: the keys share one cause (the statement was written for another issuer).
            add(FindingCode.TRUST_PROVIDER_MISMATCH, where + " trusts provider " + issuer.issuer() + " but tests "
                    + (otherIssuerKeys.size() == 1 ? "a key" : otherIssuerKeys.size() + " keys") + " of another issuer: "
                    + otherIssuerKeys.stream().map(k -> "'" + k + "'").collect(java.util.stream.Collectors.joining(", ")),
                    new Witness.Detail("keys must be prefixed with " + issuer.issuer() + ":"));
        }
    }

    private void claimHygiene(TrustModel.AllowRule rule, TrustModel.Issuer issuer, Condition c, String claim, String where) {
        for (String v : c.values()) {
            List<String> unresolvable = PolicyVariables.unresolvable(v);
            if (!unresolvable.isEmpty()) {
                add(FindingCode.TRUST_CONDITION_KEY_MALFORMED, where + " compares " + claim + " with '" + v + "', whose policy variable "
                        + String.join(", ", unresolvable.stream().map(k -> "${" + k + "}").toList())
                        + " names a key no request to STS carries, so the value matches nothing", new Witness.Detail("IAM substitutes "
                        + "policy variables from the request; a key the request lacks, without a default, leaves no value to match"));
            }
        }
        if (c.qualifier() == Condition.SetQualifier.FOR_ALL_VALUES) {
            add(FindingCode.TRUST_FORALLVALUES, where + " uses " + c.operatorText() + " on the single-valued claim " + claim
                    + ": true whenever the claim is absent", absentClaimWitness(rule, issuer, claim));
        } else if (c.qualifier() == Condition.SetQualifier.FOR_ANY_VALUE) {
            add(FindingCode.TRUST_SET_OPERATOR_SINGLE_VALUED, where + " uses " + c.operatorText() + " on the single-valued claim " + claim,
                    new Witness.Detail("set operators are for multivalued keys; use " + c.operator().name()));
        }
        if (c.ifExists() && ConditionKeys.SCOPING.contains(claim)) {
            add(FindingCode.TRUST_IFEXISTS_CONDITION, where + " uses " + c.operatorText() + " on " + claim
                    + ": the condition is true whenever the claim is absent", absentClaimWitness(rule, issuer, claim));
        }
        if (claim.equals("sub") && !c.operator().usesWildcards() && c.operator().isStringLike()) {
            for (String v : c.values()) {
                if (Wildcards.hasWildcard(v)) {
                    add(FindingCode.TRUST_SUB_STRINGEQUALS_WILDCARD, where + " compares sub with " + c.operator().name() + " to '" + v
                            + "': the wildcard is a literal character, so no token matches it (use StringLike)",
                            new Witness.Detail("'" + v + "' matches only a subject containing a literal '" + (v.contains("*") ? "*" : "?") + "'"));
                }
            }
        }
    }

    /** A token without the claim that gets in, when the claim may be absent; otherwise what the operator does. */
    private Witness absentClaimWitness(TrustModel.AllowRule rule, TrustModel.Issuer issuer, String claim) {
        if (ConditionKeys.OPTIONAL.contains(claim)) {
            List<Conjunct> withoutClaim = rule.admitted().stream()
                    .map(c -> c.get(claim).filter(KeyConstraint::absentOk).map(k -> c.with(claim, new KeyConstraint(Automaton.makeEmpty(), true))).orElse(null))
                    .filter(java.util.Objects::nonNull).toList();
            for (TokenClass tokens : List.of(otherOwners(), sameOwner(), self())) {
                Optional<Witness.Token> w = TokenSolver.witness(withoutClaim, tokens, issuer.audiences());
                if (w.isPresent()) {
                    return w.get();
                }
            }
        }
        return new Witness.Detail(claim + " is present in every GitHub token today, so the operator has no effect yet; "
                + "with a misspelled key or a claim GitHub omits it opens the role");
    }

    // ---------------------------------------------------------------- who gets in

    private void exposure(TrustModel.AllowRule rule, TrustModel.Issuer issuer) {
        String where = "trust policy " + rule.statement().label(rule.index());
        List<Condition> positiveSub = subConditions(rule.statement(), issuer, false);
        if (pinnedToSelf(positiveSub)) {
            return;
        }
        Optional<Witness.Token> other = TokenSolver.witness(rule.admitted(), otherOwners(), issuer.audiences());
        Optional<Witness.Token> sibling = other.isPresent() ? Optional.empty() : TokenSolver.witness(rule.admitted(), sameOwner(), issuer.audiences());
        if (other.isEmpty() && sibling.isEmpty()) {
            // Confined. A ref pattern inside the repository (refs/tags/v*, refs/heads/release/*, even refs/heads/main*)
            // is within "repo:<owner>/<name>:* or narrower", the compliance baseline: no advisory, and no fix may
            // rewrite it into a literal that the repository's release or branch workflows would no longer match.
            unverifiedIds(rule, issuer, where);
            return;
        }
        Witness.Token witness = other.orElseGet(sibling::get);
        if (positiveSub.isEmpty()) {
            exposureWithoutSubValues(rule, issuer, witness, other.isPresent(), where);
            return;
        }
        int before = findings.size();
        for (Condition c : positiveSub) {
            for (String value : c.values()) {
                // A condition with this one value: the statement judged on the value is the statement itself, whose
                // witnesses were just found; otherwise the value is judged alone under the other conditions.
                Optional<Witnesses> known = c.values().size() == 1 ? Optional.of(new Witnesses(other, sibling)) : Optional.empty();
                classifyValue(rule, issuer, c, value, where, known);
            }
        }
        if (findings.size() == before) {
            // The values are confined one by one but the statement is not (e.g. a Deny expansion); report it whole.
            add(FindingCode.TRUST_NO_SUB_CONDITION, where + " admits tokens of " + (other.isPresent() ? "other owners" : "other repositories of " + repo.owner()), witness);
        }
    }

    /**
     * Without a {@code github:repository-id} / {@code github:owner-id} tag, the token classes above take the IDs
     * the policy names to be the repository's own (see {@link #otherRepoIds()}). When the statement is confined
     * only under that assumption, say that the confinement rests on IDs nobody verified: with any other owner
     * or repository ID allowed, a foreign token gets in.
     */
    private void unverifiedIds(TrustModel.AllowRule rule, TrustModel.Issuer issuer, String where) {
        boolean idsUnknown = repo.repositoryId().isEmpty() || repo.ownerId().isEmpty();
        if (!idsUnknown || policyIds().isEmpty()) {
            return;
        }
        Automaton anyRepositoryId = repo.repositoryId().map(id -> Lang.minus(SubjectGrammar.ID, lit(id))).orElse(SubjectGrammar.ID.clone());
        Automaton anyOwnerId = repo.ownerId().map(id -> Lang.minus(SubjectGrammar.ID, lit(id))).orElse(SubjectGrammar.ID.clone());
        String org = repo.owner();
        TokenClass others = TokenClass.anyTemplate("another owner's repository", Identities.product(
                Lang.minus(SubjectGrammar.OWNER, Wildcards.ignoringCase(org)), SubjectGrammar.NAME, anyOwnerId, anyRepositoryId),
                List.of(org + "-evil/" + repo.name(), "attacker/" + repo.name()));
        TokenClass siblings = TokenClass.anyTemplate("another repository of " + org, Identities.product(lit(org),
                Lang.minus(SubjectGrammar.NAME, Wildcards.ignoringCase(repo.name())),
                repo.ownerId().map(Lang::lit).orElse(SubjectGrammar.ID.clone()), anyRepositoryId),
                List.of(org + "/" + repo.name() + "-evil", org + "/evil"));
        Optional<Witness.Token> foreign = TokenSolver.witness(rule.admitted(), others, issuer.audiences())
                .or(() -> TokenSolver.witness(rule.admitted(), siblings, issuer.audiences()));
        foreign.ifPresent(w -> add(FindingCode.TRUST_ID_UNVERIFIED, where + " is confined to " + repo.fullName() + " only if the ID(s) "
                + String.join(", ", policyIds()) + " it names are " + repo.fullName() + "'s; without the repository's "
                + "github:repository-id / github:owner-id tags that is not verified, and a repository with that ID gets in", w));
    }

    private void exposureWithoutSubValues(TrustModel.AllowRule rule, TrustModel.Issuer issuer, Witness.Token witness, boolean otherOwner, String where) {
        Set<String> keys = rule.condition().constraints().keySet();
        if (!subConditions(rule.statement(), issuer, true).isEmpty()) {
            add(FindingCode.TRUST_SUB_NEGATED_OPERATOR, where + " restricts sub only with a negated operator: every subject not listed gets in", witness);
        } else if (keys.stream().anyMatch(k -> SubjectGrammar.IDENTITY_CLAIMS.contains(k))) {
            add(otherOwner ? FindingCode.TRUST_SUB_OWNER_WILDCARD : FindingCode.TRUST_SUB_ORG_WIDE,
                    where + " pins only " + String.join(", ", keys.stream().filter(SubjectGrammar.IDENTITY_CLAIMS::contains).toList())
                            + ", which " + (otherOwner ? "other owners" : "every repository of " + repo.owner()) + " can satisfy", witness);
        } else if (otherOwner && keys.stream().anyMatch(SPOOFABLE_KEYS::contains)) {
            add(FindingCode.TRUST_SUB_SPOOFABLE_CLAIM, where + " is scoped only by " + String.join(", ", keys.stream().filter(SPOOFABLE_KEYS::contains).toList())
                    + ", which any repository can reproduce", witness);
        } else {
            add(FindingCode.TRUST_NO_SUB_CONDITION, where + " has no effective repository condition: any GitHub Actions workflow"
                    + (otherOwner ? " on GitHub" : " of " + repo.owner()) + " can assume the role", witness);
        }
    }

    /** Classifies one sub value of an Allow statement, in the context of the statement's other conditions. */
    /** The tokens of another owner and (when none) of a sibling repository that a statement admits. */
    private record Witnesses(Optional<Witness.Token> other, Optional<Witness.Token> sibling) {
    }

    private void classifyValue(TrustModel.AllowRule rule, TrustModel.Issuer issuer, Condition c, String value, String where,
                               Optional<Witnesses> known) {
        Optional<Witness.Token> other;
        Optional<Witness.Token> sibling;
        if (known.isPresent()) {
            other = known.get().other();
            sibling = known.get().sibling();
        } else {
            Statement single = replaceValues(rule.statement(), c, List.of(value));
            Conjunct condition = TrustModel.conjunctOf(single, issuer.issuer());
            List<Conjunct> admitted = TrustModel.allowRules(withStatement(rule.index(), single), issuer).stream()
                    .filter(r -> r.index() == rule.index()).findFirst().map(TrustModel.AllowRule::admitted).orElse(List.of(condition));
            other = TokenSolver.witness(admitted, otherOwners(), issuer.audiences());
            sibling = other.isPresent() ? Optional.empty() : TokenSolver.witness(admitted, sameOwner(), issuer.audiences());
        }
        if (other.isEmpty() && sibling.isEmpty()) {
            return;
        }
        Automaton language = TrustModel.valuesLanguage(withValues(c, List.of(value)));
        String quoted = "sub value '" + value + "'";
        if (other.isPresent()) {
            Automaton owners = Lang.minus(segmentAfter(language, or(lit("repo:"), lit("repository:"), lit("repository_owner:")), SubjectGrammar.OWNER_CHAR, "/@:"),
                    Wildcards.ignoringCase(repo.owner()));
            char first = repo.owner().charAt(0);
            Automaton freshFirst = cat(Lang.minus(SubjectGrammar.OWNER_CHAR, Wildcards.ignoringCase(String.valueOf(first))), Lang.star(SubjectGrammar.OWNER_CHAR));
            if (!owners.isFinite() && !owners.intersection(freshFirst).isEmpty()) {
                add(FindingCode.TRUST_SUB_WILDCARD_ANY, where + " " + quoted + " matches repositories of every owner on GitHub", other.get());
            } else if (owners.isEmpty()) {
                add(FindingCode.TRUST_SUB_SPOOFABLE_CLAIM, where + " " + quoted + " names no repository or owner: any repository can mint it with its own subject template", other.get());
            } else if (moreThanOneWord(owners)) {
                add(FindingCode.TRUST_SUB_OWNER_WILDCARD, where + " " + quoted + " has a wildcard in the owner segment and matches other owners", other.get());
            } else {
                add(FindingCode.TRUST_SUB_WRONG_OWNER, where + " " + quoted + " names a different owner than " + repo.owner(), other.get());
            }
            return;
        }
        Automaton prefixes = or(lit("repo:" + repo.owner() + "/"), cat(lit("repo:" + repo.owner() + "@"), SubjectGrammar.ID, lit("/")),
                lit("repository:" + repo.owner() + "/"));
        Automaton names = Lang.minus(segmentAfter(language, prefixes, SubjectGrammar.NAME_CHAR, ":@"), Wildcards.ignoringCase(repo.name()));
        char first = repo.name().charAt(0);
        Automaton freshFirst = cat(Lang.minus(SubjectGrammar.NAME_CHAR, Wildcards.ignoringCase(String.valueOf(first))), Lang.star(SubjectGrammar.NAME_CHAR));
        if (names.isEmpty() || (!names.isFinite() && !names.intersection(freshFirst).isEmpty())) {
            add(FindingCode.TRUST_SUB_ORG_WIDE, where + " " + quoted + " admits every repository of " + repo.owner(), sibling.get());
        } else if (moreThanOneWord(names)) {
            add(FindingCode.TRUST_SUB_REPO_PREFIX_WILDCARD, where + " " + quoted + " has a wildcard in the repository name and admits sibling repositories", sibling.get());
        } else {
            add(FindingCode.TRUST_SUB_WRONG_REPO, where + " " + quoted + " names another repository of " + repo.owner() + " than " + repo.name(), sibling.get());
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

    // ---------------------------------------------------------------- audience

    private void audience(TrustModel.AllowRule rule, TrustModel.Issuer issuer) {
        String where = "trust policy " + rule.statement().label(rule.index());
        if (neverSatisfied(rule, issuer)) {
            return; // no token satisfies the statement (e.g. every key of another issuer): its aud cannot let anything in
        }
        List<Condition> audConditions = rule.statement().conditions().stream()
                .filter(c -> ConditionKeys.classify(c.key(), issuer.issuer()) instanceof ConditionKeys.Kind.Claim claim && claim.name().equals("aud"))
                .toList();
        List<String> accepted = issuer.audiences().isEmpty() ? List.of(Baseline.AUDIENCE) : issuer.audiences();
        Optional<Boolean> probePasses = audiencePasses(audConditions, issuer, AUDIENCE_PROBE);
        if (probePasses.isEmpty()) {
            return; // an operator that does not compare strings: nothing to say about audiences
        }
        if (audConditions.isEmpty() || probePasses.get()) {
            add(FindingCode.TRUST_AUD_MISSING, where + " has no effective aud condition; only the provider's client-ID list limits audiences",
                    new Witness.Detail("a token for audience '" + AUDIENCE_PROBE + "' would pass this statement if the provider listed it"));
        } else if (accepted.stream().noneMatch(a -> audiencePasses(audConditions, issuer, a).orElse(true))) {
            add(FindingCode.TRUST_AUD_WRONG, where + " requires an aud the provider does not accept (provider client IDs: " + accepted + ")",
                    new Witness.Detail("no token with aud in " + accepted + " satisfies the aud condition"));
        }
    }

    /** Do the (ANDed) aud conditions accept this audience? Empty when one of them cannot be evaluated on a string. */
    private static Optional<Boolean> audiencePasses(List<Condition> audConditions, TrustModel.Issuer issuer, String audience) {
        boolean all = true;
        for (Condition c : audConditions) {
            Optional<Boolean> one = ConcreteEvaluation.holds(c, issuer.issuer(), Map.of("aud", audience));
            if (one.isEmpty()) {
                return Optional.empty();
            }
            all &= one.get();
        }
        return Optional.of(all);
    }

    /** A positive test of a key no token of this issuer carries: the statement never matches. */
    private static boolean neverSatisfied(TrustModel.AllowRule rule, TrustModel.Issuer issuer) {
        for (Condition c : rule.statement().conditions()) {
            ConditionKeys.Kind kind = ConditionKeys.classify(c.key(), issuer.issuer());
            boolean absentKey = kind instanceof ConditionKeys.Kind.Malformed || kind instanceof ConditionKeys.Kind.OtherIssuer;
            if (absentKey && !ConcreteEvaluation.holds(c, issuer.issuer(), Map.of()).orElse(true)) {
                return true;
            }
        }
        return false;
    }

    // ---------------------------------------------------------------- the repository's own workflows

    private boolean existsInAccount(TrustModel.Issuer issuer) {
        return ctx.githubProviders().stream().anyMatch(p -> p.arn().equals(issuer.providerArn()));
    }

    private void unusable(boolean anyRule, Set<String> missingProviders) {
        String missing = missingProviders.isEmpty() ? "" : "; it trusts " + (missingProviders.size() == 1 ? "the GitHub OIDC provider " : "the GitHub OIDC providers ")
                + String.join(", ", missingProviders) + ", which " + (missingProviders.size() == 1 ? "does" : "do") + " not exist in account " + ctx.accountId();
        if (!anyRule) {
            if (!missingProviders.isEmpty()) {
                add(FindingCode.TRUST_NO_GITHUB_PRINCIPAL, "trust policy of " + ctx.roleName() + " has no Allow statement for a GitHub OIDC provider of the account"
                        + missing + "; GitHub Actions cannot assume the role", null);
                return;
            }
            boolean actionWrong = findings.stream().anyMatch(f -> f.code() == FindingCode.TRUST_ACTION_WRONG);
            if (!actionWrong) {
                add(FindingCode.TRUST_NO_GITHUB_PRINCIPAL, "trust policy of " + ctx.roleName() + " has no Allow statement for the GitHub OIDC provider; "
                        + "GitHub Actions cannot assume the role", null);
            }
            return;
        }
        Automaton alternative = alternativeSubjects();
        // An exposure (another repository or owner gets in) does not explain why this repository does not: say both.
        boolean explained = findings.stream().anyMatch(f -> f.severity() == dev.ecroidcguard.core.finding.Severity.BROKEN);
        for (TrustModel.Issuer issuer : issuers) {
            if (!existsInAccount(issuer)) {
                continue; // its statements cannot be used whatever their values: no mismatch to explain
            }
            for (TrustModel.AllowRule rule : TrustModel.allowRules(doc, issuer)) {
                String where = "trust policy " + rule.statement().label(rule.index());
                for (Condition c : subConditions(rule.statement(), issuer, false)) {
                    for (String v : c.values()) {
                        Automaton language = TrustModel.valuesLanguage(withValues(c, List.of(v)));
                        if (!language.intersection(selfSubjects()).isEmpty()) {
                            continue;
                        }
                        Automaton folded = c.operator().usesWildcards() ? Wildcards.patternIgnoringCase(v) : Wildcards.ignoringCase(v);
                        if (c.operator().name().startsWith("Arn")) {
                            folded = folded.intersection(TrustModel.ARN_SHAPE); // no subject is an ARN, whatever its case
                        }
                        Optional<String> sameIgnoringCase = mainBranchExample(folded.intersection(selfSubjects()));
                        Optional<String> otherFormat = mainBranchExample(language.intersection(alternative));
                        if (sameIgnoringCase.isPresent()) {
                            explained = true;
                            add(FindingCode.TRUST_SUB_CASE_MISMATCH, where + " sub value '" + v + "' differs in case from GitHub's name " + repo.fullName()
                                    + "; the comparison is case-sensitive", new Witness.Token(sameIgnoringCase.get(), Map.of()));
                        } else if (otherFormat.isPresent()) {
                            explained = true;
                            add(FindingCode.TRUST_SUB_FORMAT_MISMATCH, where + " sub value '" + v + "' fits a subject format " + repo.fullName()
                                    + " does not mint (" + formatDescription() + ")", new Witness.Token(otherFormat.get(), Map.of()));
                        }
                    }
                }
            }
        }
        // A statement for a provider the account lacks is not explained by a mismatch in the others: name it.
        if (!explained || !missingProviders.isEmpty()) {
            add(FindingCode.TRUST_NO_GITHUB_PRINCIPAL, "no statement of the trust policy of " + ctx.roleName() + " admits the workflows of "
                    + repo.fullName() + missing + "; GitHub Actions cannot assume the role", null);
        }
    }

    private static final Automaton MAIN_BRANCH = cat(Automaton.makeAnyString(), lit(":ref:refs/heads/main"));
    private static final Automaton DEFAULT_CONTEXT_END = cat(Automaton.makeAnyString(), lit(":"), SubjectGrammar.CONTEXT);

    /** A readable word: a main-branch subject if there is one, else one ending in a default context, else any. */
    private static Optional<String> mainBranchExample(Automaton subjects) {
        return Wildcards.readableExample(subjects.intersection(MAIN_BRANCH))
                .or(() -> Wildcards.readableExample(subjects.intersection(DEFAULT_CONTEXT_END)))
                .or(() -> Wildcards.readableExample(subjects));
    }

    /** Subjects of the repository in the formats it does not use: the other subject format, or the default template. */
    private Automaton alternativeSubjects() {
        String owner = repo.owner();
        String name = repo.name();
        Automaton immutable = cat(lit("repo:" + owner + "@"), repo.ownerId().map(Lang::lit).orElse(SubjectGrammar.ID),
                lit("/" + name + "@"), repo.repositoryId().map(Lang::lit).orElse(SubjectGrammar.ID), lit(":"), SubjectGrammar.CONTEXT);
        Automaton nameForm = cat(lit("repo:" + owner + "/" + name + ":"), SubjectGrammar.CONTEXT);
        Automaton customTemplates = TokenSolver.literal(repo.fullName(), repo.ownerId(), repo.repositoryId()).anyTemplateSubjects();
        return or(immutable, nameForm, customTemplates).minus(selfSubjects());
    }

    private String formatDescription() {
        return (repo.subjectFormat() == GitHubRepository.SubjectFormat.IMMUTABLE ? "it mints immutable subjects repo:" + repo.repoClaim() + ":..."
                : "it mints name-form subjects repo:" + repo.fullName() + ":...")
                + (repo.usesDefaultTemplate() ? "" : " with the custom template " + String.join(",", repo.subClaims()));
    }

    // ---------------------------------------------------------------- shortcuts for the common case

    /**
     * A positive sub condition all of whose values begin with this repository's identity and a delimiter
     * ({@code repo:acme/web-api:...}) confines the statement, whatever else it says. This follows from the
     * subject grammar: a subject starting {@code repo:<Owner/Name>:} carries that repository's identity (the
     * only claim key {@code repo} is the repository claim, and names contain no {@code :}). The automaton
     * decision gives the same answer (TrustShortcutsTest checks it on generated patterns); this only skips work.
     */
    boolean pinnedToSelf(List<Condition> positiveSub) {
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

    /** Does some token of this repository get in? Concrete default-template tokens first, the solver otherwise. */
    boolean admitsSelf(TrustModel.AllowRule rule, TrustModel.Issuer issuer) {
        if (repo.usesDefaultTemplate()) {
            List<String> audiences = issuer.audiences().isEmpty() ? List.of(Baseline.AUDIENCE) : issuer.audiences();
            for (Map<String, String> token : selfTokens(audiences)) {
                Optional<Boolean> allowed = ConcreteEvaluation.holds(rule.statement(), issuer.issuer(), token);
                if (allowed.isEmpty()) {
                    break; // a key outside the token: let the set analysis decide
                }
                if (allowed.get()) {
                    List<Optional<Boolean>> denied = rule.denyStatements().stream()
                            .map(d -> ConcreteEvaluation.holds(d, issuer.issuer(), token)).toList();
                    if (denied.stream().allMatch(d -> d.isPresent() && !d.get())) {
                        return true;
                    }
                }
            }
        }
        return TokenSolver.admits(rule.admitted(), self(), issuer.audiences());
    }

    /** Concrete tokens this repository's workflows mint under the default template (a "yes" on one is a proof). */
    private List<Map<String, String>> selfTokens(List<String> audiences) {
        List<Map<String, String>> tokens = new ArrayList<>();
        String identity = "repo:" + repo.repoClaim() + ":";
        for (String context : SELF_CONTEXTS) {
            for (String audience : audiences) {
                Map<String, String> claims = new java.util.HashMap<>();
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

    private static final List<String> SELF_CONTEXTS = List.of("ref:refs/heads/main", "ref:refs/heads/master", "ref:refs/tags/v1.0.0",
            "pull_request", "environment:production", "environment:prod");

    // ---------------------------------------------------------------- helpers

    /** Sub conditions of a statement: positive ones (StringLike/StringEquals...) or negated ones. */
    static List<Condition> subConditions(Statement s, TrustModel.Issuer issuer, boolean negated) {
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

    private PolicyDocument withStatement(int index, Statement replacement) {
        List<Statement> statements = new ArrayList<>(doc.statements());
        statements.set(index, replacement);
        return new PolicyDocument(statements, doc.text());
    }

    private void add(FindingCode code, String message, Witness witness) {
        findings.add(Finding.of(code, roleArn, message, witness));
    }

    /** GitHub issuers: the account's GitHub providers, plus GitHub providers the policy names that the account lacks. */
    private static List<TrustModel.Issuer> issuers(RepositoryContext ctx, PolicyDocument doc) {
        Map<String, TrustModel.Issuer> byArn = new LinkedHashMap<>();
        ctx.githubProviders().forEach(p -> byArn.put(p.arn(), new TrustModel.Issuer(p.arn(), p.url(), p.clientIds())));
        for (Statement s : doc.statements()) {
            s.principals().ifPresent(p -> p.of("Federated").forEach(f -> {
                int at = f.indexOf(":oidc-provider/");
                if (at > 0 && RepositoryContext.isGitHubIssuer(f.substring(at + ":oidc-provider/".length()))) {
                    byArn.putIfAbsent(f, new TrustModel.Issuer(f, f.substring(at + ":oidc-provider/".length()), List.of()));
                }
            }));
        }
        return List.copyOf(byArn.values());
    }

    /** Digit runs in the policy: when a repository's IDs are unknown, the policy's own IDs are taken to be its. */
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
