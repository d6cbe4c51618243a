package dev.ecroidcguard.aws;

import dev.ecroidcguard.ports.Adapters;
import dev.ecroidcguard.ports.MemberAccounts;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.model.AssumeRoleRequest;
import software.amazon.awssdk.services.sts.model.Credentials;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * Member accounts reached by STS AssumeRole of the member role ({@code member-role.yaml}) from the hub's credentials:
 * one assumption per account, its session credentials shared by the account's regions (they last an hour, longer
 * than any invocation), and so are the account's clients per region and its {@link AccountReads} (IAM read once
 * for all regions; each target region's repository listing once, for its scan and the others' orphan check). The session is named after the function, so CloudTrail records of the guard's own writes
 * in a member account are recognised as its own ({@code ScanConfig.isSelf}).
 */
public final class AssumedRoleMembers implements MemberAccounts {

    public static final Set<String> REQUIRED_PERMISSIONS = Set.of("sts:AssumeRole");

    /** The member role: its name (the same in every account), the external id its trust may require, the partition. */
    public record MemberRole(String name, Optional<String> externalId, String partition) {
        String arnIn(String accountId) {
            return "arn:" + partition + ":iam::" + accountId + ":role/" + name;
        }
    }

    private final StsClient hubSts;
    private final MemberRole role;
    private final String sessionName;
    private final List<String> regions;
    private final BiFunction<Region, AwsCredentialsProvider, AwsClients> clients;
    private final BiFunction<AwsClients, AccountReads, Adapters> adapters;

    /**
     * @param regions  the target regions: every account is scanned in them, so a repository in any of them keeps its
     *                 role from being an orphan in the others
     * @param clients  the clients of one (account, region) with the member session's credentials
     * @param adapters the scan's adapters on those clients, sharing the account's reads (the production wiring, with the
     *                 hub's notifier)
     */
    public AssumedRoleMembers(StsClient hubSts, MemberRole role, String sessionName, List<String> regions,
                              BiFunction<Region, AwsCredentialsProvider, AwsClients> clients,
                              BiFunction<AwsClients, AccountReads, Adapters> adapters) {
        this.hubSts = hubSts;
        this.role = role;
        this.sessionName = sessionName;
        this.regions = List.copyOf(regions);
        this.clients = clients;
        this.adapters = adapters;
    }

    @Override
    public Member open(String accountId) throws Unreachable {
        String roleArn = role.arnIn(accountId);
        AssumeRoleRequest.Builder request = AssumeRoleRequest.builder().roleArn(roleArn).roleSessionName(sessionName);
        role.externalId().ifPresent(request::externalId);
        Credentials session;
        try {
            session = hubSts.assumeRole(request.build()).credentials();
        } catch (AwsServiceException e) {
            // AccessDenied: the role is missing or its trust does not admit this function (or the external id differs).
            boolean retryable = e.isThrottlingException() || e.statusCode() >= 500;
            throw new Unreachable("role " + roleArn + " could not be assumed: " + e.awsErrorDetails().errorCode() + " ("
                    + e.awsErrorDetails().errorMessage() + ")", retryable);
        } catch (SdkClientException e) {
            throw new Unreachable("role " + roleArn + " could not be assumed: " + e.getMessage(), true);
        }
        AwsCredentialsProvider credentials = StaticCredentialsProvider.create(
                AwsSessionCredentials.create(session.accessKeyId(), session.secretAccessKey(), session.sessionToken()));
        Map<String, AwsClients> byRegion = new ConcurrentHashMap<>();
        Function<String, AwsClients> clientsIn = region -> byRegion.computeIfAbsent(region, r -> clients.apply(Region.of(r), credentials));
        AccountReads reads = AccountReads.sharedBy(regions, region -> AwsInventorySource.listing(clientsIn.apply(region).ecr()));
        return new Member() {
            @Override
            public Adapters adapters(String region) {
                return adapters.apply(clientsIn.apply(region), reads);
            }

            /** The account's clients, one set per region scanned, are closed with it. */
            @Override
            public void close() {
                byRegion.values().forEach(AwsClients::close);
            }
        };
    }
}
