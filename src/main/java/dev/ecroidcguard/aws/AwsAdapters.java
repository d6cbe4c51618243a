package dev.ecroidcguard.aws;

import dev.ecroidcguard.lambda.Adapters;
import dev.ecroidcguard.lambda.FunctionConfig;
import dev.ecroidcguard.remediation.Ownership;

import java.util.Map;

/**
 * Production wiring: SDK clients from the environment (region, credentials, AWS_ENDPOINT_URL), built once.
 * {@code OWNERSHIP_LOOKUP=stack-index} selects {@link StackIndexOwnership} for emulators that cannot look a stack
 * resource up by physical id (moto); the default is {@link CloudFormationOwnership}, which template.yaml grants.
 */
public final class AwsAdapters implements Adapters.Factory {

    @Override
    public Adapters create(FunctionConfig config) {
        return create(config, AwsClients.fromEnvironment(System.getenv()), System.getenv());
    }

    public static Adapters create(FunctionConfig config, AwsClients clients, Map<String, String> env) {
        Ownership ownership = "stack-index".equals(env.getOrDefault("OWNERSHIP_LOOKUP", "").strip())
                ? new StackIndexOwnership(clients.cloudFormation())
                : new CloudFormationOwnership(clients.cloudFormation());
        return new Adapters(AwsInventorySource.of(clients), new SnsNotifier(clients.sns(), config.snsTopicArn()),
                new AwsAccountWriter(clients.iam(), clients.ecr()), ownership);
    }
}
