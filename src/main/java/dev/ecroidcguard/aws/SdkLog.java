package dev.ecroidcguard.aws;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.PrintStream;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * The SDK's own warnings as JSON log lines on stdout, beside the function's ({@code type=sdk}): its SLF4J warnings and
 * errors (through the binding in {@code org.slf4j.impl}) and the retries {@link SdkRetryLog} sees, each with the
 * invocation's request id and the operation being called ({@code iam:ListRoles}). Rate-limited per source (the
 * logger's name, or {@code retry}): under throttling the SDK retries a lot, and the log must not cost more than the
 * scan; a line after a dropped stretch says how many were dropped.
 */
public final class SdkLog {

    /** Lines written per window at most. */
    static final int LINES_PER_WINDOW = 20;
    static final Duration WINDOW = Duration.ofMinutes(1);

    /** The one sink the SLF4J binding and the interceptor write to; stdout is what Lambda sends to CloudWatch. */
    public static final SdkLog INSTANCE = new SdkLog(() -> System.out, System::nanoTime);

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final Supplier<PrintStream> out;
    private final LongSupplier nanoClock;
    private final ThreadLocal<String> operation = new ThreadLocal<>();
    private final Map<String, Window> windows = new HashMap<>();
    private volatile String requestId;

    /** One source's lines in the current window, and those dropped since its last line. */
    private static final class Window {
        long start;
        int written;
        int dropped;
    }

    SdkLog(Supplier<PrintStream> out, LongSupplier nanoClock) {
        this.out = out;
        this.nanoClock = nanoClock;
    }

    /** The Lambda request id the following lines belong to (one invocation at a time per execution environment). */
    public void requestId(String id) {
        requestId = id;
    }

    /** The operation the current thread is calling, or null between calls. */
    void operation(String current) {
        if (current == null) {
            operation.remove();
        } else {
            operation.set(current);
        }
    }

    /** One line: {@code level} WARN or ERROR, {@code source} the SDK logger's name (or {@code retry}). */
    public void write(String level, String source, String message) {
        int droppedBefore;
        synchronized (windows) {
            long now = nanoClock.getAsLong();
            Window window = windows.computeIfAbsent(source, k -> new Window());
            if (window.written == 0 || now - window.start >= WINDOW.toNanos()) {
                window.start = now;
                window.written = 0;
            }
            if (window.written == LINES_PER_WINDOW) {
                window.dropped++;
                return;
            }
            window.written++;
            droppedBefore = window.dropped;
            window.dropped = 0;
        }
        ObjectNode line = MAPPER.createObjectNode();
        line.put("level", level);
        line.put("type", "sdk");
        line.put("requestId", requestId);
        line.put("operation", operation.get());
        line.put("logger", source);
        line.put("message", message);
        if (droppedBefore > 0) {
            line.put("droppedBefore", droppedBefore);
        }
        try {
            out.get().println(MAPPER.writeValueAsString(line));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
