package dev.adapterloop.intake;

import dev.adapterloop.training.JobRetry;
import dev.adapterloop.training.TrainingScheduler;
import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Fires the max-wait trigger: pending data that waited long enough becomes a job however few records it has. On the
 * same tick, runs the retried jobs ({@link JobRetry}) of partitions this replica owns, whoever asked for the retry.
 */
@ApplicationScoped
public class TriggerClock {

    private final IntakeLedger ledger;
    private final TrainingScheduler scheduler;
    private final JobRetry retries;

    public TriggerClock(IntakeLedger ledger, TrainingScheduler scheduler, JobRetry retries) {
        this.ledger = ledger;
        this.scheduler = scheduler;
        this.retries = retries;
    }

    @Scheduled(every = "${adapterloop.intake.trigger-check-interval}", delayed = "${adapterloop.intake.trigger-check-interval}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void fireDueTriggers() {
        try {
            ledger.flushDue(scheduler::owns).forEach(scheduler::submit);
        } catch (RuntimeException e) {
            Log.warnf("max-wait trigger check failed, tried again at the next tick: %s", e.getMessage());
        }
        try {
            retries.pickUp(scheduler);
        } catch (RuntimeException e) {
            Log.warnf("retried-jobs check failed, tried again at the next tick: %s", e.getMessage());
        }
    }
}
