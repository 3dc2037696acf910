package dev.adapterloop.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.adapterloop.bundled.BundledAssets;
import dev.adapterloop.events.LabeledDataEvent;
import dev.adapterloop.registry.AdapterRegistry;
import dev.adapterloop.testing.EmbeddedInfraResource;
import dev.adapterloop.testing.FaultyTcpProxy;
import dev.adapterloop.testing.KafkaTestClient;
import dev.adapterloop.training.JobRecord;
import dev.adapterloop.training.JobStore;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.awaitility.Awaitility;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * S3 goes away while an event is being taken in, for longer than the store's own retries last (30 s): the event is
 * retried until S3 is back, not dead-lettered, and its job trains. The outage is a real TCP proxy between the service
 * and S3, cut and restored; its length is {@code -Dadapterloop.test.outage-seconds} (60 by default, as issue 18 asks).
 */
@QuarkusTest
@Tag("quarkus")
@QuarkusTestResource(value = EmbeddedInfraResource.class, restrictToAnnotatedClass = true)
class IntakeOutageTest {

    private static final String TASK = "outage";
    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    AdapterRegistry registry;

    @Inject
    JobStore jobs;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    @Test
    @Timeout(900)
    void anEventDuringASixtySecondS3OutageTrainsAndNothingGoesToTheDeadLetterTopic() throws Exception {
        Duration outage = Duration.ofSeconds(Long.getLong("adapterloop.test.outage-seconds", 60));
        BundledAssets.ensureModel(registry, Path.of("target", "test-data", "work"));
        BundledAssets.Datasets data = BundledAssets.ensureDatasets(registry, TASK, "datasets/outage/train.jsonl",
                "datasets/outage/heldout.jsonl", 64, 40);
        String event = JSON.writeValueAsString(new LabeledDataEvent(TASK, List.of(data.train()), data.heldOut()));
        FaultyTcpProxy s3 = EmbeddedInfraResource.s3Proxy();

        try (KafkaTestClient kafka = new KafkaTestClient(bootstrapServers)) {
            s3.cut();
            long refusedBefore = s3.connectionsRefused();
            long cutAt = System.nanoTime();
            String eventId;
            try {
                eventId = kafka.sendCloudEvent("labeled-data", TASK, LabeledDataEvent.TYPE, event);
                // The consumer is at it: refused connections pile up (the store's retries, then intake's).
                Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> s3.connectionsRefused() > refusedBefore);
                Thread.sleep(Math.max(0, outage.toMillis() - Duration.ofNanos(System.nanoTime() - cutAt).toMillis()));
            } finally {
                s3.restore();
            }

            Awaitility.await().atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofSeconds(2)).until(() ->
                    jobs.list(Optional.of(TASK)).stream().anyMatch(job -> job.state().isFinished()));
            JobRecord job = jobs.list(Optional.of(TASK)).get(0);
            assertThat(job.state()).as("failure: %s", job.failure()).isEqualTo(JobRecord.State.SUCCEEDED);
            assertThat(job.sourceEventIds()).containsExactly(eventId);

            // Whatever else is on the dead-letter topic (other tests' bad events), not this event.
            List<ConsumerRecord<String, String>> dead = kafka.readUntil("labeled-data-dlq", Duration.ofSeconds(5),
                    records -> false);
            assertThat(dead).extracting(record -> KafkaTestClient.header(record, "ce_id")).doesNotContain(eventId);
            assertThat(dead).extracting(ConsumerRecord::value).doesNotContain(event);
        }
    }
}
