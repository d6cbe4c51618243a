package dev.ecroidcguard.aws;

/**
 * How many per-repository reads may be in flight: additive increase while the service answers (one more per
 * window of successes), halving on a throttle, between {@code min} and {@code max}. A burst of throttles from
 * reads that were all started under the same limit halves it once, not once per throttle: only a read started
 * after the last decrease can decrease it again. The SDK's adaptive retry is a per-client rate limiter that every
 * reader thread waits on after a single throttle; this paces only the independent reads, and only as far as the
 * service pushes back.
 */
final class AdaptiveConcurrency {

    private final int min;
    private final int max;
    private double limit;
    private int inFlight;
    private long epoch;

    AdaptiveConcurrency(int initial, int min, int max) {
        if (min < 1 || initial < min || max < initial) {
            throw new IllegalArgumentException("need 1 <= min <= initial <= max, got " + min + ", " + initial + ", " + max);
        }
        this.min = min;
        this.max = max;
        this.limit = initial;
    }

    /** Waits for a slot; returns the ticket to hand back to {@link #release}. */
    synchronized long acquire() throws InterruptedException {
        while (inFlight >= (int) limit) {
            wait();
        }
        inFlight++;
        return epoch;
    }

    /** Frees the slot of a read started with {@code ticket}; {@code throttled} when the service pushed back. */
    synchronized void release(long ticket, boolean throttled) {
        inFlight--;
        if (throttled) {
            if (ticket == epoch) {
                limit = Math.max(min, limit / 2);
                epoch++;
            }
        } else {
            limit = Math.min(max, limit + 1 / limit);
        }
        notifyAll();
    }

    synchronized int limit() {
        return (int) limit;
    }
}
