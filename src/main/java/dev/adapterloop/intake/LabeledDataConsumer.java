package dev.adapterloop.intake;

import dev.adapterloop.observability.IntakeOutcome;
import dev.adapterloop.observability.PipelineMetrics;
import dev.adapterloop.training.TrainingScheduler;
import io.quarkus.logging.Log;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.reactive.messaging.ce.IncomingCloudEventMetadata;
import io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import jakarta.annotation.PreDestroy;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;

/**
 * Consumes {@code labeled-data}. A valid event is taken into the task's durable ledger (and, when it completes a
 * trigger, becomes a durable job) before it is acknowledged, so a crash at any point loses nothing; an invalid one is
 * nacked, which the channel's dead-letter strategy turns into a record on {@code labeled-data-dlq} with the reason.
 * A passing fault (the bucket unreachable, 5xx, timeouts: {@link TransientFailures}) is retried with capped
 * exponential backoff and no limit in time, the record held and uncommitted meanwhile: an outage delays events, it
 * never dead-letters them. An event on which the process died {@code adapterloop.intake.crash-loop-cap} times
 * ({@link CrashLoopGuard}) is dead-lettered with the reason {@code crash-loop}, so that the next one gets its turn.
 * Training itself runs on the scheduler's thread: this method returns in the time a few small writes take.
 */
@ApplicationScoped
public class LabeledDataConsumer {

    private final LabeledDataValidator validator;
    private final IntakeLedger ledger;
    private final TrainingScheduler scheduler;
    private final PipelineMetrics metrics;
    private final Event<IntakeDecision> decisions;
    private final IntakeBackoff backoff;
    private final CrashLoopGuard crashLoops;
    /** Counted down when the service stops: ends a wait between retries at once. */
    private final CountDownLatch stopping = new CountDownLatch(1);

    public LabeledDataConsumer(LabeledDataValidator validator, IntakeLedger ledger, TrainingScheduler scheduler,
                               PipelineMetrics metrics, Event<IntakeDecision> decisions, CrashLoopGuard crashLoops,
                               @ConfigProperty(name = "adapterloop.intake.retry.initial-backoff") Duration initialBackoff,
                               @ConfigProperty(name = "adapterloop.intake.retry.max-backoff") Duration maxBackoff) {
        this.validator = validator;
        this.ledger = ledger;
        this.scheduler = scheduler;
        this.metrics = metrics;
        this.decisions = decisions;
        this.backoff = new IntakeBackoff(initialBackoff, maxBackoff);
        this.crashLoops = crashLoops;
    }

    @Incoming("labeled-data")
    @Blocking
    public CompletionStage<Void> consume(Message<String> message) {
        Optional<IncomingCloudEventMetadata> cloudEvent = message.getMetadata(IncomingCloudEventMetadata.class);
        String eventId = cloudEvent.map(IncomingCloudEventMetadata::getId).orElse(null);
        String eventType = cloudEvent.map(IncomingCloudEventMetadata::getType).orElse(null);
        Integer partition = message.getMetadata(IncomingKafkaRecordMetadata.class)
                .map(IncomingKafkaRecordMetadata::getPartition).orElse(null);
        String task = message.getMetadata(IncomingKafkaRecordMetadata.class)
                .map(m -> m.getKey() == null ? null : m.getKey().toString()).orElse(null);
        cloudEvent.map(ce -> ((IncomingCloudEventMetadata<?>) ce).getTimeStamp()).flatMap(time -> time)
                .ifPresent(sent -> metrics.recordEventLag(task, Duration.between(sent.toInstant(), Instant.now())));
        Optional<IncomingKafkaRecordMetadata> position = message.getMetadata(IncomingKafkaRecordMetadata.class);
        boolean started = false;
        for (int attempt = 1; ; attempt++) {
            try {
                if (!started && position.isPresent()) {
                    IncomingKafkaRecordMetadata<?, ?> at = position.get();
                    Optional<String> crashLoop = crashLoops.start(at.getTopic(), at.getPartition(), at.getOffset(),
                            eventId);
                    started = true;
                    if (crashLoop.isPresent()) {
                        metrics.recordIntake(task, IntakeOutcome.rejected("crash-loop"));
                        return ended(message.nack(new CrashLoopException(crashLoop.get())), position);
                    }
                }
                ValidatedEvent event = validator.validate(message.getPayload(), eventId, eventType);
                IntakeLedger.Result result = ledger.accept(event, partition);
                metrics.recordIntake(event.task(), switch (result.outcome()) {
                    case DUPLICATE_EVENT, DUPLICATE_DATA -> IntakeOutcome.DUPLICATE;
                    case ACCUMULATED, TRIGGERED -> IntakeOutcome.ACCEPTED;
                });
                result.job().ifPresent(scheduler::submit);
                if (event.eventId() != null) {
                    decisions.fire(new IntakeDecision(event.eventId(), event.task(), result.outcome()));
                }
                if (attempt > 1) {
                    Log.infof("labeled-data event %s taken in at attempt %d", eventId, attempt);
                }
                return ended(message.ack(), position);
            } catch (InvalidEventException e) {
                Log.warnf("labeled-data event %s rejected: %s", eventId, e.getMessage());
                metrics.recordIntake(task, IntakeOutcome.rejected(e));
                return ended(message.nack(e), position);
            } catch (RuntimeException e) {
                if (TransientFailures.isTransient(e)) {
                    if (!waitBeforeRetry(eventId, attempt, e)) {
                        // Shutting down: neither acknowledged nor dead-lettered, so not committed; the partition's
                        // next owner (or this service, restarted) reads the event again.
                        return new CompletableFuture<>();
                    }
                    continue;
                }
                // Not a refusal of the event and not a passing fault: a failure retrying cannot cure. Kept on the
                // dead-letter topic with the reason, for replay-dlq once it is fixed.
                metrics.recordIntake(task, IntakeOutcome.rejected(e));
                Log.errorf(e, "labeled-data event %s could not be processed", eventId);
                return ended(message.nack(e), position);
            }
        }
    }

    /** Once the record is acknowledged or dead-lettered, its crash-loop count goes (best effort: see the guard). */
    private CompletionStage<Void> ended(CompletionStage<Void> outcome, Optional<IncomingKafkaRecordMetadata> position) {
        return outcome.thenRun(() -> position.ifPresent(at -> {
            try {
                crashLoops.ended(at.getTopic(), at.getPartition(), at.getOffset());
            } catch (RuntimeException e) {
                Log.warnf("could not remove the crash-loop count of %s-%d@%d (it only counts if that record comes "
                        + "again): %s", at.getTopic(), at.getPartition(), at.getOffset(), e.getMessage());
            }
        }));
    }

    /**
     * Waits before the next attempt on a passing fault, with no limit on the attempts: this thread holds the record,
     * so it is not committed, and the connector pauses the partitions once its queue is full. False when the service
     * is stopping.
     */
    private boolean waitBeforeRetry(String eventId, int attempt, RuntimeException failure) {
        Duration wait = backoff.after(attempt);
        metrics.recordIntakeRetry();
        Log.warnf("labeled-data event %s: attempt %d failed on a passing fault, retrying in %d ms (the event stays "
                + "uncommitted, nothing goes to the dead-letter topic): %s", eventId, attempt, wait.toMillis(),
                failure.getMessage());
        try {
            stopping.await(wait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
        return stopping.getCount() > 0;
    }

    @PreDestroy
    void stop() {
        stopping.countDown();
    }
}
