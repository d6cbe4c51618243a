package dev.ecroidcguard.bench;

import com.amazonaws.services.lambda.runtime.serialization.PojoSerializer;
import com.amazonaws.services.lambda.runtime.serialization.factories.JacksonFactory;
import dev.ecroidcguard.aws.AccountSeeder;
import dev.ecroidcguard.aws.AwsClients;
import dev.ecroidcguard.aws.FaultProxy;
import dev.ecroidcguard.core.analysis.Baseline;
import dev.ecroidcguard.lambda.InvocationResult;
import dev.ecroidcguard.lambda.ScanHandler;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ecr.EcrClient;
import software.amazon.awssdk.services.ecr.model.Repository;
import software.amazon.awssdk.services.ecr.model.RepositoryPolicyNotFoundException;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.EntityType;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.lang.reflect.Type;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The parts of {@code scripts/bench-scan}, each run in a fresh JVM by the script (not a test):
 * <ul>
 * <li>{@code seed ENDPOINT N DRIFT}: the report topic, and N repositories with their roles in moto, 8 writers in
 * parallel; a DRIFT share of the roles trusts every repository of the owner.</li>
 * <li>{@code handler ENDPOINT}: the Lambda handler's whole-account scan (scheduled event), through a {@link FaultProxy}
 * that counts the calls on the wire.</li>
 * <li>{@code bare ENDPOINT}: a bare SDK loop doing only the reads an audit needs (roles in one paginated pass, the
 * repositories, each one's policy and tags), 8 threads, through the same proxy.</li>
 * <li>{@code cold STARTED_EPOCH_MS}: the handler built and one scheduled event handled, endpoint and configuration from
 * the environment; prints the time since the process was started (the script passes when it started it). The event
 * is read, and the answer written, by the Lambda runtime's own serializer, as in Lambda.</li>
 * <li>{@code sdk-floor STARTED_EPOCH_MS}: the floor to compare that with: only the SDK clients a scan uses (IAM, ECR,
 * STS, SNS on one url-connection client), one call each, receiving and answering the event the same way.</li>
 * </ul>
 * Each prints one line of {@code key=value} figures.
 */
public final class ScanBench {

    private static final Region REGION = Region.US_EAST_1;
    private static final StaticCredentialsProvider CREDENTIALS = StaticCredentialsProvider.create(AwsBasicCredentials.create("testing", "testing"));

    public static void main(String[] args) throws Exception {
        switch (args[0]) {
            case "seed" -> seed(URI.create(args[1]), Integer.parseInt(args[2]), Double.parseDouble(args[3]));
            case "handler" -> measured("handler", URI.create(args[1]), ScanBench::handler);
            case "bare" -> measured("bare", URI.create(args[1]), ScanBench::bare);
            case "cold" -> cold(Long.parseLong(args[1]));
            case "sdk-floor" -> sdkFloor(Long.parseLong(args[1]));
            default -> throw new IllegalArgumentException("unknown mode " + args[0]);
        }
    }

    private static void seed(URI endpoint, int repositories, double drift) throws Exception {
        try (AwsClients clients = AwsClients.forEndpoint(REGION, endpoint, CREDENTIALS); ExecutorService pool = Executors.newFixedThreadPool(8)) {
            clients.sns().createTopic(r -> r.name("ecr-oidc-guard-bench")); // the report's topic (SNS_TOPIC_ARN of the script)
            AccountSeeder seed = new AccountSeeder(clients);
            String provider = seed.githubProvider();
            int every = drift <= 0 ? Integer.MAX_VALUE : (int) Math.round(1 / drift);
            List<Future<?>> done = new java.util.ArrayList<>();
            for (int i = 0; i < repositories; i++) {
                String name = "service-%05d".formatted(i);
                boolean drifted = i % every == every - 1;
                done.add(pool.submit(() -> {
                    Map<String, String> tags = Map.of("github:repository", AccountSeeder.ORG + "/" + name);
                    if (!drifted) {
                        seed.compliant(name, tags, provider);
                        return;
                    }
                    String arn = seed.repository(name, tags);
                    String role = AccountSeeder.roleName(name);
                    String trust = Baseline.trustPolicy(provider, Baseline.GITHUB_ISSUER, AccountSeeder.github(name, tags))
                            .replace("repo:" + AccountSeeder.ORG + "/" + name + ":*", "repo:" + AccountSeeder.ORG + "/*");
                    seed.role(role, trust, Map.of());
                    seed.inlinePolicy(role, Baseline.INLINE_POLICY_NAME, Baseline.pushPullPolicy(arn));
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        }
        System.out.println("seeded repositories=" + repositories + " drift=" + drift);
    }

    /** Runs {@code scan} once through a counting proxy; returns the repositories it covered. */
    private interface Scan {
        int run(URI endpoint) throws Exception;
    }

    private static void measured(String what, URI moto, Scan scan) throws Exception {
        try (FaultProxy proxy = new FaultProxy(moto)) {
            long cpu0 = cpuNanos();
            long t0 = System.nanoTime();
            int repositories = scan.run(proxy.endpoint());
            long wall = System.nanoTime() - t0;
            long cpu = cpuNanos() - cpu0;
            Map<String, Integer> calls = proxy.calls();
            int total = calls.values().stream().mapToInt(Integer::intValue).sum();
            System.out.printf("%s repositories=%d wall_ms=%d cpu_ms=%d calls=%d calls_per_repository=%.4f peak_rss_kb=%d calls_by_operation=%s%n",
                    what, repositories, wall / 1_000_000, cpu / 1_000_000, total, repositories == 0 ? 0.0 : (double) total / repositories,
                    peakRssKb(), calls.toString().replace(" ", ""));
        }
    }

    private static int handler(URI endpoint) throws Exception {
        System.setProperty("aws.endpointUrl", endpoint.toString()); // the SDK's standard endpoint setting, as AWS_ENDPOINT_URL
        InvocationResult result = new ScanHandler().handleRequest(runtimeEvent(), null);
        return result.repositories();
    }

    private static int bare(URI endpoint) throws Exception {
        SdkHttpClient http = UrlConnectionHttpClient.create();
        try (IamClient iam = IamClient.builder().httpClient(http).region(REGION).credentialsProvider(CREDENTIALS).endpointOverride(endpoint)
                .overrideConfiguration(o -> o.retryStrategy(RetryMode.STANDARD)).build();
             EcrClient ecr = EcrClient.builder().httpClient(http).region(REGION).credentialsProvider(CREDENTIALS).endpointOverride(endpoint)
                     .overrideConfiguration(o -> o.retryStrategy(RetryMode.STANDARD)).build();
             ExecutorService pool = Executors.newFixedThreadPool(8)) {
            AtomicInteger roles = new AtomicInteger();
            iam.getAccountAuthorizationDetailsPaginator(r -> r.maxItems(1000).filter(EntityType.ROLE, EntityType.LOCAL_MANAGED_POLICY))
                    .forEach(page -> roles.addAndGet(page.roleDetailList().size()));
            List<Repository> repositories = ecr.describeRepositoriesPaginator(r -> r.maxResults(1000)).repositories().stream().toList();
            List<Future<?>> reads = repositories.stream().map(repository -> pool.submit(() -> {
                try {
                    ecr.getRepositoryPolicy(r -> r.repositoryName(repository.repositoryName())).policyText();
                } catch (RepositoryPolicyNotFoundException none) {
                    // no policy: nothing to read
                }
                return ecr.listTagsForResource(r -> r.resourceArn(repository.repositoryArn())).tags();
            })).<Future<?>>map(f -> f).toList();
            for (Future<?> read : reads) {
                read.get();
            }
            return repositories.size();
        } finally {
            http.close();
        }
    }

    private static void cold(long startedEpochMillis) throws Exception {
        InvocationResult result = new ScanHandler().handleRequest(runtimeEvent(), null);
        runtimeResponse(InvocationResult.class, result);
        long handled = System.currentTimeMillis();
        System.out.printf("cold start_to_handled_ms=%d cpu_ms=%d status=%s repositories=%d loaded_classes=%d peak_rss_kb=%d%n",
                handled - startedEpochMillis, cpuNanos() / 1_000_000, result.status(), result.repositories(),
                ManagementFactory.getClassLoadingMXBean().getTotalLoadedClassCount(), peakRssKb());
    }

    private static void sdkFloor(long startedEpochMillis) throws Exception {
        Object event = runtimeEvent();
        SdkHttpClient http = UrlConnectionHttpClient.create();
        try (IamClient iam = IamClient.builder().httpClient(http).region(REGION).build();
             EcrClient ecr = EcrClient.builder().httpClient(http).region(REGION).build();
             software.amazon.awssdk.services.sts.StsClient sts = software.amazon.awssdk.services.sts.StsClient.builder().httpClient(http).region(REGION).build();
             software.amazon.awssdk.services.sns.SnsClient sns = software.amazon.awssdk.services.sns.SnsClient.builder().httpClient(http).region(REGION).build()) {
            sts.getCallerIdentity();
            iam.listOpenIDConnectProviders();
            ecr.describeRepositories();
            sns.listTopics();
        } finally {
            http.close();
        }
        runtimeResponse(Map.class, Map.of("event", event.getClass().getSimpleName(), "status", "sdk-floor"));
        long handled = System.currentTimeMillis();
        System.out.printf("cold start_to_handled_ms=%d cpu_ms=%d status=sdk-floor repositories=0 loaded_classes=%d peak_rss_kb=%d%n",
                handled - startedEpochMillis, cpuNanos() / 1_000_000, ManagementFactory.getClassLoadingMXBean().getTotalLoadedClassCount(), peakRssKb());
    }

    /**
     * The scheduled event as the Lambda Java runtime hands it to a handler of {@code Object} (its own shaded Jackson,
     * {@code JacksonFactory}: plain maps and strings), so the cold and sdk-floor modes pay the runtime's deserializer
     * alike, as both would in Lambda.
     */
    private static Object runtimeEvent() throws Exception {
        return JacksonFactory.getInstance().getSerializer((Type) Object.class)
                .fromJson(new ByteArrayInputStream(Files.readAllBytes(Path.of("events", "scheduled.json"))));
    }

    /** The handler's answer serialized as the runtime does (its shaded Jackson), on both sides alike. */
    @SuppressWarnings("unchecked")
    private static <T> void runtimeResponse(Class<? super T> type, T response) {
        ((PojoSerializer<T>) JacksonFactory.getInstance().getSerializer((Type) type)).toJson(response, new ByteArrayOutputStream());
    }

    private static long cpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    /** VmHWM from /proc (Linux); 0 elsewhere. */
    private static long peakRssKb() throws Exception {
        Path status = Path.of("/proc/self/status");
        if (!Files.exists(status)) {
            return 0;
        }
        return Files.readAllLines(status, StandardCharsets.UTF_8).stream().filter(l -> l.startsWith("VmHWM:"))
                .map(l -> Long.parseLong(l.replaceAll("[^0-9]", ""))).findFirst().orElse(0L);
    }
}
