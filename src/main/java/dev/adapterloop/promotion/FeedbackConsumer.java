package dev.adapterloop.promotion;

import dev.adapterloop.registry.FeedbackRecords;
import dev.adapterloop.registry.ObjectStore;
import io.quarkus.logging.Log;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.reactive.messaging.ce.IncomingCloudEventMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.CompletionStage;
import dev.adapterloop.events.PredictionId;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;

/**
 * Consumes {@code prediction-feedback}: each event is joined to its prediction ({@link FeedbackJoin}) and counted in
 * the task's running A/B test, which decides after it. Feedback that cannot be joined is nacked, which the channel's
 * dead-letter strategy turns into a record on {@code prediction-feedback-dlq} with the reason; the consumer goes on.
 * The event's CloudEvents subject, when set, must be the prediction's task. Labeled feedback that carries the request's
 * text is also handed to {@link FeedbackDatasets}, which turns it into training data when the task enables it. Each
 * prediction counts once in the A/B statistics ({@link FeedbackRecords#markCounted}).
 */
@ApplicationScoped
public class FeedbackConsumer {

    private final FeedbackJoin join;
    private final Promotions promotions;
    private final FeedbackDatasets datasets;
    private final FeedbackRecords counted;

    public FeedbackConsumer(Promotions promotions, FeedbackDatasets datasets, ObjectStore store,
                            @ConfigProperty(name = "adapterloop.serving.prediction-id-key",
                                    defaultValue = PredictionId.DEV_KEY) String key,
                            @ConfigProperty(name = "adapterloop.serving.prediction-id-ttl", defaultValue = "P30D")
                            java.time.Duration ttl) {
        this.promotions = promotions;
        this.datasets = datasets;
        this.counted = new FeedbackRecords(store);
        this.join = new FeedbackJoin(key, promotions::labels, ttl, java.time.Clock.systemUTC());
    }

    @Incoming("prediction-feedback")
    @Blocking
    public CompletionStage<Void> consume(Message<String> message) {
        String subject = message.getMetadata(IncomingCloudEventMetadata.class)
                .map(ce -> ((IncomingCloudEventMetadata<?>) ce).getSubject()).flatMap(s -> s).orElse(null);
        try {
            FeedbackJoin.Outcome outcome = join.join(message.getPayload(), subject);
            // Before the A/B count: buffering is idempotent by prediction id, so a replay after a failure below
            // buffers nothing twice.
            datasets.offer(outcome);
            // Marked before it is counted: a crash in between loses one outcome rather than counting one twice, and
            // a second feedback on the same prediction (a redelivery with another event id, a change of mind) is not
            // another sample.
            if (!counted.markCounted(outcome.task(), outcome.predictionId())) {
                Log.debugf("feedback on %s already counted in task %s's A/B statistics", outcome.predictionId(),
                        outcome.task());
                return message.ack();
            }
            promotions.experiments().observe(outcome.task(),
                    s -> s.withOutcome(outcome.variant(), outcome.version(), outcome.reward()))
                    .filter(o -> o.decision().outcome().decided())
                    .ifPresent(o -> Log.infof("task %s: A/B decision %s (%s)", outcome.task(),
                            o.decision().outcome().wireName(), o.decision().evidence().reason()));
            return message.ack();
        } catch (InvalidFeedbackException e) {
            Log.warnf("prediction-feedback rejected: %s", e.getMessage());
            return message.nack(e);
        } catch (RuntimeException e) {
            // The bucket stayed unreachable through the store's retries, or the like: the event is kept on the
            // dead-letter topic with the reason, to be replayed; consuming goes on.
            Log.errorf(e, "prediction-feedback could not be processed");
            return message.nack(e);
        }
    }
}
