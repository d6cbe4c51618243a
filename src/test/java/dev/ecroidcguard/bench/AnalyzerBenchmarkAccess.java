package dev.ecroidcguard.bench;

import dev.ecroidcguard.core.analysis.RepositoryContext;

import java.util.List;

/** The benchmark's generated account, every repository drifted, for dumps outside this package. */
public final class AnalyzerBenchmarkAccess {

    private AnalyzerBenchmarkAccess() {
    }

    public static List<RepositoryContext> driftedContexts(int repositories) {
        return AnalyzerBenchmark.contexts(AnalyzerBenchmark.account(repositories, 1.0, 3));
    }
}
