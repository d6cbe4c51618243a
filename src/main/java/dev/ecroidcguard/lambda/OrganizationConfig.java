package dev.ecroidcguard.lambda;

import dev.ecroidcguard.application.organization.Targets;
import dev.ecroidcguard.core.GuardConfig.ConfigException;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The organization function's configuration (template.yaml sets it only when TargetAccounts or TargetOrganization is
 * given): {@code TARGET_ACCOUNTS} (comma list of account ids) and/or {@code TARGET_ORGANIZATION} ({@code all} active
 * accounts, or a comma list of OU ids), {@code TARGET_REGIONS} (default: the function's region), the member role
 * ({@code MEMBER_ROLE_NAME}, optional {@code MEMBER_EXTERNAL_ID}), the work queue ({@code WORK_QUEUE_URL}) and how often
 * it delivers a message before the dead-letter queue ({@code WORK_MAX_RECEIVES}, the queue's maxReceiveCount), the
 * run table ({@code RUN_TABLE}) and the repositories one worker invocation reads before an account's region is split
 * into chunks ({@code REPOSITORIES_PER_INVOCATION}).
 */
public record OrganizationConfig(Targets targets, String memberRoleName, Optional<String> externalId, String workQueueUrl, int maxReceives,
                                 String runTable, int repositoriesPerInvocation) {

    public static final String DEFAULT_MEMBER_ROLE_NAME = "ecr-oidc-guard-member";
    /**
     * Repositories one invocation reads within the template's 300 s: 2 calls a repository (policy, and tags where the
     * bulk read does not cover them) at 20 requests/s, the sustained ECR read rate the README's model assumes (AWS
     * publishes none), is 200 s, leaving a third of the timeout for the IAM read, the ramp-up and the report.
     */
    public static final int DEFAULT_REPOSITORIES_PER_INVOCATION = 2_000;
    /** The template's OrganizationWorkQueue maxReceiveCount. */
    public static final int DEFAULT_MAX_RECEIVES = 3;

    private static final Pattern ACCOUNT = Pattern.compile("\\d{12}");
    private static final Pattern OU = Pattern.compile("(ou-[0-9a-z]{4,32}-[a-z0-9]{8,32}|r-[0-9a-z]{4,32})");
    private static final Pattern REGION = Pattern.compile("[a-z]{2}(-[a-z]+)+-\\d");
    private static final Pattern ROLE_NAME = Pattern.compile("[\\w+=,.@-]{1,64}");

    /** Empty when neither TARGET_ACCOUNTS nor TARGET_ORGANIZATION is set: the single-account function, as before. */
    public static Optional<OrganizationConfig> fromEnvironment(Map<String, String> env, String functionRegion) throws ConfigException {
        List<String> accounts = list(env, "TARGET_ACCOUNTS");
        List<String> organization = list(env, "TARGET_ORGANIZATION");
        if (accounts.isEmpty() && organization.isEmpty()) {
            return Optional.empty();
        }
        for (String account : accounts) {
            require(ACCOUNT, account, "TARGET_ACCOUNTS", "a 12-digit account id");
        }
        Optional<Targets.OrganizationScope> scope = Optional.empty();
        if (organization.equals(List.of("all"))) {
            scope = Optional.of(new Targets.OrganizationScope(List.of()));
        } else if (!organization.isEmpty()) {
            for (String ou : organization) {
                require(OU, ou, "TARGET_ORGANIZATION", "all, or an OU id (ou-...) or the root id (r-...)");
            }
            scope = Optional.of(new Targets.OrganizationScope(organization));
        }
        List<String> regions = list(env, "TARGET_REGIONS");
        if (regions.isEmpty()) {
            regions = List.of(functionRegion);
        }
        for (String region : regions) {
            require(REGION, region, "TARGET_REGIONS", "a region name such as eu-west-1");
        }
        String role = env.getOrDefault("MEMBER_ROLE_NAME", "").strip();
        role = role.isEmpty() ? DEFAULT_MEMBER_ROLE_NAME : role;
        require(ROLE_NAME, role, "MEMBER_ROLE_NAME", "an IAM role name");
        String externalId = env.getOrDefault("MEMBER_EXTERNAL_ID", "").strip();
        String queue = env.getOrDefault("WORK_QUEUE_URL", "").strip();
        if (queue.isEmpty()) {
            throw new ConfigException("WORK_QUEUE_URL is not set: the organization run needs the URL of its work queue "
                    + "(template.yaml sets it to OrganizationWorkQueue)");
        }
        String runTable = env.getOrDefault("RUN_TABLE", "").strip();
        if (runTable.isEmpty()) {
            throw new ConfigException("RUN_TABLE is not set: the organization run records its units and publishes one roll-up from "
                    + "a DynamoDB table (template.yaml sets it to OrganizationRunTable)");
        }
        return Optional.of(new OrganizationConfig(new Targets(accounts, scope, regions), role,
                externalId.isEmpty() ? Optional.empty() : Optional.of(externalId), queue,
                positive(env, "WORK_MAX_RECEIVES", DEFAULT_MAX_RECEIVES), runTable,
                positive(env, "REPOSITORIES_PER_INVOCATION", DEFAULT_REPOSITORIES_PER_INVOCATION)));
    }

    private static int positive(Map<String, String> env, String name, int defaultValue) throws ConfigException {
        String value = env.getOrDefault(name, "").strip();
        if (value.isEmpty()) {
            return defaultValue;
        }
        try {
            int n = Integer.parseInt(value);
            if (n >= 1) {
                return n;
            }
        } catch (NumberFormatException e) {
            // said below
        }
        throw new ConfigException(name + ": '" + value + "' is not a positive whole number");
    }

    private static List<String> list(Map<String, String> env, String name) {
        return Arrays.stream(env.getOrDefault(name, "").split(",")).map(String::strip).filter(s -> !s.isEmpty()).distinct().toList();
    }

    private static void require(Pattern pattern, String value, String variable, String what) throws ConfigException {
        if (!pattern.matcher(value).matches()) {
            throw new ConfigException(variable + ": '" + value + "' is not " + what);
        }
    }
}
