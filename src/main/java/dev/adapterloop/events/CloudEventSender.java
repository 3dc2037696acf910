package dev.adapterloop.events;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.smallrye.reactive.messaging.ce.OutgoingCloudEventMetadata;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import java.net.URI;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.Metadata;

/**
 * Sends JSON data as a CloudEvent in binary mode (ce_* headers) keyed by task, so one task's events stay ordered on
 * one partition, and waits until the broker has acknowledged it.
 */
public final class CloudEventSender {

    public static final URI SOURCE = URI.create("urn:adapterloop");
    private static final Duration SEND_TIMEOUT = Duration.ofSeconds(30);

    private final Emitter<String> emitter;
    private final ObjectMapper json;

    public CloudEventSender(Emitter<String> emitter, ObjectMapper json) {
        this.emitter = emitter;
        this.json = json;
    }

    /** @return the event id */
    public String send(String type, String task, Object data) {
        String id = UUID.randomUUID().toString();
        String payload;
        try {
            payload = json.writeValueAsString(data);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise " + data.getClass().getSimpleName(), e);
        }
        OutgoingCloudEventMetadata<Object> cloudEvent = OutgoingCloudEventMetadata.builder()
                .withId(id).withType(type).withSource(SOURCE).withSubject(task)
                .withDataContentType("application/json").withTimestamp(ZonedDateTime.now()).build();
        OutgoingKafkaRecordMetadata<String> record = OutgoingKafkaRecordMetadata.<String>builder().withKey(task)
                .build();
        CompletableFuture<Void> acked = new CompletableFuture<>();
        emitter.send(Message.of(payload, Metadata.of(cloudEvent, record))
                .withAck(() -> {
                    acked.complete(null);
                    return CompletableFuture.completedFuture(null);
                })
                .withNack(failure -> {
                    acked.completeExceptionally(failure);
                    return CompletableFuture.completedFuture(null);
                }));
        try {
            acked.get(SEND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while sending " + type, e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("could not send " + type + " for task " + task + ": " + e, e);
        }
        return id;
    }
}
