package dev.ecroidcguard.aws;

import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudformation.CloudFormationClient;
import software.amazon.awssdk.services.ecr.EcrClient;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.resourcegroupstaggingapi.ResourceGroupsTaggingApiClient;
import software.amazon.awssdk.services.organizations.OrganizationsClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.securityhub.SecurityHubClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sts.StsClient;

import java.net.URI;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The SDK clients of one Lambda instance, each built on first use and then kept: a report-mode function never builds
 * the CloudFormation client (only remediation's ownership lookup uses it), a scoped scan that needs no bulk tag
 * read never builds the tagging client, and a scan with nothing to publish never builds the SNS client
 * ({@link SnsNotifier} asks for it at its first publish), which keeps them out of the cold start. All share one url-connection HTTP
 * client (the smallest and fastest to start; Apache and Netty are excluded in the pom), the default credentials
 * chain, the SDK's STANDARD retries and {@link ApiCallCounter}; retries and the SDK's warnings go to the JSON log
 * ({@link SdkLog}). STANDARD, not ADAPTIVE: adaptive retry rate-limits the whole client after one throttle, which
 * slows every reader thread sharing it; the inventory paces its many independent reads itself
 * ({@link AdaptiveConcurrency}). No endpoint is set in production: the SDK's standard endpoint configuration
 * applies, so {@code AWS_ENDPOINT_URL} (or {@code AWS_ENDPOINT_URL_IAM}, ...) points the same build at moto,
 * LocalStack or Floci.
 */
public final class AwsClients implements AutoCloseable {

    private final Region region;
    private final ApiCallCounter calls = new ApiCallCounter();
    private final SdkRetryLog retries;
    private final ThrottleSignal throttles = new ThrottleSignal();
    private final SdkHttpClient http = UrlConnectionHttpClient.create();
    private final Optional<URI> endpointOverride;
    private final AwsCredentialsProvider credentials;
    private final List<ExecutionInterceptor> extraInterceptors;
    private final List<Lazy<? extends AutoCloseable>> built = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final Lazy<IamClient> iam;
    private final Lazy<EcrClient> ecr;
    private final Lazy<SnsClient> sns;
    private final Lazy<CloudFormationClient> cloudFormation;
    private final Lazy<StsClient> sts;
    private final Lazy<ResourceGroupsTaggingApiClient> tagging;
    private final Lazy<DynamoDbClient> dynamoDb;
    private final Lazy<SecurityHubClient> securityHub;
    private final Lazy<SqsClient> sqs;
    private final Lazy<OrganizationsClient> organizations;
    private final Lazy<S3Client> s3;

    /** {@code log} receives the retries ({@link SdkLog#INSTANCE} but in tests). */
    AwsClients(Region region, Optional<URI> endpointOverride, AwsCredentialsProvider credentials,
               List<ExecutionInterceptor> extraInterceptors, SdkLog log) {
        this.region = region;
        this.retries = new SdkRetryLog(log);
        this.endpointOverride = endpointOverride;
        this.credentials = credentials;
        this.extraInterceptors = List.copyOf(extraInterceptors);
        // IAM is global per partition; given the scan region, the SDK's endpoint rules pick the partition's IAM endpoint
        // and signing region (iam.amazonaws.com/us-east-1, iam.cn-north-1.amazonaws.com.cn, iam.us-gov.amazonaws.com...).
        // aws-global would be right in the aws partition only.
        this.iam = new Lazy<>(() -> configure(IamClient.builder()).build());
        this.ecr = new Lazy<>(() -> configure(EcrClient.builder()).build());
        this.sns = new Lazy<>(() -> configure(SnsClient.builder()).build());
        this.cloudFormation = new Lazy<>(() -> configure(CloudFormationClient.builder()).build());
        this.sts = new Lazy<>(() -> configure(StsClient.builder()).build());
        this.tagging = new Lazy<>(() -> configure(ResourceGroupsTaggingApiClient.builder()).build());
        this.dynamoDb = new Lazy<>(() -> configure(DynamoDbClient.builder()).build());
        // BatchUpdateFindings is a PATCH, which HttpURLConnection refuses: this client alone has the Apache 5 client
        // (its own, closed with it).
        this.securityHub = new Lazy<>(() -> configured(SecurityHubClient.builder().httpClientBuilder(Apache5HttpClient.builder())).build());
        this.sqs = new Lazy<>(() -> configure(SqsClient.builder()).build());
        this.organizations = new Lazy<>(() -> configure(OrganizationsClient.builder()).build());
        // An emulator's endpoint (an override, or AWS_ENDPOINT_URL) serves buckets by path, not as bucket.host names.
        this.s3 = new Lazy<>(() -> configure(S3Client.builder()).forcePathStyle(endpointOverride.isPresent() || emulatorEndpoint()).build());
    }

    private static boolean emulatorEndpoint() {
        return System.getenv("AWS_ENDPOINT_URL") != null || System.getenv("AWS_ENDPOINT_URL_S3") != null
                || System.getProperty("aws.endpointUrl") != null || System.getProperty("aws.endpointUrlS3") != null;
    }

    /** A client built on first use, once; remembered for {@link #close()}. */
    private final class Lazy<T extends AutoCloseable> {
        private final Supplier<? extends AutoCloseable> build;
        private volatile T client;

        /**
         * {@code build} is typed AutoCloseable, not T, on purpose: javac gives a lambda's method the return type of its
         * target, and creating the lambda resolves that type. With Supplier&lt;T&gt; every AwsClients would load the
         * Security Hub, S3, SQS and Organizations clients, which the scan function's package leaves to layers or to the
         * organization function (pom.xml; LambdaPackageIT runs the packages without them).
         */
        Lazy(Supplier<? extends AutoCloseable> build) {
            this.build = build;
        }

        T get() {
            T c = client;
            if (c == null) {
                synchronized (this) {
                    c = client;
                    if (c == null) {
                        @SuppressWarnings("unchecked") // the constructor's caller pairs each Lazy<T> with a builder of T
                        T fresh = (T) build.get();
                        c = fresh;
                        client = c;
                        built.add(this);
                    }
                }
            }
            return c;
        }

        void close() throws Exception {
            T c = client;
            if (c != null) {
                c.close();
            }
        }
    }

    /**
     * Production clients for {@code region} (the function's configuration resolves it and fails on a missing one),
     * default credentials chain, standard endpoint resolution.
     */
    public static AwsClients forRegion(Region region) {
        return new AwsClients(region, Optional.empty(), DefaultCredentialsProvider.builder().build(), List.of(), SdkLog.INSTANCE);
    }

    /**
     * Clients for the live CLI ({@code ecr-oidc-guard scan}): the region and credentials it resolved, and either an
     * explicit endpoint (an emulator) or the SDK's standard endpoint resolution (which honours AWS_ENDPOINT_URL).
     */
    public static AwsClients of(Region region, Optional<URI> endpointOverride, AwsCredentialsProvider credentials) {
        return new AwsClients(region, endpointOverride, credentials, List.of(), SdkLog.INSTANCE);
    }

    /** Clients against an explicit endpoint (tests against moto) with the given credentials. */
    public static AwsClients forEndpoint(Region region, URI endpoint, AwsCredentialsProvider credentials) {
        return new AwsClients(region, Optional.of(endpoint), credentials, List.of(), SdkLog.INSTANCE);
    }

    /** Clients against an explicit endpoint with more interceptors after the call counter (tests inject failures this way). */
    public static AwsClients forEndpoint(Region region, URI endpoint, AwsCredentialsProvider credentials, List<ExecutionInterceptor> interceptors) {
        return new AwsClients(region, Optional.of(endpoint), credentials, interceptors, SdkLog.INSTANCE);
    }

    private <B extends AwsClientBuilder<B, ?> & AwsSyncClientBuilder<B, ?>> B configure(B builder) {
        builder.httpClient(http);
        return configured(builder);
    }

    /** Everything but the HTTP client: retries, the interceptors, region, credentials, endpoint. */
    private <B extends AwsClientBuilder<B, ?> & AwsSyncClientBuilder<B, ?>> B configured(B builder) {
        ClientOverrideConfiguration.Builder override = ClientOverrideConfiguration.builder()
                .retryStrategy(RetryMode.STANDARD)
                .addExecutionInterceptor(calls)
                .addExecutionInterceptor(retries)
                .addExecutionInterceptor(throttles);
        extraInterceptors.forEach(override::addExecutionInterceptor);
        builder.region(region)
                .credentialsProvider(credentials)
                .overrideConfiguration(override.build());
        endpointOverride.ifPresent(builder::endpointOverride);
        return builder;
    }

    public Region region() {
        return region;
    }

    public ApiCallCounter calls() {
        return calls;
    }

    public IamClient iam() {
        return iam.get();
    }

    public EcrClient ecr() {
        return ecr.get();
    }

    public SnsClient sns() {
        return sns.get();
    }

    public CloudFormationClient cloudFormation() {
        return cloudFormation.get();
    }

    public StsClient sts() {
        return sts.get();
    }

    /** The Resource Groups Tagging API: repository tags in bulk ({@code tag:GetResources}). */
    public ResourceGroupsTaggingApiClient tagging() {
        return tagging.get();
    }

    /** The finding state between scans (NOTIFY_ON=changes). */
    public DynamoDbClient dynamoDb() {
        return dynamoDb.get();
    }

    /** Security Hub (SECURITY_HUB=on). */
    public SecurityHubClient securityHub() {
        return securityHub.get();
    }

    /** The organization run's work queue. */
    public SqsClient sqs() {
        return sqs.get();
    }

    /** AWS Organizations: the accounts an organization run targets. */
    public OrganizationsClient organizations() {
        return organizations.get();
    }

    /** S3: the full report (FULL_REPORT_BUCKET). */
    public S3Client s3() {
        return s3.get();
    }

    /**
     * Builds the clients every scan uses (IAM, ECR, STS, SNS) now: SnapStart's checkpoint hook calls this so the
     * restored snapshot has them (and the SDK classes they load) ready.
     */
    public void buildScanClients() {
        iam.get();
        ecr.get();
        sts.get();
        sns.get();
    }

    @Override
    public void close() {
        for (Lazy<? extends AutoCloseable> client : built) {
            try {
                client.close();
            } catch (Exception e) {
                throw new IllegalStateException("closing an SDK client failed", e);
            }
        }
        http.close(); // shared, so the clients leave it open
    }
}
