package dev.adapterloop.serving;

import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One admitted prediction request's permit ({@link PredictionAdmission}), given back once the HTTP exchange has ended
 * and the resource has finished its work, whichever comes last. Returning it when the connection closes alone would
 * let a client that disconnects after sending its body free the permit while a worker still holds the texts (for up
 * to the inference queue's wait), and so keep any number of bodies in memory.
 */
final class PredictionLease {
    static final String KEY = PredictionLease.class.getName();

    private final Semaphore permits;
    private final AtomicInteger holders = new AtomicInteger(1); // the exchange
    private final AtomicBoolean exchangeEnded = new AtomicBoolean();

    PredictionLease(Semaphore permits) {
        this.permits = permits;
    }

    /** The resource starts its work; false when the exchange ended first and the permit is already back. */
    boolean hold() {
        return holders.getAndUpdate(n -> n == 0 ? 0 : n + 1) > 0;
    }

    /** The resource's work is done (only after {@link #hold} returned true). */
    void release() {
        if (holders.decrementAndGet() == 0) {
            permits.release();
        }
    }

    /** The answer was sent, or the connection is gone; once, however often the framework reports it. */
    void exchangeEnded() {
        if (exchangeEnded.compareAndSet(false, true)) {
            release();
        }
    }
}
