package dev.ecroidcguard.cli;

import dev.ecroidcguard.aws.AwsClients;
import dev.ecroidcguard.aws.AwsInventorySource;
import dev.ecroidcguard.application.NotificationBuilder;
import dev.ecroidcguard.application.ScanConfig;
import dev.ecroidcguard.application.ScanLog;
import dev.ecroidcguard.application.ScanOutcome;
import dev.ecroidcguard.application.ScanService;
import dev.ecroidcguard.application.Trigger;
import dev.ecroidcguard.core.TimeBudget;
import dev.ecroidcguard.core.report.Suppressed;
import dev.ecroidcguard.ports.Adapters;
import dev.ecroidcguard.ports.Notifier;
import dev.ecroidcguard.core.GuardConfig;
import dev.ecroidcguard.core.report.AccountReport;
import dev.ecroidcguard.core.report.ReportJson;
import dev.ecroidcguard.core.ScanScope;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;

import java.io.PrintStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * {@code ecr-oidc-guard scan}: the scheduled scan's audit of a live account, from a laptop or a CI job, with the
 * SDK's default credentials chain (environment variables, {@code AWS_PROFILE} or {@code --profile}, web identity
 * as in GitHub Actions, container and instance roles). Read-only: it reads the inventory and analyses it, and
 * has no way to write anything. Prints the same JSON report as {@code analyze}; progress on stderr.
 */
final class ScanCommand {

    static final String USAGE = "ecr-oidc-guard scan [--region REGION] [--profile PROFILE] [--endpoint-url URL]";
    static final String HELP = """
            usage: %s
              Audits the account the credentials belong to (every ECR repository of the region and its role),
              read-only, and prints the JSON report of analyze. Credentials: the AWS SDK's default chain
              (AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, AWS_PROFILE or --profile, web identity, container or
              instance role). Region: --region, else AWS_REGION, AWS_DEFAULT_REGION or the profile's region.
              --endpoint-url points every client at an emulator (moto). Environment: GITHUB_ORG (required),
              GITHUB_ALLOWED_OWNERS, ROLE_NAME_TEMPLATE, as for the Lambda.
              The credentials need: %s (plus sts:GetCallerIdentity, always allowed).
              Exit status: 0 all compliant, 1 findings (or repositories that could not be read), 2 bad input,
              configuration, credentials or an AWS error.""".formatted(USAGE, String.join(", ", new TreeSet<>(AwsInventorySource.REQUIRED_PERMISSIONS)));

    /** The command line: each option at most once. */
    record Options(Optional<String> region, Optional<String> profile, Optional<URI> endpoint) {
    }

    /** The command line could not be understood; the message says why. */
    static final class BadArguments extends Exception {
        BadArguments(String message) {
            super(message);
        }
    }

    private ScanCommand() {
    }

