package dev.ecroidcguard.lambda;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ecroidcguard.aws.AccountSeeder;
import dev.ecroidcguard.aws.AwsClients;
import dev.ecroidcguard.aws.FaultProxy;
import dev.ecroidcguard.aws.HubTables;
import dev.ecroidcguard.core.analysis.Baseline;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sts.model.Credentials;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The organization fan-out benchmark of {@code scripts/bench-fanout} (figures, not a test). One JVM:
 * <ol>
 * <li>seeds moto (directly, not through the proxy) with ACCOUNTS member accounts (moto serves any account id through
 * STS AssumeRole), each with the member role, the GitHub provider and REPOSITORIES repositories per region with their
 * roles, every tenth role's trust widened to the whole owner (drift to report); the hub's topic, work queue and
 * finding-state table;</li>
 * <li>puts a {@link FaultProxy} in front of moto that answers every call LATENCY_MS later (the round trip moto does
 * not have) and throttles a THROTTLE share of them;</li>
 * <li>runs the organization run through the production wiring ({@link OrganizationHandler#awsWiring}, every SDK call
 * through the proxy): one handler takes the scheduled event and enqueues, then WORKERS threads play the event source
 * mapping with MaximumConcurrency = WORKERS, each its own handler instance (a Lambda execution environment): receive up
 * to BATCH messages, invoke with the SQS event, delete what the answer does not hand back; a handed-back message is
 * visible again at once, and after its third receive leaves (the template's maxReceiveCount: the dead-letter queue).
 * The queue itself is read directly from moto: the event source mapping's calls are not the function's.</li>
 * </ol>
 * Prints {@code key=value} figures and the per-hour extrapolation with the model it assumes.
 */
public final class FanOutBench {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Region HUB_REGION = Region.US_EAST_1;
    private static final StaticCredentialsProvider HUB = StaticCredentialsProvider.create(AwsBasicCredentials.create("testing", "testing"));
    private static final String HUB_ACCOUNT = "123456789012";
    private static final int MAX_RECEIVES = 3;
    /** template.yaml: the organization function's Timeout and the event source mapping's BatchSize. */
    private static final int TEMPLATE_TIMEOUT_S = 300;

    record Settings(URI moto, int accounts, int repositories, List<String> regions, int latencyMs, double throttle, int workers,
                    int batch) {
        static Settings of(String[] args) {
            return new Settings(URI.create(args[0]), Integer.parseInt(args[1]), Integer.parseInt(args[2]), List.of(args[3].split(",")),
                    Integer.parseInt(args[4]), Double.parseDouble(args[5]), Integer.parseInt(args[6]), Integer.parseInt(args[7]));
        }
    }

    public static void main(String[] args) throws Exception {
        Settings settings = Settings.of(args);
        PrintStream figures = System.out;
        figures.printf("load_average_before=%s%n", loadAverage());
        long seedStart = System.nanoTime();
        List<String> accounts = seed(settings);
        figures.printf("seeded accounts=%d repositories_per_account_region=%d regions=%s seed_s=%.1f%n", accounts.size(),
                settings.repositories(), String.join(",", settings.regions()), (System.nanoTime() - seedStart) / 1e9);
        run(settings, accounts, figures);
        figures.printf("load_average_after=%s%n", loadAverage());
    }

    // ---- seeding (directly against moto) -----------------------------------------------------------------------

    private static List<String> seed(Settings s) throws Exception {
        List<String> accounts = new ArrayList<>();
        for (int i = 0; i < s.accounts(); i++) {
            accounts.add("%012d".formatted(210_000_000_000L + i));
        }
        try (AwsClients hub = AwsClients.forEndpoint(HUB_REGION, s.moto(), HUB); ExecutorService pool = Executors.newFixedThreadPool(8)) {
            hub.sns().createTopic(r -> r.name("ecr-oidc-guard-reports"));
            hub.sqs().createQueue(r -> r.queueName("ecr-oidc-guard-work"));
            HubTables.findingState(hub.dynamoDb(), "ecr-oidc-guard-findings");
            // The run ledger (template.yaml's OrganizationRunTable): the worker counting the last unit publishes the roll-up.
            HubTables.runLedger(hub.dynamoDb(), "ecr-oidc-guard-runs");
            List<Future<?>> done = new ArrayList<>();
            List<AwsClients> opened = new ArrayList<>();
            for (String account : accounts) {
                Credentials session = hub.sts().assumeRole(r -> r.roleArn("arn:aws:iam::" + account + ":role/OrganizationAccountAccessRole")
                        .roleSessionName("seed")).credentials();
                var credentials = StaticCredentialsProvider.create(AwsSessionCredentials.create(session.accessKeyId(),
                        session.secretAccessKey(), session.sessionToken()));
                AwsClients global = AwsClients.forEndpoint(HUB_REGION, s.moto(), credentials);
                opened.add(global);
                AccountSeeder iam = new AccountSeeder(global);
                String provider = iam.githubProvider();
                iam.role(OrganizationConfig.DEFAULT_MEMBER_ROLE_NAME, "{\"Version\":\"2012-10-17\",\"Statement\":[]}", Map.of());
                for (String region : s.regions()) {
                    AwsClients regional = AwsClients.forEndpoint(Region.of(region), s.moto(), credentials);
                    opened.add(regional);
                    AccountSeeder seeder = new AccountSeeder(regional);
                    for (int i = 0; i < s.repositories(); i++) {
                        // Unique per account (IAM is global): the region is in the name.
                        String name = "svc-%s-%04d".formatted(region, i);
                        boolean drifted = i % 10 == 9;
                        done.add(pool.submit(() -> {
                            Map<String, String> tags = Map.of("github:repository", AccountSeeder.ORG + "/" + name);
                            String arn = seeder.repository(name, tags);
                            String role = AccountSeeder.roleName(name);
                            String trust = Baseline.trustPolicy(provider, Baseline.GITHUB_ISSUER, AccountSeeder.github(name, tags));
                            seeder.role(role, drifted ? trust.replace("repo:" + AccountSeeder.ORG + "/" + name + ":*", "repo:" + AccountSeeder.ORG + "/*")
                                    : trust, Map.of());
                            seeder.inlinePolicy(role, Baseline.INLINE_POLICY_NAME, Baseline.pushPullPolicy(arn));
                        }));
                    }
                }
            }
            for (Future<?> f : done) {
                f.get();
            }
            opened.forEach(AwsClients::close);
        }
        return accounts;
    }


    // ---- the run ------------------------------------------------------------------------------------------------

    private static void run(Settings s, List<String> accounts, PrintStream figures) throws Exception {
        try (FaultProxy proxy = new FaultProxy(s.moto()); AwsClients direct = AwsClients.forEndpoint(HUB_REGION, s.moto(), HUB)) {
            proxy.latency(Duration.ofMillis(s.latencyMs()));
            proxy.arm(s.throttle(), 42, List.of(FaultProxy.Fault.THROTTLE), FaultProxy.Phase.ALWAYS);
            // The production wiring resolves endpoints and credentials as in Lambda; these are their system-property forms.
            System.setProperty("aws.endpointUrl", proxy.endpoint().toString());
            System.setProperty("aws.accessKeyId", "testing");
            System.setProperty("aws.secretAccessKey", "testing");
            SqsClient sqs = direct.sqs();
            String queueUrl = sqs.getQueueUrl(r -> r.queueName("ecr-oidc-guard-work")).queueUrl();
            Map<String, String> env = new HashMap<>(Map.of("GITHUB_ORG", AccountSeeder.ORG, "AWS_REGION", HUB_REGION.id(),
                    "SNS_TOPIC_ARN", "arn:aws:sns:us-east-1:" + HUB_ACCOUNT + ":ecr-oidc-guard-reports", "WORK_QUEUE_URL", queueUrl,
                    "TARGET_ACCOUNTS", String.join(",", accounts), "TARGET_REGIONS", String.join(",", s.regions()), "MODE", "report",
                    "NOTIFY_ON", "changes", "FINDING_STATE_TABLE", "ecr-oidc-guard-findings",
                    // moto's Tagging API lists no ECR repository (README, "Calls per repository"): read tags per repository.
                    "TAG_READS", "per-repository"));
            env.put("RUN_TABLE", "ecr-oidc-guard-runs");
            env.put("AWS_LAMBDA_FUNCTION_NAME", "ecr-oidc-guard-organization");

            // The function's JSON log (and the SDK's retry lines) to a buffer: the figures come from its metrics lines.
            ByteArrayOutputStream log = new ByteArrayOutputStream();
            PrintStream logStream = new PrintStream(log, true, StandardCharsets.UTF_8);
            System.setOut(logStream);
            long cpu0 = cpuNanos();
            long t0 = System.nanoTime();
            OrganizationHandler scheduler = new OrganizationHandler(env, OrganizationHandler::awsWiring, logStream, InstantSource.system());
            JsonNode enqueued = invoke(scheduler, Files.readString(Path.of("events", "scheduled.json")));
            long fanOutMs = (System.nanoTime() - t0) / 1_000_000;
            Map<String, Integer> fanOutCalls = proxy.calls();

            AtomicInteger inFlight = new AtomicInteger();
            AtomicInteger invocations = new AtomicInteger();
            AtomicInteger handedBack = new AtomicInteger();
            AtomicInteger deadLettered = new AtomicInteger();
            long t1 = System.nanoTime();
            try (ExecutorService workers = Executors.newFixedThreadPool(s.workers())) {
                List<Future<?>> running = new ArrayList<>();
                for (int w = 0; w < s.workers(); w++) {
                    OrganizationHandler handler = new OrganizationHandler(env, OrganizationHandler::awsWiring, logStream, InstantSource.system());
                    running.add(workers.submit(() -> {
                        drain(handler, sqs, queueUrl, s.batch(), inFlight, invocations, handedBack, deadLettered);
                        return null;
                    }));
                }
                for (Future<?> f : running) {
                    f.get();
                }
            }
            long drainMs = (System.nanoTime() - t1) / 1_000_000;
            long cpuMs = (cpuNanos() - cpu0) / 1_000_000;
            System.setOut(figures);
            report(s, accounts, enqueued, log.toString(StandardCharsets.UTF_8), proxy, fanOutCalls, fanOutMs, drainMs, cpuMs,
                    invocations.get(), handedBack.get(), deadLettered.get(), figures);
        }
    }

    /** One event-source-mapping poller with one execution environment: until the queue is empty and no one is working. */
    private static void drain(OrganizationHandler handler, SqsClient sqs, String queueUrl, int batch, AtomicInteger inFlight,
                              AtomicInteger invocations, AtomicInteger handedBack, AtomicInteger deadLettered) throws Exception {
        while (true) {
            inFlight.incrementAndGet();
            List<Message> messages = sqs.receiveMessage(r -> r.queueUrl(queueUrl).maxNumberOfMessages(batch).visibilityTimeout(600)
                    .messageSystemAttributeNames(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT)).messages();
            if (messages.isEmpty()) {
                if (inFlight.decrementAndGet() == 0) {
                    return; // empty, and no other worker holds a message that could come back
                }
                Thread.sleep(50);
                continue;
            }
            ObjectNode event = MAPPER.createObjectNode();
            ArrayNode records = event.putArray("Records");
            for (Message m : messages) {
                records.addObject().put("messageId", m.messageId()).put("receiptHandle", m.receiptHandle()).put("body", m.body())
                        .put("eventSource", "aws:sqs").put("awsRegion", HUB_REGION.id())
                        .put("eventSourceARN", "arn:aws:sqs:us-east-1:" + HUB_ACCOUNT + ":ecr-oidc-guard-work");
            }
            JsonNode answer = invoke(handler, event.toString());
            invocations.incrementAndGet();
            Set<String> failed = new HashSet<>();
            answer.path("batchItemFailures").forEach(f -> failed.add(f.get("itemIdentifier").asText()));
            for (Message m : messages) {
                int receives = Integer.parseInt(m.attributes().getOrDefault(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT, "1"));
                if (failed.contains(m.messageId()) && receives < MAX_RECEIVES) {
                    handedBack.incrementAndGet();
                    sqs.changeMessageVisibility(r -> r.queueUrl(queueUrl).receiptHandle(m.receiptHandle()).visibilityTimeout(0));
                } else {
                    if (failed.contains(m.messageId())) {
                        deadLettered.incrementAndGet();
                    }
                    sqs.deleteMessage(r -> r.queueUrl(queueUrl).receiptHandle(m.receiptHandle()));
                }
            }
            inFlight.decrementAndGet();
        }
    }

    private static JsonNode invoke(OrganizationHandler handler, String event) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        handler.handleRequest(new ByteArrayInputStream(event.getBytes(StandardCharsets.UTF_8)), out, null);
        return MAPPER.readTree(out.toByteArray());
    }

    // ---- figures ------------------------------------------------------------------------------------------------

    private static void report(Settings s, List<String> accounts, JsonNode enqueued, String log, FaultProxy proxy,
                               Map<String, Integer> fanOutCalls, long fanOutMs, long drainMs, long cpuMs, int invocations,
                               int handedBack, int deadLettered, PrintStream out) throws Exception {
        List<JsonNode> metrics = new ArrayList<>();
        int retryLines = 0;
        for (String line : log.lines().toList()) {
            if (!line.startsWith("{")) {
                continue;
            }
            JsonNode json = MAPPER.readTree(line);
            if ("metrics".equals(json.path("type").asText())) {
                metrics.add(json);
            } else if (line.contains("retry")) {
                retryLines++;
            }
        }
        List<JsonNode> evaluated = metrics.stream().filter(m -> m.path("AccountNotEvaluated").asInt() == 0).toList();
        long repositories = evaluated.stream().mapToLong(m -> m.path("Repositories").asLong()).sum();
        long notEvaluated = evaluated.stream().mapToLong(m -> m.path("NotEvaluated").asLong()).sum();
        long findings = evaluated.stream().mapToLong(m -> m.path("Findings").asLong()).sum();
        List<Long> durations = evaluated.stream().map(m -> m.path("DurationMs").asLong()).sorted().toList();
        Map<String, Integer> calls = proxy.calls();
        int totalCalls = calls.values().stream().mapToInt(Integer::intValue).sum();
        int fanOutTotal = fanOutCalls.values().stream().mapToInt(Integer::intValue).sum();
        int throttled = proxy.injected().values().stream().mapToInt(Integer::intValue).sum();

        out.printf("model latency_ms_per_call=%d throttle_share=%.3f workers(MaximumConcurrency)=%d batch=%d regions=%d%n",
                s.latencyMs(), s.throttle(), s.workers(), s.batch(), s.regions().size());
        out.printf("run accounts_enqueued=%d accounts_evaluated=%d account_deliveries=%d repositories=%d findings=%d not_evaluated=%d "
                        + "invocations=%d handed_back=%d dead_lettered=%d%n", enqueued.path("accounts").size(),
                evaluated.stream().map(m -> m.path("AccountId").asText()).distinct().count(), metrics.size(), repositories, findings,
                notEvaluated, invocations, handedBack, deadLettered);
        out.printf("calls total=%d fan_out=%d per_account=%.1f per_repository=%.3f throttled=%d sdk_retry_log_lines=%d%n", totalCalls,
                fanOutTotal, (double) (totalCalls - fanOutTotal) / accounts.size(),
                repositories == 0 ? 0.0 : (double) (totalCalls - fanOutTotal) / repositories, throttled, retryLines);
        out.printf("calls_by_operation=%s%n", calls.toString().replace(" ", ""));
        out.printf("wall fan_out_ms=%d workers_ms=%d cpu_ms=%d (bench JVM: handlers, proxy, driver; moto is a separate process)%n",
                fanOutMs, drainMs, cpuMs);
        if (durations.isEmpty()) {
            out.println("no account was evaluated: no extrapolation");
            return;
        }
        double median = durations.get(durations.size() / 2);
        double perAccountRegion = s.repositories();
        out.printf("per_account_ms median=%.0f min=%d max=%d (%d repositories in each of %d regions)%n", median, durations.getFirst(),
                durations.getLast(), s.repositories(), s.regions().size());

        // The extrapolation. Each account is its own unit: its IAM and ECR reads run against that account's own rate
        // limits, so C workers scale C-fold as long as the hub's shared calls (AssumeRole, SNS, DynamoDB) keep up.
        double perRepositoryMs = median / (perAccountRegion * s.regions().size());
        double accountsPerHour = s.workers() * 3_600_000.0 / median;
        out.printf("observed accounts_x_repositories_per_hour=%.0f (%d accounts x %d repositories in %.1f s at concurrency %d)%n",
                accounts.size() * perAccountRegion * s.regions().size() * 3_600_000.0 / drainMs, accounts.size(),
                s.repositories() * s.regions().size(), drainMs / 1000.0, s.workers());
        out.printf("extrapolated at concurrency %d: %.0f accounts/hour of this size = %.0f repositories/hour (per account %.0f ms, "
                + "%.1f ms per repository at %d ms per call)%n", s.workers(), accountsPerHour, accountsPerHour * perAccountRegion * s.regions().size(),
                median, perRepositoryMs, s.latencyMs());
        for (int c : new int[] {5, 50}) {
            out.printf("  at MaximumConcurrency %d: %.0f accounts/hour, %.0f repositories/hour%n", c, c * 3_600_000.0 / median,
                    c * 3_600_000.0 / median * perAccountRegion * s.regions().size());
        }
        // Per repository including the account's fixed part (AssumeRole, the IAM read, publish): an upper bound per repository.
        out.printf("per unit: one invocation (Timeout %d s) holds about %.0f repositories at this pace, i.e. %.0f per account when a "
                + "batch of %d accounts shares it%n", TEMPLATE_TIMEOUT_S, TEMPLATE_TIMEOUT_S * 1000.0 / perRepositoryMs,
                TEMPLATE_TIMEOUT_S * 1000.0 / perRepositoryMs / s.batch(), s.batch());

        // The model, from the calls counted on the wire rather than from this machine's moto: an account-region costs its
        // sequential calls (role assumption, the IAM read, the repository list, the finding state, the publish) at the
        // latency each, plus its per-repository reads at the rate the slower of two allows: the inventory's pacing
        // (AwsInventorySource.Pacing.DEFAULT: up to 16 in flight, so 16 per latency) and ECR's own per-account, per-region
        // rate, which AWS does not publish (ECR_RATE calls per second, assumed). Accounts are independent units with
        // their own ECR and IAM limits, so C workers multiply the rate.
        int perRepositoryCalls = calls.getOrDefault("ecr:GetRepositoryPolicy", 0) + calls.getOrDefault("ecr:ListTagsForResource", 0);
        double callsPerRepository = repositories == 0 ? 0 : (double) perRepositoryCalls / repositories;
        double sequentialPerAccount = (double) (totalCalls - fanOutTotal - perRepositoryCalls) / metrics.size();
        out.printf("model calls: %.1f sequential per account (%d regions), %.3f per repository (policy + tags per repository; with "
                + "TAG_READS=bulk on AWS about 1.01)%n", sequentialPerAccount, s.regions().size(), callsPerRepository);
        for (double ecrRate : new double[] {20, 50}) {
            for (double c : new double[] {callsPerRepository, 1.01}) {
                double readsPerSecond = Math.min(16_000.0 / s.latencyMs(), ecrRate);
                double accountMs = sequentialPerAccount * s.latencyMs() + 1000.0 * perAccountRegion * s.regions().size() * c / readsPerSecond;
                double perRepository = 1000.0 * c / readsPerSecond;
                out.printf("model at %d ms per call, ECR %.0f calls/s per account-region, %.2f calls per repository: %.1f s per account of "
                                + "%d repositories; a %d s invocation holds %.0f repositories (%.0f per account in a batch of %d); "
                                + "MaximumConcurrency 5: %.0f accounts/hour = %.0f repositories/hour%n", s.latencyMs(), ecrRate, c,
                        accountMs / 1000, s.repositories() * s.regions().size(), TEMPLATE_TIMEOUT_S,
                        (TEMPLATE_TIMEOUT_S * 1000.0 - sequentialPerAccount * s.latencyMs()) / perRepository,
                        (TEMPLATE_TIMEOUT_S * 1000.0 / s.batch() - sequentialPerAccount * s.latencyMs()) / perRepository, s.batch(),
                        5 * 3_600_000.0 / accountMs, 5 * 3_600_000.0 / accountMs * perAccountRegion * s.regions().size());
            }
        }
    }

    private static long cpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    private static String loadAverage() {
        try {
            String[] fields = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return fields[0] + "," + fields[1] + "," + fields[2];
        } catch (Exception e) {
            return "unknown";
        }
    }
}
