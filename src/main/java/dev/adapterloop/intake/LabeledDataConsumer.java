package dev.adapterloop.intake;

import dev.adapterloop.training.TrainingJob;
import dev.adapterloop.training.TrainingScheduler;
import io.quarkus.logging.Log;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.reactive.messaging.ce.IncomingCloudEventMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;

/**
 * Consumes {@code labeled-data}: a valid event becomes a queued training job; an invalid one is nacked, which the
 * channel's dead-letter strategy turns into a record on {@code labeled-data-dlq} carrying the reason.
 */
@ApplicationScoped
public class LabeledDataConsumer {

    private final LabeledDataValidator validator;
    private final TrainingScheduler scheduler;

    public LabeledDataConsumer(LabeledDataValidator validator, TrainingScheduler scheduler) {
        this.validator = validator;
        this.scheduler = scheduler;
    }

    @Incoming("labeled-data")
    @Blocking
    public CompletionStage<Void> consume(Message<String> message) {
        Optional<IncomingCloudEventMetadata> cloudEvent = message.getMetadata(IncomingCloudEventMetadata.class);
        String eventId = cloudEvent.map(IncomingCloudEventMetadata::getId).orElse(null);
        String eventType = cloudEvent.map(IncomingCloudEventMetadata::getType).orElse(null);
        try {
            TrainingJob job = validator.validate(message.getPayload(), eventId, eventType);
            scheduler.submit(job);
            return message.ack();
        } catch (InvalidEventException e) {
            Log.warnf("labeled-data event %s rejected: %s", eventId, e.getMessage());
            return message.nack(e);
        } catch (RuntimeException e) {
            // S3 unreachable and the like: still never stop consuming; the event is kept on the dead-letter topic.
            Log.errorf(e, "labeled-data event %s could not be processed", eventId);
            return message.nack(e);
        }
    }
}