    static int run(List<String> args, Map<String, String> env, PrintStream out, PrintStream err) {
        if (args.contains("--help") || args.contains("-h")) {
            out.println(HELP);
            return Main.COMPLIANT;
        }
        Options options;
        GuardConfig config;
        try {
            options = parse(args);
            config = GuardConfig.fromEnvironment(env);
        } catch (BadArguments e) {
            err.println("ecr-oidc-guard scan: " + e.getMessage() + "\nusage: " + USAGE);
            return Main.BAD_INPUT;
        } catch (GuardConfig.ConfigException e) {
            err.println("ecr-oidc-guard scan: " + e.getMessage());
            return Main.BAD_INPUT;
        }
        Region region;
        try {
            region = options.region().map(Region::of).orElseGet(() -> defaultRegion(options.profile()));
        } catch (SdkException e) {
            err.println("ecr-oidc-guard scan: no AWS region: pass --region (e.g. --region us-east-1), set AWS_REGION, or give "
                    + options.profile().map(p -> "profile " + p).orElse("the profile") + " a region (" + e.getMessage() + ")");
            return Main.BAD_INPUT;
        }
        String where = "region " + region.id() + options.endpoint().map(e -> " at " + e).orElse("")
                + options.profile().map(p -> " with profile " + p).orElse("");
        Instant start = Instant.now();
        err.println("ecr-oidc-guard scan: reading the account in " + where + " (read-only)");
        try (AwsClients clients = AwsClients.of(region, options.endpoint(), credentials(options.profile()))) {
            // The same scan as the function's and analyze's (the ignore tag, orphans, suppression), in report mode: it
            // publishes nothing (NotifyOn.NEVER) and has no writer.
            Notifier unused = parts -> {
                throw new IllegalStateException("scan publishes nothing");
            };
            ScanOutcome outcome = new ScanService(ScanConfig.offline(config), Adapters.readOnly(AwsInventorySource.of(clients, AwsInventorySource.TagReads.BULK), unused,
                    clients.calls()), new NotificationBuilder(), InstantSource.system())
                    .scan(Trigger.live(where), new ScanScope.WholeAccount(), TimeBudget.UNLIMITED, ScanLog.NONE);
            AccountReport report = outcome.report();
            for (Suppressed s : outcome.suppressed()) {
                err.println("ecr-oidc-guard scan: " + s.repository() + " not audited: " + s.reason());
            }
            err.println("ecr-oidc-guard scan: account " + report.accountId() + ": " + report.repositories().size()
                    + " repositories audited with " + outcome.invocation().totalApiCalls() + " API calls in "
                    + Duration.between(start, Instant.now()).toMillis() + " ms; " + report.findings().size() + " findings");
            out.println(ReportJson.write(report));
            return report.allCompliant() ? Main.COMPLIANT : Main.FINDINGS;
        } catch (AwsServiceException e) {
            err.println("ecr-oidc-guard scan: AWS answered " + e.statusCode() + " "
                    + e.awsErrorDetails().errorCode() + " (" + e.awsErrorDetails().serviceName() + ") in " + where + ": "
                    + e.awsErrorDetails().errorMessage() + "\n  The credentials need read access: "
                    + String.join(", ", new TreeSet<>(AwsInventorySource.REQUIRED_PERMISSIONS)));
            return Main.BAD_INPUT;
        } catch (SdkException e) {
            err.println("ecr-oidc-guard scan: cannot read the account in " + where + ": " + e.getMessage()
                    + "\n  Check the credentials (AWS_PROFILE or --profile, `aws sso login`, AWS_ACCESS_KEY_ID), the network"
                    + options.endpoint().map(e2 -> ", and that an emulator listens on " + e2).orElse(""));
            return Main.BAD_INPUT;
        }
    }

    static Options parse(List<String> args) throws BadArguments {
        Optional<String> region = Optional.empty();
        Optional<String> profile = Optional.empty();
        Optional<URI> endpoint = Optional.empty();
        for (int i = 0; i < args.size(); i++) {
            String option = args.get(i);
            if (!List.of("--region", "--profile", "--endpoint-url").contains(option)) {
                throw new BadArguments("unexpected argument '" + option + "'");
            }
            if (i + 1 >= args.size() || args.get(i + 1).isBlank() || args.get(i + 1).startsWith("--")) {
                throw new BadArguments(option + " needs a value");
            }
            String value = args.get(++i);
            switch (option) {
                case "--region" -> region = once(option, region, value);
                case "--profile" -> profile = once(option, profile, value);
                default -> endpoint = once(option, endpoint, endpoint(value));
            }
        }
        return new Options(region, profile, endpoint);
    }

    private static <T> Optional<T> once(String option, Optional<T> current, T value) throws BadArguments {
        if (current.isPresent()) {
            throw new BadArguments(option + " given twice");
        }
        return Optional.of(value);
    }

    private static URI endpoint(String value) throws BadArguments {
        URI uri;
        try {
            uri = new URI(value);
        } catch (URISyntaxException e) {
            uri = null;
        }
        if (uri == null || !List.of("http", "https").contains(String.valueOf(uri.getScheme())) || uri.getHost() == null) {
            throw new BadArguments("--endpoint-url '" + value + "' is not an http(s) URL (e.g. http://127.0.0.1:5000)");
        }
        return uri;
    }

    private static Region defaultRegion(Optional<String> profile) {
        DefaultAwsRegionProviderChain.Builder chain = DefaultAwsRegionProviderChain.builder();
        profile.ifPresent(chain::profileName);
        return chain.build().getRegion();
    }

    private static AwsCredentialsProvider credentials(Optional<String> profile) {
        DefaultCredentialsProvider.Builder chain = DefaultCredentialsProvider.builder();
        profile.ifPresent(chain::profileName);
        return chain.build();
    }
}
