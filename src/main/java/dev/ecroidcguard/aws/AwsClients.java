package dev.ecroidcguard.aws;

import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudformation.CloudFormationClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.ecr.EcrClient;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.securityhub.SecurityHubClient;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sts.StsClient;

import java.net.URI;
import java.util.List;
import java.util.Optional;

/**
 * The SDK clients of one Lambda instance, built once outside the handler. All share one url-connection HTTP
 * client (the smallest and fastest to start; Apache and Netty are excluded in the pom), the default credentials
 * chain, adaptive retry (client-side rate limiting on throttling, which an account-wide scan does hit) and
 * {@link ApiCallCounter}; retries and the SDK's warnings go to the JSON log ({@link SdkLog}). No endpoint is set in production: the SDK's standard endpoint configuration applies,
 * so {@code AWS_ENDPOINT_URL} (or {@code AWS_ENDPOINT_URL_IAM}, ...) points the same build at moto, LocalStack
 * or Floci.
 */
public final class AwsClients implements AutoCloseable {

    private final Region region;
    private final ApiCallCounter calls = new ApiCallCounter();
    private final SdkRetryLog retries;
    private final SdkHttpClient http = UrlConnectionHttpClient.create();
    private final IamClient iam;
    private final EcrClient ecr;
    private final SnsClient sns;
    private final CloudFormationClient cloudFormation;
    private final StsClient sts;
    private final DynamoDbClient dynamoDb;
    private final SecurityHubClient securityHub;

    private final List<ExecutionInterceptor> extraInterceptors;

    /** {@code log} receives the retries ({@link SdkLog#INSTANCE} but in tests). */
    AwsClients(Region region, Optional<URI> endpointOverride, AwsCredentialsProvider credentials,
               List<ExecutionInterceptor> extraInterceptors, SdkLog log) {
        this.region = region;
        this.retries = new SdkRetryLog(log);
        this.extraInterceptors = List.copyOf(extraInterceptors);
        // IAM is global per partition; given the scan region, the SDK's endpoint rules pick the partition's IAM endpoint
        // and signing region (iam.amazonaws.com/us-east-1, iam.cn-north-1.amazonaws.com.cn, iam.us-gov.amazonaws.com...).
        // aws-global would be right in the aws partition only.
        this.iam = configure(IamClient.builder(), endpointOverride, credentials).build();
        this.ecr = configure(EcrClient.builder(), endpointOverride, credentials).build();
        this.sns = configure(SnsClient.builder(), endpointOverride, credentials).build();
        this.cloudFormation = configure(CloudFormationClient.builder(), endpointOverride, credentials).build();
        this.sts = configure(StsClient.builder(), endpointOverride, credentials).build();
        this.dynamoDb = configure(DynamoDbClient.builder(), endpointOverride, credentials).build();
        this.securityHub = configure(SecurityHubClient.builder(), endpointOverride, credentials).build();
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

    private <B extends AwsClientBuilder<B, ?> & AwsSyncClientBuilder<B, ?>> B configure(B builder, Optional<URI> endpointOverride,
                                                          AwsCredentialsProvider credentials) {
        builder.httpClient(http);
        ClientOverrideConfiguration.Builder override = ClientOverrideConfiguration.builder()
                .retryStrategy(RetryMode.ADAPTIVE_V2)
                .addExecutionInterceptor(calls)
                .addExecutionInterceptor(retries);
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
        return iam;
    }

    public EcrClient ecr() {
        return ecr;
    }

    public SnsClient sns() {
        return sns;
    }

    public CloudFormationClient cloudFormation() {
        return cloudFormation;
    }

    public DynamoDbClient dynamoDb() {
        return dynamoDb;
    }

    public SecurityHubClient securityHub() {
        return securityHub;
    }

    public StsClient sts() {
        return sts;
    }

    @Override
    public void close() {
        iam.close();
        ecr.close();
        sns.close();
        cloudFormation.close();
        sts.close();
        dynamoDb.close();
        securityHub.close();
        http.close(); // shared, so the clients leave it open
    }
}
