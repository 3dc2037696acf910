package dev.adapterloop.serving;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.Semaphore;
import org.junit.jupiter.api.Test;

/** A prediction request's permit comes back when both the exchange and the work are over, and only once. */
class PredictionLeaseTest {

    @Test
    void aClientThatGoesAwayMidWorkDoesNotFreeThePermitBeforeTheWorkEnds() {
        Semaphore permits = new Semaphore(1);
        permits.acquireUninterruptibly();
        PredictionLease lease = new PredictionLease(permits);
        assertThat(lease.hold()).isTrue();

        lease.exchangeEnded(); // the connection closed while a worker still holds the texts
        lease.exchangeEnded(); // reported again by another of the framework's handlers
        assertThat(permits.availablePermits()).isZero();

        lease.release();
        assertThat(permits.availablePermits()).isEqualTo(1);
    }

    @Test
    void workThatEndsFirstLeavesThePermitToTheExchange() {
        Semaphore permits = new Semaphore(0);
        PredictionLease lease = new PredictionLease(permits);
        assertThat(lease.hold()).isTrue();
        lease.release();
        assertThat(permits.availablePermits()).isZero();
        lease.exchangeEnded();
        assertThat(permits.availablePermits()).isEqualTo(1);
    }

    @Test
    void anExchangeOverBeforeTheWorkStartsHasGivenThePermitBackAlready() {
        Semaphore permits = new Semaphore(0);
        PredictionLease lease = new PredictionLease(permits);
        lease.exchangeEnded();
        assertThat(permits.availablePermits()).isEqualTo(1);
        assertThat(lease.hold()).isFalse();
        assertThat(permits.availablePermits()).isEqualTo(1);
    }
}
