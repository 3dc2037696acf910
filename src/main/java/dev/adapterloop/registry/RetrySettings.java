package dev.adapterloop.registry;

import java.time.Duration;
import java.util.Objects;

/**
 * How {@link ObjectStore} retries a call that failed in a way retrying can help ({@link ObjectStoreException#isRetriable()}:
 * refused or reset connections, timeouts, 5xx, {@code SlowDown}): up to {@code maxAttempts} attempts in all, waiting
 * {@code initialBackoff}, then twice as long each time up to {@code maxBackoff} (each wait varied by ±25% so that
 * replicas do not retry in step), and no new attempt once {@code maxDuration} has passed since the first.
 * A 404, 403, bad key or failed precondition is never retried.
 */
public record RetrySettings(int maxAttempts, Duration initialBackoff, Duration maxBackoff, Duration maxDuration) {
    /** About 30 s of retrying in all: waits of 0.2, 0.4, 0.8, 1.6, 3.2 s and then 5 s each. */
    public static final RetrySettings DEFAULT = new RetrySettings(10, Duration.ofMillis(200), Duration.ofSeconds(5),
            Duration.ofSeconds(30));
    /** One attempt, no retry. */
    public static final RetrySettings NONE = new RetrySettings(1, Duration.ofMillis(1), Duration.ofMillis(1),
            Duration.ofSeconds(1));
    /** Each wait is varied by up to this fraction of itself. */
    static final double JITTER = 0.25;

    public RetrySettings {
        Objects.requireNonNull(initialBackoff, "initialBackoff");
        Objects.requireNonNull(maxBackoff, "maxBackoff");
        Objects.requireNonNull(maxDuration, "maxDuration");
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("`maxAttempts` must be >= 1 (1: no retry), got " + maxAttempts);
        }
        if (initialBackoff.isNegative() || initialBackoff.isZero()) {
            throw new IllegalArgumentException("`initialBackoff` must be > 0, got " + initialBackoff);
        }
        if (maxBackoff.compareTo(initialBackoff) < 0) {
            throw new IllegalArgumentException("`maxBackoff` must be >= `initialBackoff` (" + initialBackoff + "), got "
                    + maxBackoff);
        }
        if (maxDuration.compareTo(initialBackoff) <= 0) {
            throw new IllegalArgumentException("`maxDuration` must be > `initialBackoff` (" + initialBackoff + "), got "
                    + maxDuration);
        }
    }

    public boolean retries() {
        return maxAttempts > 1;
    }
}
