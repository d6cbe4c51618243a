package dev.ecroidcguard.aws;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.http.SdkHttpFullResponse;
import software.amazon.awssdk.regions.Region;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.reflect.Proxy;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

class SdkLogTest {

    static final ObjectMapper MAPPER = new ObjectMapper();

    final ByteArrayOutputStream out = new ByteArrayOutputStream();
    final AtomicLong nanos = new AtomicLong();
    final SdkLog log = new SdkLog(() -> new PrintStream(out, true, StandardCharsets.UTF_8), nanos::get);

    List<JsonNode> lines(ByteArrayOutputStream bytes) {
        return Arrays.stream(bytes.toString(StandardCharsets.UTF_8).split("\n")).filter(l -> !l.isBlank()).map(l -> {
            try {
                return MAPPER.readTree(l);
            } catch (Exception e) {
                throw new AssertionError("not a JSON line: " + l, e);
            }
        }).toList();
    }

    static ExecutionAttributes listRoles() {
        ExecutionAttributes attributes = new ExecutionAttributes();
        attributes.putAttribute(SdkExecutionAttribute.SERVICE_NAME, "Iam");
        attributes.putAttribute(SdkExecutionAttribute.OPERATION_NAME, "ListRoles");
        return attributes;
    }

    static Context.AfterTransmission response(int status) {
        SdkHttpFullResponse response = SdkHttpFullResponse.builder().statusCode(status).build();
        return (Context.AfterTransmission) Proxy.newProxyInstance(SdkLogTest.class.getClassLoader(),
                new Class<?>[]{Context.AfterTransmission.class}, (proxy, method, args) -> {
                    if (method.getName().equals("httpResponse")) {
                        return response;
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
    }

    @Test
    void theSdksWarningsBecomeJsonLinesAndItsDebugOutputIsDropped() {
        PrintStream stdout = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            SdkLog.INSTANCE.requestId("req-7");
            Logger logger = LoggerFactory.getLogger("software.amazon.awssdk.SdkLogTest");
            logger.debug("dropped {}", 1);
            logger.info("dropped");
            logger.warn("Rate exceeded for {} ({})", "iam", 3);
            logger.error("failed", new IllegalStateException("boom"));
        } finally {
            System.setOut(stdout);
            SdkLog.INSTANCE.requestId(null);
        }

        assertThat(lines(captured)).satisfiesExactly(warn -> {
            assertThat(warn.get("level").asText()).isEqualTo("WARN");
            assertThat(warn.get("type").asText()).isEqualTo("sdk");
            assertThat(warn.get("requestId").asText()).isEqualTo("req-7");
            assertThat(warn.get("logger").asText()).isEqualTo("software.amazon.awssdk.SdkLogTest");
            assertThat(warn.get("message").asText()).isEqualTo("Rate exceeded for iam (3)");
        }, error -> {
            assertThat(error.get("level").asText()).isEqualTo("ERROR");
            assertThat(error.get("message").asText()).isEqualTo("failed: java.lang.IllegalStateException: boom");
        });
    }

    @Test
    void aRetryIsLoggedWithTheOperationAndWhatThePreviousAttemptGot() {
        SdkRetryLog retries = new SdkRetryLog(log);
        ExecutionAttributes call = listRoles();

        retries.beforeExecution(null, call);
        retries.beforeTransmission(null, call);
        retries.afterTransmission(response(400), call);
        retries.beforeTransmission(null, call);
        retries.beforeTransmission(null, call);
        retries.afterTransmission(response(200), call);
        retries.afterExecution(null, call);
        log.write("WARN", "software.amazon.awssdk.other", "between calls");

        assertThat(lines(out)).satisfiesExactly(retry -> {
            assertThat(retry.get("logger").asText()).isEqualTo("retry");
            assertThat(retry.get("operation").asText()).isEqualTo("iam:ListRoles");
            assertThat(retry.get("message").asText()).isEqualTo("retrying iam:ListRoles: attempt 2, the previous one got HTTP 400");
        }, retry -> assertThat(retry.get("message").asText()).isEqualTo("retrying iam:ListRoles: attempt 3, the previous one got no response"),
                other -> assertThat(other.get("operation").isNull()).isTrue());
    }

    @Test
    void eachSourceWritesAtMostItsShareAMinuteAndThenSaysHowManyItDropped() {
        for (int i = 0; i < SdkLog.LINES_PER_WINDOW + 5; i++) {
            log.write("WARN", "noisy", "line " + i);
        }
        log.write("WARN", "quiet", "still heard");
        nanos.addAndGet(SdkLog.WINDOW.toNanos());
        log.write("WARN", "noisy", "next minute");

        List<JsonNode> lines = lines(out);
        assertThat(lines).filteredOn(l -> l.get("logger").asText().equals("noisy")).hasSize(SdkLog.LINES_PER_WINDOW + 1)
                .last().satisfies(l -> {
                    assertThat(l.get("message").asText()).isEqualTo("next minute");
                    assertThat(l.get("droppedBefore").asInt()).isEqualTo(5);
                });
        assertThat(lines).filteredOn(l -> l.get("logger").asText().equals("quiet")).singleElement()
                .satisfies(l -> assertThat(l.has("droppedBefore")).isFalse());
    }

    @Test
    void theSdkCallsTheRetryLogOnEveryAttemptOfARealCall() throws Exception {
        AtomicLong requests = new AtomicLong();
        HttpServer iam = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        iam.createContext("/", exchange -> {
            exchange.getRequestBody().readAllBytes();
            byte[] body = requests.getAndIncrement() == 0 ? new byte[0] : """
                    <ListRolesResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/"><ListRolesResult><Roles/>\
                    <IsTruncated>false</IsTruncated></ListRolesResult></ListRolesResponse>""".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(requests.get() == 1 ? 503 : 200, body.length == 0 ? -1 : body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        iam.start();
        try (AwsClients clients = new AwsClients(Region.US_EAST_1, Optional.of(URI.create("http://127.0.0.1:" + iam.getAddress().getPort())),
                StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDEXAMPLE", "secret")), List.of(), log)) {
            assertThat(clients.iam().listRoles().roles()).isEmpty();
            assertThat(clients.calls().counts()).containsEntry("iam:ListRoles", 1);
        } finally {
            iam.stop(0);
        }

        assertThat(requests).hasValue(2);
        assertThat(lines(out)).singleElement().satisfies(retry -> {
            assertThat(retry.get("operation").asText()).isEqualTo("iam:ListRoles");
            assertThat(retry.get("message").asText()).isEqualTo("retrying iam:ListRoles: attempt 2, the previous one got HTTP 503");
        });
    }
}
