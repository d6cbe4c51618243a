package dev.ecroidcguard.aws;

import dev.ecroidcguard.lambda.Adapters;
import dev.ecroidcguard.lambda.FunctionConfig;

/** Production wiring: SDK clients from the environment (region, credentials, AWS_ENDPOINT_URL), built once. */
public final class AwsAdapters implements Adapters.Factory {

    @Override
    public Adapters create(FunctionConfig config) {
        AwsClients clients = AwsClients.fromEnvironment(System.getenv());
        return new Adapters(AwsInventorySource.of(clients), new SnsNotifier(clients.sns(), config.snsTopicArn()));
    }
}
