package dev.ecroidcguard.core.trust;

import dev.ecroidcguard.bench.AnalyzerBenchmarkAccess;
import dev.ecroidcguard.core.analysis.CheckOutcome;
import dev.ecroidcguard.core.analysis.RepositoryContext;
import dev.ecroidcguard.core.finding.Finding;
import dev.ecroidcguard.core.finding.Witness;
import dev.ecroidcguard.core.fix.DocumentChange;
import dev.ecroidcguard.core.inventory.OidcProvider;

import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

/**
 * Not a test: prints every trust finding, witness and fix plan for a fixed corpus of trust policies, so that a
 * change meant to keep results unchanged can be checked by diffing the output before and after it.
 *   java ... dev.ecroidcguard.core.trust.TrustDump [GENERATED_PER_VARIANT [BENCH_REPOSITORIES]]
 * The corpus: the never-widen test's generated trust policies under several repository tag variants and
 * provider sets, and AnalyzerBenchmark's account with every repository drifted.
 */
public final class TrustDump {

    private static final List<Map<String, String>> TAG_VARIANTS = List.of(Map.of(), Map.of("github:repository-id", "456"),
            Map.of("github:subject-format", "immutable", "github:owner-id", "123", "github:repository-id", "456"),
            Map.of("github:sub-claims", "repo,context,job_workflow_ref"), Map.of("github:repository", "Acme/Web-Api"));

    public static void main(String[] args) {
        int perVariant = args.length > 0 ? Integer.parseInt(args[0]) : 300;
        int benchRepositories = args.length > 1 ? Integer.parseInt(args[1]) : 400;
        List<List<OidcProvider>> providerSets = List.of(
                List.of(new OidcProvider(TrustFixtures.PROVIDER, "token.actions.githubusercontent.com", List.of("sts.amazonaws.com"))),
                List.of(new OidcProvider(TrustFixtures.PROVIDER, "token.actions.githubusercontent.com", List.of("sts.amazonaws.com")),
                        new OidcProvider(TrustFixtures.ENTERPRISE_PROVIDER, "token.actions.githubusercontent.com/acme-ent", List.of())));
        StringBuilder out = new StringBuilder();
        int v = 0;
        for (Map<String, String> tags : TAG_VARIANTS) {
            for (List<OidcProvider> providers : providerSets) {
                Random r = new Random(1000 + v++);
                for (int i = 0; i < perVariant; i++) {
                    String policy = TrustFixNeverWidensTest.trustPolicy(r);
                    out.append("== ").append(new TreeMap<>(tags)).append(" providers=").append(providers.size()).append(' ').append(policy).append('\n');
                    dump(out, TrustFixtures.context(policy, tags, providers));
                }
            }
        }
        for (RepositoryContext ctx : AnalyzerBenchmarkAccess.driftedContexts(benchRepositories)) {
            out.append("== bench ").append(ctx.roleName()).append('\n');
            dump(out, ctx);
        }
        System.out.print(out);
    }

    /** The whole corpus is checked as one scan, sharing its token-class languages. */
    private static final TrustLanguageCache LANGUAGES = new TrustLanguageCache();

    private static void dump(StringBuilder out, RepositoryContext ctx) {
        CheckOutcome<DocumentChange> outcome = TrustCheck.check(ctx, LANGUAGES);
        for (Finding f : outcome.findings()) {
            out.append(f.code()).append(' ').append(f.severity()).append(' ').append(f.resource()).append(" | ").append(f.message())
                    .append(" | ").append(witness(f.witness())).append('\n');
        }
        out.append("fix: ").append(outcome.change()).append('\n');
    }

    private static String witness(Witness w) {
        return w instanceof Witness.Token t ? "Token[" + t.sub() + ", " + new TreeMap<>(t.claims()) + "]" : String.valueOf(w);
    }
}
