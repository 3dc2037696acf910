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
import java.util.concurrent.CompletionStage;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;

/**
 * Consumes {@code labeled-data}. A valid event is taken into the task's durable ledger (and, when it completes a
 * trigger, becomes a durable job) before it is acknowledged, so a crash at any point loses nothing; an invalid one is
 * nacked, which the channel's dead-letter strategy turns into a record on {@code labeled-data-dlq} with the reason.
 * Training itself runs on the scheduler's thread: this method returns in the time a few small writes take.
 */
@ApplicationScoped
public class LabeledDataConsumer {

    private final LabeledDataValidator validator;
    private final IntakeLedger ledger;
    private final TrainingScheduler scheduler;
    private final PipelineMetrics metrics;
    private final Event<IntakeDecision> decisions;

    public LabeledDataConsumer(LabeledDataValidator validator, IntakeLedger ledger, TrainingScheduler scheduler,
                               PipelineMetrics metrics, Event<IntakeDecision> decisions) {
        this.validator = validator;
        this.ledger = ledger;
        this.scheduler = scheduler;
        this.metrics = metrics;
        this.decisions = decisions;
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
        try {
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
            return message.ack();
        } catch (InvalidEventException e) {
            Log.warnf("labeled-data event %s rejected: %s", eventId, e.getMessage());
            metrics.recordIntake(task, IntakeOutcome.rejected(e));
            return message.nack(e);
        } catch (RuntimeException e) {
            metrics.recordIntake(task, IntakeOutcome.rejected(e));
            // The bucket stayed unreachable through the store's retries, or the like: never stop consuming; the
            // event is kept on the dead-letter topic with the reason, to be replayed.
            Log.errorf(e, "labeled-data event %s could not be processed", eventId);
            return message.nack(e);
        }
    }
}
