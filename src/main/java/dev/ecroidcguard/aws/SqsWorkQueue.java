package dev.ecroidcguard.aws;

import dev.ecroidcguard.ports.WorkQueue;
import software.amazon.awssdk.services.sqs.SqsClient;

import java.util.Set;

/** The organization run's work queue (template.yaml's OrganizationWorkQueue). */
public final class SqsWorkQueue implements WorkQueue {

    public static final Set<String> REQUIRED_PERMISSIONS = Set.of("sqs:SendMessage");

    private final SqsClient sqs;
    private final String queueUrl;

    public SqsWorkQueue(SqsClient sqs, String queueUrl) {
        this.sqs = sqs;
        this.queueUrl = queueUrl;
    }

    @Override
    public void send(String message) {
        sqs.sendMessage(r -> r.queueUrl(queueUrl).messageBody(message));
    }
}
