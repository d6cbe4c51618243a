package dev.ecroidcguard.aws;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A fault-injecting HTTP proxy in front of moto, for tests: what the function sees on a bad day in AWS. Every
 * request passes through and is counted per operation (so call counts come from the wire, not from the
 * project's own counter); once {@link #arm armed}, a seeded share of them meets one of the {@link Fault}s,
 * answered in the service's own protocol (query/XML for IAM, STS, SNS, CloudFormation; JSON for ECR) so the SDK
 * treats them as it would treat AWS's. {@code /moto-api/} (reset) is never faulted.
 */
public final class FaultProxy implements AutoCloseable {

    /** What can go wrong with one call. */
    public enum Fault {
        /** HTTP 400 with the protocol's throttling error code; the request never reaches moto. */
        THROTTLE,
        /** HTTP 500 or 503; the request never reaches moto. */
        SERVER_ERROR,
        /** The connection is closed before anything is answered; the request never reaches moto. */
        RESET,
        /** The request reaches moto (a write is applied), then the connection is closed: the answer is lost. */
        LOST_AFTER_APPLY,
        /** The answer arrives late (a few hundred milliseconds). */
        DELAY
    }

    private static final Pattern CREDENTIAL_SERVICE = Pattern.compile("Credential=[^/]+/[^/]+/[^/]+/([^/]+)/aws4_request");
    private static final Set<String> UNFORWARDED_HEADERS = Set.of("host", "connection", "content-length", "expect", "upgrade",
            "transfer-encoding", "keep-alive");

    private final URI target;
    private final HttpServer server;
    // One virtual thread per request: the proxy itself never limits the calls in flight (a benchmark's simulated
    // latency keeps many of them waiting at once).
    private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> injected = new ConcurrentHashMap<>();
    private volatile Plan plan = Plan.OFF;
    private volatile Duration latency = Duration.ZERO;

    /** The calls that change an account: {@link Phase#AFTER_FIRST_WRITE} starts injecting after the first of them. */
    public static final Set<String> WRITES = Set.of("iam:CreateRole", "iam:DeleteRole", "iam:UpdateAssumeRolePolicy", "iam:PutRolePolicy",
            "iam:DeleteRolePolicy", "iam:AttachRolePolicy", "iam:DetachRolePolicy", "iam:TagRole", "ecr:SetRepositoryPolicy",
            "ecr:DeleteRepositoryPolicy");

    /** When faults start: at once, or once the function has written something (its read-back, restore and publish). */
    public enum Phase { ALWAYS, AFTER_FIRST_WRITE }

    /** The armed fault plan: a share of calls, the faults to draw from, the seed. */
    private static final class Plan {
        static final Plan OFF = new Plan(0, List.of(), 0, Set.of(), Phase.ALWAYS);

        final double rate;
        final List<Fault> faults;
        final Random random;
        final Set<String> operations;
        boolean started;

        Plan(double rate, List<Fault> faults, long seed, Set<String> operations, Phase phase) {
            this.rate = rate;
            this.faults = faults;
            this.random = new Random(seed);
            this.operations = operations;
            this.started = phase == Phase.ALWAYS;
        }

        synchronized Fault draw(String operation) {
            if (!started) {
                started = WRITES.contains(operation);
                return null;
            }
            if (rate <= 0 || (!operations.isEmpty() && !operations.contains(operation))) {
                return null;
            }
            return random.nextDouble() < rate ? faults.get(random.nextInt(faults.size())) : null;
        }

        synchronized int delayMillis() {
            return 200 + random.nextInt(300);
        }
    }

    public FaultProxy(URI target) {
        this.target = target;
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
        } catch (IOException e) {
            throw new IllegalStateException("cannot bind the fault proxy: " + e.getMessage(), e);
        }
        server.createContext("/", this::handle);
        server.setExecutor(threads);
        server.start();
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** From now on, a {@code rate} share of calls (of {@code operations}, or of all when empty) meets one of {@code faults}. */
    public void arm(double rate, long seed, List<Fault> faults, Set<String> operations, Phase phase) {
        plan = new Plan(rate, List.copyOf(faults), seed, Set.copyOf(operations), phase);
    }

    public void arm(double rate, long seed, List<Fault> faults, Phase phase) {
        arm(rate, seed, faults, Set.of(), phase);
    }

    /**
     * From now on every call (faulted or not, but never {@code /moto-api/}) is answered {@code latency} later: the
     * round trip to a real AWS endpoint, which moto on this machine does not have.
     */
    public void latency(Duration latency) {
        this.latency = latency;
    }

    public void disarm() {
        plan = Plan.OFF;
    }

    /** Calls that reached the proxy per {@code service:Operation}, faulted or not. */
    public Map<String, Integer> calls() {
        return snapshot(calls);
    }

    /** Faults injected per {@code FAULT service:Operation}. */
    public Map<String, Integer> injected() {
        return snapshot(injected);
    }

    public void resetCounts() {
        calls.clear();
        injected.clear();
    }

    private static Map<String, Integer> snapshot(Map<String, AtomicInteger> counts) {
        Map<String, Integer> out = new TreeMap<>();
        counts.forEach((k, v) -> out.put(k, v.get()));
        return out;
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readAllBytes();
            }
            String path = exchange.getRequestURI().getRawPath();
            if (path.startsWith("/moto-api")) {
                forward(exchange, body);
                return;
            }
            boolean json = exchange.getRequestHeaders().getFirst("X-Amz-Target") != null;
            String service = service(exchange);
            String operation = service + ":" + operation(exchange, body, json);
            calls.computeIfAbsent(operation, k -> new AtomicInteger()).incrementAndGet();
            Duration wait = latency;
            if (!wait.isZero()) {
                sleep(wait.toMillis());
            }
            Plan current = plan;
            Fault fault = current.draw(operation);
            if (fault == null) {
                forward(exchange, body);
                return;
            }
            injected.computeIfAbsent(fault + " " + operation, k -> new AtomicInteger()).incrementAndGet();
            switch (fault) {
                case THROTTLE -> error(exchange, 400, json, json ? "ThrottlingException" : "Throttling", "Rate exceeded");
                case SERVER_ERROR -> {
                    boolean unavailable = (operation.hashCode() & 1) == 0;
                    error(exchange, unavailable ? 503 : 500, json, unavailable ? "ServiceUnavailable" : "InternalFailure",
                            "injected server error");
                }
                case RESET -> { } // closing the exchange unanswered closes the connection
                case LOST_AFTER_APPLY -> send(exchange, body, false);
                case DELAY -> {
                    sleep(current.delayMillis());
                    forward(exchange, body);
                }
            }
        }
    }

    private void forward(HttpExchange exchange, byte[] body) throws IOException {
        send(exchange, body, true);
    }

    private void send(HttpExchange exchange, byte[] body, boolean answer) throws IOException {
        HttpRequest.Builder request = HttpRequest.newBuilder(target.resolve(exchange.getRequestURI().toString()))
                .method(exchange.getRequestMethod(), HttpRequest.BodyPublishers.ofByteArray(body))
                .timeout(Duration.ofSeconds(60));
        exchange.getRequestHeaders().forEach((name, values) -> {
            if (!UNFORWARDED_HEADERS.contains(name.toLowerCase(Locale.ROOT))) {
                values.forEach(v -> request.header(name, v));
            }
        });
        HttpResponse<byte[]> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        if (!answer) {
            return; // applied by moto, answer lost on the way back
        }
        response.headers().map().forEach((name, values) -> {
            if (!UNFORWARDED_HEADERS.contains(name.toLowerCase(Locale.ROOT)) && !name.startsWith(":")) {
                exchange.getResponseHeaders().put(name, values);
            }
        });
        byte[] bytes = response.body();
        exchange.sendResponseHeaders(response.statusCode(), bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            exchange.getResponseBody().write(bytes);
        }
    }

    private static void error(HttpExchange exchange, int status, boolean json, String code, String message) throws IOException {
        byte[] bytes;
        if (json) {
            exchange.getResponseHeaders().set("Content-Type", "application/x-amz-json-1.1");
            exchange.getResponseHeaders().set("x-amzn-ErrorType", code);
            bytes = ("{\"__type\":\"" + code + "\",\"message\":\"" + message + "\"}").getBytes(StandardCharsets.UTF_8);
        } else {
            exchange.getResponseHeaders().set("Content-Type", "text/xml");
            bytes = ("<ErrorResponse><Error><Type>" + (status < 500 ? "Sender" : "Receiver") + "</Type><Code>" + code + "</Code><Message>"
                    + message + "</Message></Error><RequestId>fault-proxy</RequestId></ErrorResponse>").getBytes(StandardCharsets.UTF_8);
        }
        exchange.getResponseHeaders().set("x-amzn-RequestId", "fault-proxy");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    private static String service(HttpExchange exchange) {
        String authorization = exchange.getRequestHeaders().getFirst("Authorization");
        if (authorization != null) {
            Matcher m = CREDENTIAL_SERVICE.matcher(authorization);
            if (m.find()) {
                return m.group(1);
            }
        }
        return "unknown";
    }

    private static String operation(HttpExchange exchange, byte[] body, boolean json) {
        if (json) {
            String target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
            return target.substring(target.lastIndexOf('.') + 1);
        }
        for (String pair : new String(body, StandardCharsets.UTF_8).split("&")) {
            if (pair.startsWith("Action=")) {
                return URLDecoder.decode(pair.substring("Action=".length()), StandardCharsets.UTF_8);
            }
        }
        return exchange.getRequestMethod() + " " + exchange.getRequestURI().getRawPath();
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }
}
