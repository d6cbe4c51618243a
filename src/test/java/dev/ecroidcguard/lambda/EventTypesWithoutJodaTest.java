package dev.ecroidcguard.lambda;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import dev.ecroidcguard.core.RoleNaming;
import org.junit.jupiter.api.Test;

import java.io.File;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The function's zip leaves joda-time out of aws-lambda-java-events (pom.xml): only {@code ScheduledEvent.time} is a
 * joda type, and the function never sets or reads it. {@link InZip} runs on a class path without joda-time, as in the
 * zip, and uses the event types as the function does: an EventBridge envelope routed by {@link EventRouting}, the
 * {@code toString}/{@code equals}/{@code hashCode} a log line or a collection may call, and an SQS batch response.
 * (Reflecting over {@code ScheduledEvent}'s constructors or methods would load joda: its all-arguments constructor
 * and {@code getTime} name {@code DateTime}; the function does neither.)
 */
class EventTypesWithoutJodaTest {

    /** Loaded by the joda-free class loader; its calls are linked there. */
    public static final class InZip implements Callable<String> {
        @Override
        public String call() throws Exception {
            Map<String, Object> envelope = Map.of("version", "0", "id", "e-1", "detail-type", "AWS API Call via CloudTrail", "source", "aws.ecr",
                    "account", "123456789012", "region", "us-east-1",
                    "detail", Map.of("eventSource", "ecr.amazonaws.com", "eventName", "CreateRepository",
                            "requestParameters", Map.of("repositoryName", "web")));
            EventRouting.Route route = EventRouting.route(envelope, RoleNaming.of("github-actions-{repository}"), EventRouting.Home.UNKNOWN);

            ScheduledEvent event = new ScheduledEvent();
            ScheduledEvent same = new ScheduledEvent();
            for (ScheduledEvent e : List.of(event, same)) {
                e.setDetailType("Scheduled Event");
                e.setAccount("123456789012");
            }
            SQSBatchResponse batch = new SQSBatchResponse(List.of(new SQSBatchResponse.BatchItemFailure("message-1")));
            return route + "|" + event + "|" + event.equals(same) + "|" + (event.hashCode() == same.hashCode()) + "|"
                    + batch.getBatchItemFailures().getFirst().getItemIdentifier();
        }
    }

    @Test
    void theEventTypesWorkAsTheFunctionUsesThemWithoutJodaTime() throws Exception {
        URL[] withoutJoda = Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(entry -> !Path.of(entry).getFileName().toString().startsWith("joda-time"))
                .map(EventTypesWithoutJodaTest::url).toArray(URL[]::new);
        try (URLClassLoader zip = new URLClassLoader(withoutJoda, ClassLoader.getPlatformClassLoader())) {
            assertThatThrownBy(() -> Class.forName("org.joda.time.DateTime", false, zip)).isInstanceOf(ClassNotFoundException.class);
            Class<?> inZip = Class.forName(InZip.class.getName(), true, zip);
            assertThat(inZip.getClassLoader()).isSameAs(zip);

            @SuppressWarnings("unchecked")
            String seen = ((Callable<String>) inZip.getConstructor().newInstance()).call();

            String[] parts = seen.split("\\|");
            assertThat(parts[0]).startsWith("Scan[").contains("web");
            assertThat(parts[1]).contains("detailType: Scheduled Event", "account: 123456789012");
            assertThat(parts).containsSubsequence("true", "true", "message-1");
        }
    }

    private static URL url(String classPathEntry) {
        try {
            return Path.of(classPathEntry).toUri().toURL();
        } catch (MalformedURLException e) {
            throw new IllegalStateException(e);
        }
    }
}
