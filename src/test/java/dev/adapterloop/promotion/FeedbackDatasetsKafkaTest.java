package dev.adapterloop.promotion;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.adapterloop.dataset.DatasetDigest;
import dev.adapterloop.events.LabeledDataEvent;
import dev.adapterloop.events.PredictionId;
import dev.adapterloop.registry.ObjectStore;
import dev.adapterloop.testing.EmbeddedInfraResource;
import dev.adapterloop.testing.KafkaTestClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The loop over the real Kafka broker and S3 server: labeled feedback with its text goes in on
 * {@code prediction-feedback}, a dataset comes out in the bucket and its announcement on the {@code labeled-data}
 * channel (in tests a topic of its own, so that it starts no training job in the shared test application) as a binary
 * CloudEvent keyed by task, whose sha256 is the object's. A redelivered event and feedback without text add nothing.
 */
@QuarkusTest
@Tag("quarkus")
@QuarkusTestResource(value = EmbeddedInfraResource.class, restrictToAnnotatedClass = true)
class FeedbackDatasetsKafkaTest {

    private static final String TOPIC = "feedback-labeled-data-test";
    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    ObjectStore store;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    @ConfigProperty(name = "adapterloop.serving.prediction-id-key")
    String predictionIdKey;

    @Test
    @Timeout(120)
    void labeledFeedbackWithTextBecomesAnAnnouncedDataset() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        List<String> texts = new ArrayList<>();
        try (KafkaTestClient kafka = new KafkaTestClient(bootstrapServers)) {
            // Without text: counts for the A/B test only.
            kafka.sendCloudEvent("prediction-feedback", "spam", "adapterloop.feedback", feedback(id(run, -1, null),
                    "spam", null));
            for (int i = 0; i < 4; i++) {
                String text = "loop " + run + " message " + i + " \u00e9\n\"quoted\"";
                texts.add(text);
                String data = feedback(id(run, i, text), i % 2 == 0 ? "spam" : "ham", text);
                String eventId = kafka.sendCloudEvent("prediction-feedback", "spam", "adapterloop.feedback", data);
                if (i == 1) { // an at-least-once redelivery of the same event
                    kafka.sendCloudEvent("prediction-feedback", "spam", "adapterloop.feedback", data, eventId);
                }
            }
            List<ConsumerRecord<String, String>> ours = new ArrayList<>();
            kafka.readUntil(TOPIC, Duration.ofSeconds(90), seen -> {
                ours.clear();
                seen.stream().filter(r -> r.value().contains("feedback-")).forEach(ours::add);
                return ours.stream().anyMatch(r -> datasetContains(r, texts.getFirst()));
            });
            List<ConsumerRecord<String, String>> mine = ours.stream().filter(r -> datasetContains(r, texts.getFirst()))
                    .toList();
            assertThat(mine).hasSize(1);
            ConsumerRecord<String, String> record = mine.getFirst();
            assertThat(record.key()).isEqualTo("spam");
            assertThat(KafkaTestClient.header(record, "ce_type")).isEqualTo(LabeledDataEvent.TYPE);
            assertThat(KafkaTestClient.header(record, "ce_subject")).isEqualTo("spam");
            JsonNode event = JSON.readTree(record.value());
            assertThat(event.path("task").asText()).isEqualTo("spam");
            JsonNode dataset = event.path("datasets").get(0);
            byte[] object = store.get(dataset.path("key").asText());
            assertThat(dataset.path("sha256").asText()).isEqualTo(DatasetDigest.sha256Hex(object));
            assertThat(dataset.path("records").asLong()).isEqualTo(4);
            String jsonl = new String(object, StandardCharsets.UTF_8);
            assertThat(jsonl.lines()).hasSize(4);
            for (String text : texts) {
                assertThat(jsonl).contains(JSON.writeValueAsString(text));
            }
        }
    }

    private boolean datasetContains(ConsumerRecord<String, String> record, String text) {
        try {
            String key = JSON.readTree(record.value()).path("datasets").get(0).path("key").asText();
            return new String(store.get(key), StandardCharsets.UTF_8).contains(JSON.writeValueAsString(text));
        } catch (Exception e) {
            return false;
        }
    }

    /** An id as serving issues it: bound to the text it answered, when there is one. */
    private String id(String run, int i, String text) {
        return PredictionId.issue(predictionIdKey, "spam", "v-loop-" + run, "champion", "spam",
                Instant.now().plusMillis(i), text);
    }

    private static String feedback(String predictionId, String label, String text) throws Exception {
        StringBuilder data = new StringBuilder("{\"predictionId\":").append(JSON.writeValueAsString(predictionId))
                .append(",\"label\":").append(JSON.writeValueAsString(label));
        if (text != null) {
            data.append(",\"text\":").append(JSON.writeValueAsString(text));
        }
        return data.append('}').toString();
    }
}
