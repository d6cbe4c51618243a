package dev.ecroidcguard.cli;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Runs one invocation the way Lambda's Java runtime does, without Docker: the real runtime interface client
 * ({@code AWSLambda <handler>}) in a child JVM, talking to a one-shot Runtime API served here on 127.0.0.1.
 * The event goes out on the first {@code invocation/next}; the {@code response} or {@code error} POST is the
 * outcome. The client then asks for the next event at once: that request is held open until the child is
 * stopped (answering it with an error made the client's native code crash).
 */
public final class LocalInvoke {

    static final String RUNTIME_CLIENT = "com.amazonaws.services.lambda.runtime.api.client.AWSLambda";
    private static final String API = "/2018-06-01/runtime/";

    /** The function's answer: the response body, or the error document when {@code error}. */
    public record Outcome(boolean error, String body) {
    }

    /**
     * The classpath Lambda gives a function deployed from {@code packages} (target/package, laid out by the pom as sam
     * build zips it): the function's lib/ and the layers the template attaches with this environment, Security Hub's
     * when SECURITY_HUB is on and the full reports' when FULL_REPORT_BUCKET is set (template.yaml sets those variables
     * and attaches those layers from the same parameters; TemplateTest holds it to that).
     */
    public static List<String> packageClasspath(Path packages, String logicalId, Map<String, String> environment) throws IOException {
        Path lib = packages.resolve(logicalId).resolve("lib");
        if (!Files.isDirectory(lib)) {
            throw new IOException(packages.resolve(logicalId) + " is missing (no package of a function " + logicalId + "); run scripts/build");
        }
        List<String> classpath = new ArrayList<>(List.of(lib + "/*"));
        if ("on".equals(environment.getOrDefault("SECURITY_HUB", "").strip())) {
            classpath.add(packages.resolve("SecurityHubLayer/java/lib") + "/*");
        }
        if (!environment.getOrDefault("FULL_REPORT_BUCKET", "").isBlank()) {
            classpath.add(packages.resolve("FullReportsLayer/java/lib") + "/*");
        }
        return classpath;
    }

    /** What the child JVM runs and with what. */
    public record Function(String name, String handler, int memoryMb, Duration timeout, String region, Map<String, String> environment,
                           List<String> classpath) {
    }

    private LocalInvoke() {
    }

    public static Outcome invoke(Function function, byte[] event, PrintStream logs) throws IOException, InterruptedException {
        CompletableFuture<Outcome> outcome = new CompletableFuture<>();
        CountDownLatch stopping = new CountDownLatch(1);
        AtomicBoolean served = new AtomicBoolean();
        String requestId = UUID.randomUUID().toString();
        ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(threads);
        server.createContext(API, exchange -> {
            try (exchange) {
                String path = exchange.getRequestURI().getPath().substring(API.length());
                String method = exchange.getRequestMethod();
                if (method.equals("GET") && path.equals("invocation/next")) {
                    if (served.getAndSet(true)) {
                        stopping.await(); // the second "next": hold it until the child is stopped
                        return;
                    }
                    long deadline = System.currentTimeMillis() + function.timeout().toMillis();
                    exchange.getResponseHeaders().add("Lambda-Runtime-Aws-Request-Id", requestId);
                    exchange.getResponseHeaders().add("Lambda-Runtime-Deadline-Ms", Long.toString(deadline));
                    exchange.getResponseHeaders().add("Lambda-Runtime-Invoked-Function-Arn",
                            "arn:aws:lambda:" + function.region() + ":" + TemplateFunction.ACCOUNT_ID + ":function:" + function.name());
                    exchange.getResponseHeaders().add("Lambda-Runtime-Trace-Id", "Root=1-00000000-000000000000000000000000;Sampled=0");
                    exchange.getResponseHeaders().add("Content-Type", "application/json");
                    send(exchange, 200, event);
                } else if (method.equals("POST") && path.equals("invocation/" + requestId + "/response")) {
                    String body = read(exchange.getRequestBody());
                    send(exchange, 202, new byte[0]);
                    outcome.complete(new Outcome(false, body));
                } else if (method.equals("POST") && (path.equals("invocation/" + requestId + "/error") || path.equals("init/error"))) {
                    String body = read(exchange.getRequestBody());
                    send(exchange, 202, new byte[0]);
                    outcome.complete(new Outcome(true, body));
                } else {
                    send(exchange, 404, ("{\"errorMessage\":\"no " + method + " " + path + " here\"}").getBytes(StandardCharsets.UTF_8));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        server.start();
        Process child = null;
        try {
            child = start(function, server.getAddress().getPort(), logs);
            Process started = child;
            child.onExit().thenAccept(p -> outcome.completeExceptionally(
                    new IOException("the runtime exited with status " + started.exitValue() + " before answering")));
            // The runtime's own start-up comes on top of the function's timeout.
            return outcome.get(function.timeout().toMillis() + 30_000, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            return new Outcome(true, "{\"errorType\":\"Timeout\",\"errorMessage\":\"no answer within the function's timeout of "
                    + function.timeout().toSeconds() + " s\"}");
        } catch (ExecutionException e) {
            throw new IOException(e.getCause().getMessage(), e.getCause());
        } finally {
            if (child != null) {
                child.destroy();
                if (!child.waitFor(5, TimeUnit.SECONDS)) {
                    child.destroyForcibly().waitFor();
                }
            }
            stopping.countDown();
            server.stop(0);
            threads.shutdownNow();
        }
    }

    private static Process start(Function function, int port, PrintStream logs) throws IOException {
        String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        // Close to the JVM flags of Lambda's Java runtime: serial GC, C1 only, heap from the memory setting.
        List<String> command = List.of(javaBin, "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-Xmx" + (function.memoryMb() * 85 / 100) + "m", "--enable-native-access=ALL-UNNAMED",
                "-cp", String.join(File.pathSeparator, function.classpath()), RUNTIME_CLIENT, function.handler());
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        Map<String, String> env = builder.environment();
        env.clear();
        env.putAll(function.environment());
        env.put("AWS_LAMBDA_RUNTIME_API", "127.0.0.1:" + port);
        env.put("_HANDLER", function.handler());
        env.put("AWS_LAMBDA_FUNCTION_NAME", function.name());
        env.put("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST");
        env.put("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", Integer.toString(function.memoryMb()));
        env.put("AWS_REGION", function.region());
        env.put("AWS_DEFAULT_REGION", function.region());
        Process process = builder.start();
        Thread.ofVirtual().start(() -> {
            try (InputStream out = process.getInputStream()) {
                out.transferTo(logs);
            } catch (IOException ignored) {
                // the child is being stopped; its last output does not matter
            }
        });
        return process;
    }

    private static String read(InputStream in) throws IOException {
        return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }

    private static void send(HttpExchange exchange, int status, byte[] body) throws IOException {
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }
}
