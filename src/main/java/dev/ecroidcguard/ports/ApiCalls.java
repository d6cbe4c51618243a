package dev.ecroidcguard.ports;

import java.util.Map;
import java.util.TreeMap;

/**
 * The one count of AWS API calls, per operation as {@code service:Operation} ({@code iam:ListRoles} -> 2): every
 * adapter's calls go through it (in production an SDK interceptor), so the function result, the report and the
 * logs all quote the same figure. The count lives as long as the adapters, so a scan takes {@link #counts()} before
 * and {@link #since(Map)} after the work it reports on.
 */
public interface ApiCalls {

    /** Every call counted so far, by operation. */
    Map<String, Integer> counts();

    /** The calls made since {@code before} (an earlier {@link #counts()}), sorted, without operations that made none. */
    default Map<String, Integer> since(Map<String, Integer> before) {
        Map<String, Integer> out = new TreeMap<>();
        counts().forEach((operation, n) -> {
            int delta = n - before.getOrDefault(operation, 0);
            if (delta > 0) {
                out.put(operation, delta);
            }
        });
        return out;
    }

    /** Adapters that make no API calls (a snapshot file). */
    ApiCalls NONE = Map::of;
}
