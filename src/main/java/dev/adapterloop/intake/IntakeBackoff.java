package dev.adapterloop.intake;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Waits between intake attempts on a passing fault: {@code initial}, doubling up to {@code max}, each varied by ±25 %
 * so that replicas do not retry in step. No limit in time: the event is not committed meanwhile, so nothing is lost
 * however long the outage lasts.
 */
record IntakeBackoff(Duration initial, Duration max) {

    IntakeBackoff {
        if (initial.isNegative() || initial.isZero()) {
            throw new IllegalArgumentException("adapterloop.intake.retry.initial-backoff must be > 0, got " + initial);
        }
        if (max.compareTo(initial) < 0) {
            throw new IllegalArgumentException("adapterloop.intake.retry.max-backoff (" + max
                    + ") must be >= adapterloop.intake.retry.initial-backoff (" + initial + ")");
        }
    }

    /** The wait before attempt {@code attempt + 1}, after {@code attempt} failed ones (1 or more). */
    Duration after(int attempt) {
        long base = initial.toMillis() << Math.min(attempt - 1, 20);
        long capped = Math.min(base, max.toMillis());
        double jitter = 1 + ThreadLocalRandom.current().nextDouble(-0.25, 0.25);
        return Duration.ofMillis(Math.max(1, Math.round(capped * jitter)));
    }
}
