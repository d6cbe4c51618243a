package dev.ecroidcguard.bench;

import dev.ecroidcguard.core.Analyzer;
import dev.ecroidcguard.core.GuardConfig;
import dev.ecroidcguard.core.analysis.Baseline;
import dev.ecroidcguard.core.analysis.RepositoryContext;
import dev.ecroidcguard.core.finding.Category;
import dev.ecroidcguard.core.trust.TrustCheck;
import dev.ecroidcguard.core.trust.TrustLanguageCache;
import dev.ecroidcguard.core.github.GitHubRepository;
import dev.ecroidcguard.core.inventory.AccountSnapshot;
import dev.ecroidcguard.core.inventory.EcrRepository;
import dev.ecroidcguard.core.inventory.IamRole;
import dev.ecroidcguard.core.inventory.OidcProvider;
import dev.ecroidcguard.core.report.AccountReport;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

/**
 * Benchmark, not a test: generates an account of N repositories with their roles (mostly compliant, a
 * realistic share drifted) and prints trust policies analyzed per second, whole repositories analyzed per
 * second and peak heap. Run it with scripts/bench (one core: taskset when available).
 *
 * <p>{@code scripts/bench [REPOSITORIES [DRIFT_SHARE [trust]]]}: with {@code trust}, every drifted repository
 * drifts in its trust policy (a loosened sub pattern), so {@code 2000 1 trust} measures the path where every trust
 * policy drifts. The trust figures are given per wall-second and per CPU-second of the measuring thread (the
 * fairer figure on a shared machine), for all policies and for the drifted ones (those with a finding) alone.
 */
public final class AnalyzerBenchmark {

    private static final String ACCOUNT = "123456789012";
    private static final String PROVIDER = "arn:aws:iam::" + ACCOUNT + ":oidc-provider/token.actions.githubusercontent.com";

    public static void main(String[] args) throws Exception {
        int repositories = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        double driftShare = args.length > 1 ? Double.parseDouble(args[1]) : 0.05;
        boolean trustDriftOnly = args.length > 2 && args[2].equals("trust");
        GuardConfig config = GuardConfig.fromEnvironment(Map.of("GITHUB_ORG", "acme"));
        Analyzer analyzer = new Analyzer(config);

        System.out.printf("generating %,d repositories and roles (%.0f%% drifted%s)...%n", repositories, driftShare * 100,
                trustDriftOnly ? ", in the trust policy" : "");
        // A warm-up account as large as the measured one (other names, so no cache carries over): steady-state JIT.
        AccountSnapshot warmup = account(repositories, driftShare, 1, trustDriftOnly);
        AccountSnapshot account = account(repositories, driftShare, 2, trustDriftOnly);

        if (Boolean.getBoolean("bench.trustOnly")) {
            // Trust check alone, several rounds on the same account (each round one scan, so no language carries over).
            List<RepositoryContext> contexts = contexts(account);
            for (int round = 0; round < Integer.getInteger("bench.rounds", 3); round++) {
                System.out.printf("  round %d: %s%n", round + 1, trustRound(contexts));
            }
            return;
        }
        System.out.println("warming up on " + warmup.repositories().size() + " repositories...");
        analyzer.analyze(warmup);

        resetPeaks();
        long start = System.nanoTime();
        AccountReport report = analyzer.analyze(account);
        double seconds = (System.nanoTime() - start) / 1e9;
        long peakHeap = peakHeapBytes();

        long compliantTrust = report.repositories().stream()
                .filter(r -> r.findings().stream().noneMatch(f -> f.code().category() == Category.TRUST)).count();
        System.out.printf("analyzed %,d repositories (%,d trust policies, %,d permission sets, %,d repository policies) in %.2f s%n",
                repositories, repositories, repositories, account.repositories().stream().filter(r -> r.policyText().isPresent()).count(), seconds);
        System.out.printf("  repositories (all checks) per second: %,.0f%n", repositories / seconds);
        System.out.printf("  findings: %,d; repositories with no trust finding: %,d%n", report.findings().size(), compliantTrust);
        System.out.printf("  peak heap during the analysis: %,.1f MiB%n", peakHeap / 1048576.0);

        // Trust policies alone: the trust check on every role of a third account (no cache carries over), one thread.
        List<RepositoryContext> contexts = contexts(account(repositories, driftShare, 3, trustDriftOnly));
        trustRound(contexts(warmup));
        System.out.printf("  trust check alone, one thread: %s%n", trustRound(contexts));
    }

