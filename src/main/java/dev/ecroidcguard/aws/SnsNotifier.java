package dev.ecroidcguard.aws;

import dev.ecroidcguard.ports.Notification;
import dev.ecroidcguard.ports.Notifier;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sns.model.MessageAttributeValue;
import software.amazon.awssdk.services.sns.model.NotFoundException;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Publishes each part as one SNS message with {@code MessageStructure=json}, so every protocol gets its own
 * variant of the body (text for email, the JSON report for SQS/Lambda/HTTPS), and the attributes as
 * {@code String} message attributes that subscription filter policies can match. The SNS client is asked for at the
 * first publish, not before: a scan that has nothing to publish (the usual scheduled scan with {@code NOTIFY_ON=changes})
 * never builds it, which keeps it out of the cold start.
 */
public final class SnsNotifier implements Notifier {

    public static final Set<String> REQUIRED_PERMISSIONS = Set.of("sns:Publish");

    private final Supplier<SnsClient> sns;
    private final String topicArn;

    public SnsNotifier(Supplier<SnsClient> sns, String topicArn) {
        this.sns = sns;
        this.topicArn = topicArn;
    }

    @Override
    public void publish(List<Notification> parts) {
        for (Notification part : parts) {
            Map<String, MessageAttributeValue> attributes = new LinkedHashMap<>();
            part.attributes().forEach((name, value) ->
                    attributes.put(name, MessageAttributeValue.builder().dataType("String").stringValue(value).build()));
            try {
                sns.get().publish(r -> r.topicArn(topicArn)
                        .subject(part.subject())
                        .messageStructure("json")
                        .message(part.message())
                        .messageAttributes(attributes));
            } catch (NotFoundException e) {
                throw new TopicNotFound(topicArn, e);
            }
        }
    }

    /** SNS_TOPIC_ARN names a topic that does not exist (for the credentials' account and region). */
    public static final class TopicNotFound extends RuntimeException {
        TopicNotFound(String topicArn, NotFoundException cause) {
            super("SNS topic " + topicArn + " (SNS_TOPIC_ARN) does not exist: create it or point SNS_TOPIC_ARN at an existing "
                    + "topic (deployed, the stack's ReportTopic; locally, scripts/emulator creates the one events/env.json names). "
                    + "SNS said: " + cause.awsErrorDetails().errorMessage(), cause);
        }
    }
}
