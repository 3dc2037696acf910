package dev.adapterloop.serving;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.adapterloop.events.CloudEventSender;
import dev.adapterloop.events.PredictionRecord;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.reactive.messaging.ce.OutgoingCloudEventMetadata;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.ZonedDateTime;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.Metadata;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;
import org.jboss.logging.Logger;

/**
 * Publishes {@link PredictionRecord}s to {@code adapter-predictions} without making a request wait: a request only
 * offers its record to a bounded queue (a full queue drops the record and counts it, it never blocks), and one
 * daemon thread hands the queue to Kafka and does not wait for acknowledgements (failures are counted).
 */
@ApplicationScoped
public class PredictionLog {

    private static final Logger LOG = Logger.getLogger(PredictionLog.class);

    private final Emitter<String> emitter;
    private final ObjectMapper json;
    private final BlockingQueue<PredictionRecord> queue;
    private final Counter dropped;
    private final Counter failed;
    private final Counter sent;
    private final Thread publisher;
    private volatile boolean running = true;

    PredictionLog(@Channel(PredictionRecord.TOPIC) @OnOverflow(value = OnOverflow.Strategy.BUFFER,
            bufferSize = 1024) Emitter<String> emitter, ObjectMapper json, ServingConfig config, MeterRegistry meters) {
        this.emitter = emitter;
        this.json = json;
        this.queue = new ArrayBlockingQueue<>(config.predictionLogBuffer());
        this.dropped = Counter.builder("adapterloop.prediction.log.dropped")
                .description("Prediction records dropped because the publish buffer was full").register(meters);
        this.failed = Counter.builder("adapterloop.prediction.log.failed")
                .description("Prediction records Kafka did not accept").register(meters);
        this.sent = Counter.builder("adapterloop.prediction.log.sent")
                .description("Prediction records acknowledged by Kafka").register(meters);
        Gauge.builder("adapterloop.prediction.log.queued", queue, BlockingQueue::size)
                .description("Prediction records waiting to be published").register(meters);
        this.publisher = new Thread(this::publishLoop, "prediction-log");
        publisher.setDaemon(true);
        publisher.start();
    }

    /** Never blocks: false (and counted) when the buffer is full. */
    public boolean offer(PredictionRecord record) {
        if (queue.offer(record)) {
            return true;
        }
        dropped.increment();
        return false;
    }

    private void publishLoop() {
        while (running || !queue.isEmpty()) {
            PredictionRecord record;
            try {
                record = queue.poll(200, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                if (!running) {
                    return;
                }
                continue;
            }
            if (record != null) {
                send(record);
            }
        }
    }

    private void send(PredictionRecord record) {
        try {
            OutgoingCloudEventMetadata<Object> cloudEvent = OutgoingCloudEventMetadata.builder()
                    .withId(UUID.randomUUID().toString()).withType(PredictionRecord.TYPE)
                    .withSource(CloudEventSender.SOURCE).withSubject(record.task())
                    .withDataContentType("application/json").withTimestamp(ZonedDateTime.now()).build();
            OutgoingKafkaRecordMetadata<String> key = OutgoingKafkaRecordMetadata.<String>builder()
                    .withKey(record.task()).build();
            emitter.send(Message.of(json.writeValueAsString(record), Metadata.of(cloudEvent, key))
                    .withAck(() -> {
                        sent.increment();
                        return CompletableFuture.completedFuture(null);
                    })
                    .withNack(failure -> {
                        failed.increment();
                        return CompletableFuture.completedFuture(null);
                    }));
        } catch (JsonProcessingException | RuntimeException e) { // the emitter's own buffer full, or Kafka away
            failed.increment();
            LOG.debugf("prediction record not published: %s", e);
        }
    }

    @PreDestroy
    void close() {
        running = false;
        try {
            publisher.join(5_000); // let what is queued go out
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