    /**
     * One scan's trust checks over {@code contexts}: policies per wall-second and per CPU-second of this thread, and
     * for the drifted policies (those with a finding) alone, from the CPU time of each check.
     */
    private static String trustRound(List<RepositoryContext> contexts) {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        TrustLanguageCache languages = new TrustLanguageCache(); // one scan's
        long findings = 0;
        long drifted = 0;
        long driftedCpu = 0;
        long wallStart = System.nanoTime();
        long cpuStart = threads.getCurrentThreadCpuTime();
        long before = cpuStart;
        for (RepositoryContext ctx : contexts) {
            int found = TrustCheck.check(ctx, languages).findings().size();
            long after = threads.getCurrentThreadCpuTime();
            if (found > 0) {
                findings += found;
                drifted++;
                driftedCpu += after - before;
            }
            before = after;
        }
        double wall = (System.nanoTime() - wallStart) / 1e9;
        double cpu = (before - cpuStart) / 1e9;
        return String.format("%,.0f trust policies per second, %,.0f per CPU-second; drifted (%,d, %,d findings): %,.0f per CPU-second",
                contexts.size() / wall, contexts.size() / cpu, drifted, findings, drifted == 0 ? 0.0 : drifted / (driftedCpu / 1e9));
    }

    static List<RepositoryContext> contexts(AccountSnapshot account) {
        Map<String, IamRole> roles = account.rolesByName();
        List<RepositoryContext> out = new ArrayList<>();
        for (EcrRepository r : account.repositories()) {
            GitHubRepository github = new GitHubRepository("acme", r.name(), Optional.empty(), Optional.empty(),
                    GitHubRepository.SubjectFormat.NAME, GitHubRepository.DEFAULT_SUB_CLAIMS);
            out.add(new RepositoryContext(account, r, github, "github-actions-" + r.name(),
                    Optional.ofNullable(roles.get("github-actions-" + r.name())), account.oidcProviders()));
        }
        return out;
    }

    static AccountSnapshot account(int n, double driftShare, long seed) {
        return account(n, driftShare, seed, false);
    }

    /** {@code trustDriftOnly}: a drifted repository drifts in its trust policy (else in one of its three documents). */
    static AccountSnapshot account(int n, double driftShare, long seed, boolean trustDriftOnly) {
        Random random = new Random(seed);
        List<IamRole> roles = new ArrayList<>();
        List<EcrRepository> repositories = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String name = "svc" + seed + "-" + i; // the warm-up and measured accounts share no pattern
            String repoArn = "arn:aws:ecr:us-east-1:" + ACCOUNT + ":repository/" + name;
            GitHubRepository github = new GitHubRepository("acme", name, Optional.empty(), Optional.empty(),
                    GitHubRepository.SubjectFormat.NAME, GitHubRepository.DEFAULT_SUB_CLAIMS);
            String trust = Baseline.trustPolicy(PROVIDER, "token.actions.githubusercontent.com", github);
            String permissions = Baseline.pushPullPolicy(repoArn);
            Optional<String> repositoryPolicy = Optional.empty();
            if (random.nextDouble() < driftShare) {
                switch (random.nextInt(trustDriftOnly ? 2 : 4)) {
                    case 0 -> trust = trust.replace("repo:acme/" + name + ":*", "repo:acme/*");
                    case 1 -> trust = trust.replace("repo:acme/" + name + ":*", "repo:acme/" + name + "*");
                    case 2 -> permissions = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"ecr:*\",\"Resource\":\"*\"}]}";
                    default -> repositoryPolicy = Optional.of("{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":"
                            + "{\"AWS\":\"arn:aws:iam::" + ACCOUNT + ":role/github-actions-svc" + seed + "-" + random.nextInt(n) + "\"},"
                            + "\"Action\":[\"ecr:PutImage\",\"ecr:InitiateLayerUpload\"]}]}");
                }
            }
            roles.add(new IamRole("github-actions-" + name, "arn:aws:iam::" + ACCOUNT + ":role/github-actions-" + name, "/", trust,
                    List.of(new IamRole.InlinePolicy(Baseline.INLINE_POLICY_NAME, permissions)), List.of(), Optional.empty(), Map.of()));
            repositories.add(new EcrRepository(name, repoArn, repositoryPolicy, Map.of()));
        }
        return new AccountSnapshot(ACCOUNT, "us-east-1", "aws", roles, Map.of(),
                List.of(new OidcProvider(PROVIDER, "token.actions.githubusercontent.com", List.of("sts.amazonaws.com"))), repositories);
    }

    private static void resetPeaks() {
        System.gc();
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                pool.resetPeakUsage();
            }
        }
    }

    private static long peakHeapBytes() {
        long total = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                total += pool.getPeakUsage().getUsed();
            }
        }
        return total;
    }
}
