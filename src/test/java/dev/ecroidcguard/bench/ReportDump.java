package dev.ecroidcguard.bench;

import dev.ecroidcguard.core.Analyzer;
import dev.ecroidcguard.core.GuardConfig;
import dev.ecroidcguard.core.report.ReportJson;

import java.util.Map;

/**
 * Not a test: prints the full report of a generated account (AnalyzerBenchmark's generator) so that a change
 * meant to be behaviour-preserving can be checked by diffing the output before and after it.
 *   java ... dev.ecroidcguard.bench.ReportDump REPOSITORIES DRIFT_SHARE SEED
 */
public final class ReportDump {
    public static void main(String[] args) throws Exception {
        int repositories = Integer.parseInt(args[0]);
        double driftShare = Double.parseDouble(args[1]);
        long seed = Long.parseLong(args[2]);
        Analyzer analyzer = new Analyzer(GuardConfig.fromEnvironment(Map.of("GITHUB_ORG", "acme")));
        System.out.println(ReportJson.write(analyzer.analyze(AnalyzerBenchmark.account(repositories, driftShare, seed))));
    }
}
