package dev.ecroidcguard.core.trust;

import dev.ecroidcguard.core.analysis.RepositoryContext;
import dev.ecroidcguard.core.policy.Condition;
import dev.ecroidcguard.core.policy.PolicyDocument;
import dev.ecroidcguard.core.policy.PolicyParseException;
import dev.ecroidcguard.testing.Generated;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;

import static dev.ecroidcguard.core.trust.TrustFixtures.context;
import static dev.ecroidcguard.core.trust.TrustPolicies.*;
import static dev.ecroidcguard.testing.Generated.oneOf;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The trust rules decide the common case without the attacker languages: {@code pinnedToSelf} (a positive sub
 * condition whose values all begin with {@code repo:<Owner/Name>:}, in {@link ExposureRules}) and the concrete-token
 * test in {@link UsabilityRules#admitsSelf}. Both must agree with the full automaton decision of {@link TokenSolver}.
 */
class TrustShortcutsTest {

    // Weighted towards the repository's own identity so that both sides of the shortcut are exercised.
    private static final List<String> IDENTITIES = List.of("repo:acme/web-api", "repo:acme/web-api", "repo:acme/web-api", "repo:acme/web-ap", "repo:acme", "repo:acme@123/web-api@456",
            "repo:Acme/web-api", "repo:acme/web-api-evil", "repository:acme/web-api", "repo:acme/web-api:ref:refs/heads/main");
    private static final List<String> JOINS = List.of(":", ":", ":", ":", "", "*", "?", ":*", "/");
    private static final List<String> TAILS = List.of("*", "ref:refs/heads/main", "ref:refs/heads/main*", "environment:prod", "", "pull_request", "?*",
            "ref:*", "x");
    private static final List<String> OPERATORS = List.of("StringLike", "StringLike", "StringEquals", "StringLikeIfExists", "ForAllValues:StringLike",
            "ForAnyValue:StringLike");
    private static final List<Map<String, String>> REPOSITORIES = List.of(Map.of(), Map.of(), TrustCheckTest.IMMUTABLE,
            Map.of("github:sub-claims", "repo"), Map.of("github:owner-id", "123", "github:repository-id", "456"));

    /** A generated sub condition and the repository it is judged for. */
    record Case(String policy, Map<String, String> tags) {
    }

    static Case generate(Random r) {
        List<String> values = Generated.listOf(r, 1, 2, x -> oneOf(x, IDENTITIES) + oneOf(x, JOINS) + oneOf(x, TAILS));
        List<Cond> conds = new ArrayList<>();
        conds.add(cond(oneOf(r, OPERATORS), key("sub"), values.toArray(String[]::new)));
        if (r.nextBoolean()) {
            conds.add(oneOf(r, aud(), cond("StringEquals", key("aud"), "https://github.com/acme")));
        }
        return new Case(policy(github(conds.toArray(Cond[]::new))), oneOf(r, REPOSITORIES));
    }

    @Test
    void pinned_to_self_implies_the_automata_find_no_other_repository() {
        AtomicInteger pinned = new AtomicInteger();
        AtomicInteger notPinned = new AtomicInteger();
        Generated.forAll(300, TrustShortcutsTest::generate, c -> {
            TrustFacts facts = facts(c);
            for (TrustModel.Issuer issuer : facts.issuers()) {
                for (TrustModel.AllowRule rule : TrustModel.allowRules(parse(c.policy()), issuer)) {
                    List<Condition> positiveSub = TrustModel.subConditions(rule.statement(), issuer, false);
                    if (ExposureRules.pinnedToSelf(facts.repo(), positiveSub)) {
                        pinned.incrementAndGet();
                        assertThat(TokenSolver.admits(rule.admitted(), facts.tokens().otherOwners(), issuer.audiences())).as("other owners").isFalse();
                        assertThat(TokenSolver.admits(rule.admitted(), facts.tokens().sameOwner(), issuer.audiences())).as("same owner").isFalse();
                    } else {
                        notPinned.incrementAndGet();
                    }
                }
            }
        });
        assertThat(pinned.get()).as("generated patterns the shortcut decides").isGreaterThan(20);
        assertThat(notPinned.get()).as("generated patterns left to the automata").isGreaterThan(20);
    }

    @Test
    void admits_self_agrees_with_the_solver_on_the_repositorys_own_tokens() {
        AtomicInteger admitted = new AtomicInteger();
        AtomicInteger refused = new AtomicInteger();
        Generated.forAll(300, TrustShortcutsTest::generate, c -> {
            TrustFacts facts = facts(c);
            for (TrustModel.Issuer issuer : facts.issuers()) {
                for (TrustModel.AllowRule rule : TrustModel.allowRules(parse(c.policy()), issuer)) {
                    boolean solver = TokenSolver.admits(rule.admitted(), facts.tokens().self(), issuer.audiences());
                    assertThat(UsabilityRules.admitsSelf(facts, rule, issuer)).isEqualTo(solver);
                    (solver ? admitted : refused).incrementAndGet();
                }
            }
        });
        assertThat(admitted.get()).isGreaterThan(20);
        assertThat(refused.get()).isGreaterThan(20);
    }

    @Test
    void the_canonical_policy_is_decided_without_building_the_attacker_languages() {
        // Not a timing test: the shortcut's point is that the costly any-template languages are never built.
        TrustFacts facts = facts(new Case(canonical(), Map.of()));
        assertThat(TrustAnalysis.findings(facts)).isEmpty();
        assertThat(facts.tokens().builtAttackerClasses()).isFalse();
    }

    @Test
    void a_loose_policy_does_build_them_so_the_hook_means_something() {
        TrustFacts facts = facts(new Case(policy(github(aud(), subPattern("repo:acme/*"))), Map.of()));
        assertThat(TrustAnalysis.findings(facts)).isNotEmpty();
        assertThat(facts.tokens().builtAttackerClasses()).isTrue();
    }

    private static TrustFacts facts(Case c) {
        RepositoryContext ctx = context(c.policy(), c.tags());
        return TrustFacts.of(ctx, parse(c.policy()), new TrustLanguageCache());
    }

    private static PolicyDocument parse(String policy) {
        try {
            return PolicyDocument.parse(policy);
        } catch (PolicyParseException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
