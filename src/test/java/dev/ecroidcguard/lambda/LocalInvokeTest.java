package dev.ecroidcguard.lambda;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ecroidcguard.cli.LocalInvoke;
import dev.ecroidcguard.testing.Fakes;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The handler run by the real runtime interface client against LocalInvoke's one-shot Runtime API. */
class LocalInvokeTest {

    static final ObjectMapper MAPPER = new ObjectMapper();

    /** ScanHandler over the in-memory account, built as the runtime builds handlers: no-arg constructor, env from the process. */
    public static final class FakeAccountHandler implements RequestHandler<Object, InvocationResult> {
        private final ScanHandler handler = new ScanHandler(System.getenv(),
                () -> config -> new Fakes.FakeInventory(Fakes.smallAccount(), List.of()).readOnly(parts -> { }),
                System.out, InstantSource.system());

        @Override
        public InvocationResult handleRequest(Object event, Context context) {
            return handler.handleRequest(event, context);
        }
    }

    static LocalInvoke.Outcome invoke(String event, Map<String, String> env, ByteArrayOutputStream logs) throws Exception {
        return invoke(Files.readAllBytes(Path.of("events", event)), env, logs);
    }

    static LocalInvoke.Outcome invoke(byte[] event, Map<String, String> env, ByteArrayOutputStream logs) throws Exception {
        List<String> classpath = Arrays.asList(System.getProperty("java.class.path").split(File.pathSeparator));
        LocalInvoke.Function function = new LocalInvoke.Function("ScanFunction", FakeAccountHandler.class.getName() + "::handleRequest",
                512, Duration.ofSeconds(30), "us-east-1", env, classpath);
        return LocalInvoke.invoke(function, event, new PrintStream(logs, true, StandardCharsets.UTF_8));
    }

    @Test
    void scheduledEventRunsThroughTheRuntimeClientAndAnswersWithTheResult() throws Exception {
        ByteArrayOutputStream logs = new ByteArrayOutputStream();

        LocalInvoke.Outcome outcome = invoke("scheduled.json", FunctionConfigTest.env(), logs);

        assertThat(outcome.error()).as(logs.toString(StandardCharsets.UTF_8)).isFalse();
        JsonNode result = MAPPER.readTree(outcome.body());
        assertThat(result.get("status").asText()).isEqualTo("scanned");
        assertThat(result.get("trigger").asText()).isEqualTo("schedule");
        assertThat(result.get("findings").asInt()).isEqualTo(1);
        assertThat(logs.toString(StandardCharsets.UTF_8)).contains("\"type\":\"summary\"", "\"type\":\"finding\"");
    }

    @Test
    void badConfigurationIsAFunctionErrorWithItsMessage() throws Exception {
        Map<String, String> env = FunctionConfigTest.env("NOTIFY_ON", "sometimes");

        LocalInvoke.Outcome outcome = invoke("iam-attach-role-policy.json", env, new ByteArrayOutputStream());

        assertThat(outcome.error()).isTrue();
        JsonNode error = MAPPER.readTree(outcome.body());
        assertThat(error.get("errorType").asText()).isEqualTo(ScanHandler.ConfigurationError.class.getName());
        assertThat(error.get("errorMessage").asText()).contains("NOTIFY_ON='sometimes'");
    }

    /**
     * Issue 12, problem 13: through the real runtime client, a scalar event or a string or array detail failed in the
     * runtime's deserializer (and was retried into the DLQ). Now each is rejected with a reason, as a normal return.
     */
    @Test
    void malformedEventsAreRejectedWithAReasonNotFailed() throws Exception {
        Map<String, String> malformed = new java.util.LinkedHashMap<>();
        malformed.put("42", "the event is a number");
        malformed.put("\"hello\"", "the event is a string");
        malformed.put("[1,2]", "the event is an array");
        malformed.put("{\"detail-type\":\"AWS API Call via CloudTrail\",\"source\":\"aws.ecr\",\"detail\":\"CreateRepository\"}",
                "detail is a string");
        malformed.put("{\"detail-type\":\"AWS API Call via CloudTrail\",\"source\":\"aws.ecr\",\"detail\":[1]}", "detail is an array");
        for (Map.Entry<String, String> event : malformed.entrySet()) {
            ByteArrayOutputStream logs = new ByteArrayOutputStream();
            LocalInvoke.Outcome outcome = invoke(event.getKey().getBytes(StandardCharsets.UTF_8), FunctionConfigTest.env(), logs);

            assertThat(outcome.error()).as(event.getKey() + ": " + outcome.body() + logs.toString(StandardCharsets.UTF_8)).isFalse();
            JsonNode result = MAPPER.readTree(outcome.body());
            assertThat(result.get("status").asText()).as(event.getKey()).isEqualTo("rejected");
            assertThat(result.get("reason").asText()).as(event.getKey()).contains(event.getValue());
        }
    }
}
