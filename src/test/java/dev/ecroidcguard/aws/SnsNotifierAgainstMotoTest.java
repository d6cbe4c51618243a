package dev.ecroidcguard.aws;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ecroidcguard.ports.Notification;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** What an SQS subscriber of the topic receives from {@link SnsNotifier}: the SNS envelope, the sqs variant, the attributes. */
@ExtendWith(MotoServer.class)
class SnsNotifierAgainstMotoTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void anSqsSubscriberReceivesEachPartAsAnEnvelopeWithTheSqsVariantSubjectAndAttributes(MotoServer.Moto moto) throws Exception {
        try (AwsClients clients = moto.clients();
             SqsClient sqs = SqsClient.builder().region(MotoServer.REGION).endpointOverride(moto.endpoint())
                     .credentialsProvider(moto.credentials()).httpClientBuilder(UrlConnectionHttpClient.builder()).build()) {
            String topic = clients.sns().createTopic(r -> r.name("ecr-oidc-guard-report")).topicArn();
            String queueUrl = sqs.createQueue(r -> r.queueName("report-subscriber")).queueUrl();
            String queueArn = sqs.getQueueAttributes(r -> r.queueUrl(queueUrl).attributeNames(QueueAttributeName.QUEUE_ARN))
                    .attributes().get(QueueAttributeName.QUEUE_ARN);
            clients.sns().subscribe(r -> r.topicArn(topic).protocol("sqs").endpoint(queueArn));

            String sqsVariant = "{\"report\":{\"findings\":1},\"part\":1}";
            String body = JSON.writeValueAsString(Map.of(
                    "default", "1 finding\napi ROLE_MISSING BROKEN no role github-actions-api",
                    "sqs", sqsVariant, "lambda", sqsVariant, "https", sqsVariant));
            Map<String, String> attributes = Map.of("severity", "BROKEN", "findingCount", "1", "account", MotoServer.ACCOUNT_ID,
                    "region", "us-east-1");
            new SnsNotifier(clients::sns, topic).publish(List.of(
                    new Notification("ecr-oidc-guard: 1 finding (part 1/2)", body, attributes),
                    new Notification("ecr-oidc-guard: 1 finding (part 2/2)", body.replace("\\\"part\\\":1", "\\\"part\\\":2"), attributes)));

            List<JsonNode> envelopes = new ArrayList<>();
            for (int attempt = 0; attempt < 10 && envelopes.size() < 2; attempt++) {
                for (Message m : sqs.receiveMessage(r -> r.queueUrl(queueUrl).maxNumberOfMessages(10).waitTimeSeconds(1)).messages()) {
                    envelopes.add(JSON.readTree(m.body()));
                }
            }

            assertThat(envelopes).hasSize(2);
            envelopes.sort(java.util.Comparator.comparing(e -> e.path("Subject").asText()));
            JsonNode first = envelopes.getFirst();
            assertThat(first.path("Type").asText()).isEqualTo("Notification");
            assertThat(first.path("TopicArn").asText()).isEqualTo(topic);
            assertThat(first.path("Subject").asText()).isEqualTo("ecr-oidc-guard: 1 finding (part 1/2)");
            // MessageStructure=json: the queue gets the "sqs" variant, not the text for email.
            assertThat(JSON.readTree(first.path("Message").asText())).isEqualTo(JSON.readTree(sqsVariant));
            assertThat(JSON.readTree(envelopes.get(1).path("Message").asText()).path("part").asInt()).isEqualTo(2);
            JsonNode delivered = first.path("MessageAttributes");
            attributes.forEach((name, value) -> {
                assertThat(delivered.path(name).path("Type").asText()).as(name).isEqualTo("String");
                assertThat(delivered.path(name).path("Value").asText()).as(name).isEqualTo(value);
            });
        }
    }
}
