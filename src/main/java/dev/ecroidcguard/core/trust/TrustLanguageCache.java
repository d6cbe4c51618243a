package dev.ecroidcguard.core.trust;

import dev.ecroidcguard.core.github.GitHubRepository;
import dev.ecroidcguard.core.lang.SoftCache;
import dk.brics.automaton.Automaton;

import java.util.Set;
import java.util.function.Supplier;

/**
 * The costly token-class languages of one scan, shared by the analyses of its trust policies: the other owners'
 * subjects (which depend only on the owner and the excluded IDs, so repositories of one owner share them) and each
 * repository's own classes (shared by the check, its per-value classification, the fix planner's candidate checks
 * and the re-analysis of the fixed policy). Create one per scan and drop it with the scan; not thread-safe
 * (dk.brics automata are not), so a scan uses it from one thread.
 *
 * <p>Least recently used first out, and softly held: a hostile policy's IDs make these languages large, and the
 * cache must never exhaust the heap. A few repository entries suffice, as one repository is checked at a time.
 */
public final class TrustLanguageCache {

    private final SoftCache<String, TokenSolver.AnyTemplate> otherOwners = new SoftCache<>(32);
    /** Per owner, the other owners' names whatever IDs are excluded (see TokenClasses.otherOwnerNames); a scan has few owners. */
    private final SoftCache<String, TokenSolver.AnyTemplate> otherOwnerNames = new SoftCache<>(4);
    private final SoftCache<String, Automaton> ownerRepositoryPrefixes = new SoftCache<>(4);
    private final SoftCache<RepositoryKey, TokenClasses.OfRepository> repositories = new SoftCache<>(8);

    TokenSolver.AnyTemplate otherOwners(String key, Supplier<TokenSolver.AnyTemplate> make) {
        return otherOwners.computeIfAbsent(key, k -> make.get());
    }

    TokenSolver.AnyTemplate otherOwnerNames(String owner, Supplier<TokenSolver.AnyTemplate> make) {
        return otherOwnerNames.computeIfAbsent(owner, k -> make.get());
    }

    Automaton ownerRepositoryPrefixes(String owner, Supplier<Automaton> make) {
        return ownerRepositoryPrefixes.computeIfAbsent(owner, k -> make.get());
    }

    /** The repository's classes, keyed by the policy's IDs too when the repository's own ID is unknown. */
    TokenClasses.OfRepository ofRepository(GitHubRepository repo, Set<String> policyIds) {
        return repositories.computeIfAbsent(new RepositoryKey(repo, repo.repositoryId().isPresent() ? Set.of() : policyIds),
                k -> new TokenClasses.OfRepository());
    }

    private record RepositoryKey(GitHubRepository repo, Set<String> policyIds) {
    }
}
