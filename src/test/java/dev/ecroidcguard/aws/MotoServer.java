package dev.ecroidcguard.aws;

import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.regions.Region;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * JUnit 5 extension: one moto server per JVM ({@code moto_server -H 127.0.0.1 -p <free port>}), started on first
 * use, health-checked on {@code GET /moto-api/}, reset with {@code POST /moto-api/reset} before every test and
 * stopped when the test run ends. Tests receive {@link Moto} as a parameter. A missing moto fails the tests
 * (it is installed by scripts/setup-tools); an integration suite that quietly skips proves nothing.
 */
public final class MotoServer implements BeforeEachCallback, ParameterResolver {

    public static final Region REGION = Region.US_EAST_1;
    /** moto's default account (MOTO_ACCOUNT_ID changes it; these tests keep the default). */
    public static final String ACCOUNT_ID = "123456789012";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(30);
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(MotoServer.class);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    /**
     * A running moto server: its endpoint and clients pointed at it with dummy static credentials. The clients record
     * the calls the production code makes through them ({@link CallsMade}).
     */
    public record Moto(URI endpoint) {
        public AwsClients clients() {
            return clients(List.of());
        }

        /** Clients with {@code interceptors} after the recorder (tests inject failures this way). */
        public AwsClients clients(List<ExecutionInterceptor> interceptors) {
            List<ExecutionInterceptor> all = new ArrayList<>(List.of(CallsMade.RECORDER));
            all.addAll(interceptors);
            return AwsClients.forEndpoint(REGION, endpoint, credentials(), all);
        }

        public StaticCredentialsProvider credentials() {
            return StaticCredentialsProvider.create(AwsBasicCredentials.create("testing", "testing"));
        }
    }

    @Override
    public void beforeEach(ExtensionContext context) throws Exception {
        CallsMade.RECORDER.served(context.getRequiredTestClass());
        Moto moto = server(context).moto();
        HttpResponse<String> reset = HTTP.send(HttpRequest.newBuilder(moto.endpoint().resolve("/moto-api/reset"))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        if (reset.statusCode() != 200) {
            throw new IllegalStateException("moto reset answered HTTP " + reset.statusCode() + ": " + reset.body());
        }
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == Moto.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return server(context).moto();
    }

    /** The JVM-wide server, kept in the root store so JUnit closes it once, after the last test. */
    private static RunningServer server(ExtensionContext context) {
        return context.getRoot().getStore(NAMESPACE).getOrComputeIfAbsent(RunningServer.class, k -> RunningServer.start(),
                RunningServer.class);
    }

    private record RunningServer(Process process, Moto moto) implements AutoCloseable {

        static RunningServer start() {
            Path binary = binary();
            if (!Files.isExecutable(binary)) {
                throw new IllegalStateException("moto_server not found at " + binary
                        + ": run scripts/setup-tools (or set MOTO_SERVER to a moto_server executable)");
            }
            int port = freePort();
            Path log = Path.of("target", "moto-server.log").toAbsolutePath();
            Process process;
            try {
                Files.createDirectories(log.getParent());
                process = new ProcessBuilder(binary.toString(), "-H", "127.0.0.1", "-p", String.valueOf(port))
                        .redirectErrorStream(true)
                        .redirectOutput(log.toFile())
                        .start();
            } catch (IOException e) {
                throw new IllegalStateException("could not start " + binary + ": " + e.getMessage(), e);
            }
            RunningServer server = new RunningServer(process, new Moto(URI.create("http://127.0.0.1:" + port)));
            server.awaitReady(log);
            return server;
        }

        private void awaitReady(Path log) {
            Instant deadline = Instant.now().plus(START_TIMEOUT);
            HttpRequest health = HttpRequest.newBuilder(moto.endpoint().resolve("/moto-api/")).timeout(Duration.ofSeconds(2)).build();
            while (Instant.now().isBefore(deadline)) {
                if (!process.isAlive()) {
                    throw new IllegalStateException("moto_server exited with " + process.exitValue() + "; see " + log);
                }
                try {
                    if (HTTP.send(health, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                        return;
                    }
                } catch (IOException notYet) {
                    // refused or reset while it binds the port: still starting
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
                sleep(100);
            }
            close();
            throw new IllegalStateException("moto_server did not answer GET /moto-api/ within " + START_TIMEOUT + "; see " + log);
        }

        @Override
        public void close() {
            process.destroy();
            try {
                if (!process.waitFor(5, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        private static Path binary() {
            String configured = System.getenv("MOTO_SERVER");
            if (configured != null && !configured.isBlank()) {
                return Path.of(configured);
            }
            // Surefire runs in the project directory.
            return Path.of(".tools", "moto", "bin", "moto_server").toAbsolutePath();
        }

        private static int freePort() {
            try (ServerSocket socket = new ServerSocket(0)) {
                return socket.getLocalPort();
            } catch (IOException e) {
                throw new IllegalStateException("no free local port for moto: " + e.getMessage(), e);
            }
        }

        private static void sleep(long millis) {
            try {
                Thread.sleep(millis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
