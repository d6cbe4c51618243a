package dev.ecroidcguard.cli;

import dev.ecroidcguard.application.NotificationBuilder;
import dev.ecroidcguard.application.ScanConfig;
import dev.ecroidcguard.application.ScanLog;
import dev.ecroidcguard.application.ScanOutcome;
import dev.ecroidcguard.application.ScanService;
import dev.ecroidcguard.application.SnapshotInventory;
import dev.ecroidcguard.application.Trigger;
import dev.ecroidcguard.core.GuardConfig;
import dev.ecroidcguard.core.ScanScope;
import dev.ecroidcguard.core.TimeBudget;
import dev.ecroidcguard.core.inventory.AccountSnapshot;
import dev.ecroidcguard.core.inventory.SnapshotException;
import dev.ecroidcguard.core.inventory.SnapshotParser;
import dev.ecroidcguard.core.report.ReportJson;
import dev.ecroidcguard.core.report.Suppressed;
import dev.ecroidcguard.ports.Adapters;
import dev.ecroidcguard.ports.ApiCalls;
import dev.ecroidcguard.ports.Notifier;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * {@code ecr-oidc-guard analyze --snapshot FILE}: the offline analysis, the function's own {@link ScanService} in report
 * mode with the snapshot as its inventory (repositories tagged {@code ecr-oidc-guard:ignore=true} are named on stderr,
 * not audited). Exit 0 when every repository is
 * compliant, 1 when there are findings, 2 on bad input or configuration (message on stderr), 3 when the tool
 * itself failed (a crash must never read as "findings", nor an empty report as a result).
 * {@code ecr-oidc-guard scan ...}: the same report for a live account, read-only ({@link ScanCommand}).
 * {@code ecr-oidc-guard invoke ...}: runs a function of template.yaml locally ({@link InvokeCommand}).
 */
public final class Main {

    static final int COMPLIANT = 0;
    static final int FINDINGS = 1;
    static final int BAD_INPUT = 2;
    static final int CRASHED = 3;

    private static final String USAGE = """
            usage: ecr-oidc-guard analyze --snapshot FILE
              Prints the JSON report for an account snapshot (see README). Environment: GITHUB_ORG (required),
              ROLE_NAME_TEMPLATE (default github-actions-{repository}).
              Exit status: 0 all compliant, 1 findings, 2 bad input or configuration, 3 internal error.
            usage: %s
              Audits a live account read-only with the default AWS credentials and prints the same JSON report
              (scan --help for details). Exit status as analyze.
            usage: %s
              Runs a function of template.yaml on an event under the real Lambda Java runtime client, without
              Docker (like sam local invoke). Logs on stderr, the function's response on stdout.
              Exit status: 0 the function returned, 1 the function failed, 2 bad input, 3 internal error.""".formatted(ScanCommand.USAGE, InvokeCommand.USAGE);

    private Main() {
    }

    public static void main(String[] args) {
        System.exit(run(List.of(args), System.getenv(), System.out, System.err));
    }

    /** One run of the CLI: {@code args} and {@code env} in, output on {@code out} and {@code err}, the exit status returned. */
    public static int run(List<String> args, Map<String, String> env, PrintStream out, PrintStream err) {
        if (args.isEmpty() || args.get(0).equals("--help") || args.get(0).equals("-h")) {
            (args.isEmpty() ? err : out).println(USAGE);
            return args.isEmpty() ? BAD_INPUT : COMPLIANT;
        }
        try {
            return switch (args.get(0)) {
                case "analyze" -> analyze(args.subList(1, args.size()), env, out, err);
                case "scan" -> ScanCommand.run(args.subList(1, args.size()), env, out, err);
                case "invoke" -> InvokeCommand.run(args.subList(1, args.size()), env, out, err);
                default -> {
                    err.println("ecr-oidc-guard: unknown command '" + args.get(0) + "'");
                    err.println(USAGE);
                    yield BAD_INPUT;
                }
            };
        } catch (RuntimeException | Error e) {
            // Uncaught, the JVM would exit 1, which means "findings": a crash (even out of memory) has its own status.
            err.println("ecr-oidc-guard: internal error, no result: " + e);
            return CRASHED;
        }
    }

    private static int analyze(List<String> args, Map<String, String> env, PrintStream out, PrintStream err) {
        if (args.size() != 2 || !args.get(0).equals("--snapshot")) {
            err.println("ecr-oidc-guard analyze: expected --snapshot FILE, got " + Arrays.toString(args.toArray()));
            return BAD_INPUT;
        }
        GuardConfig config;
        try {
            config = GuardConfig.fromEnvironment(env);
        } catch (GuardConfig.ConfigException e) {
            err.println("ecr-oidc-guard: " + e.getMessage());
            return BAD_INPUT;
        }
        Path file = Path.of(args.get(1));
        AccountSnapshot snapshot;
        try {
            snapshot = SnapshotParser.parse(Files.readString(file));
        } catch (IOException e) {
            err.println("ecr-oidc-guard: cannot read snapshot " + file + ": " + e.getMessage());
            return BAD_INPUT;
        } catch (SnapshotException e) {
            err.println("ecr-oidc-guard: " + file + ": " + e.getMessage());
            return BAD_INPUT;
        }
        // The same scan as the function's, in report mode, on the snapshot instead of the account; it publishes nothing
        // (NotifyOn.NEVER), so the notifier is never called: the report on stdout is the output.
        Notifier unused = parts -> {
            throw new IllegalStateException("analyze publishes nothing");
        };
        ScanService scan = new ScanService(ScanConfig.offline(config), Adapters.readOnly(new SnapshotInventory(snapshot), unused,
                ApiCalls.NONE), new NotificationBuilder(), InstantSource.system());
        ScanOutcome outcome = scan.scan(Trigger.snapshot(file.toString()), new ScanScope.WholeAccount(), TimeBudget.UNLIMITED, ScanLog.NONE);
        out.println(ReportJson.write(outcome.report()));
        for (Suppressed s : outcome.suppressed()) {
            err.println("ecr-oidc-guard: " + s.repository() + " not audited: " + s.reason());
        }
        return outcome.report().allCompliant() ? COMPLIANT : FINDINGS;
    }
}
