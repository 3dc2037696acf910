package dev.adapterloop.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.adapterloop.adapters.PeftAdapterFiles;
import dev.adapterloop.bundled.BundledAssets;
import dev.adapterloop.events.AdapterEvaluatedEvent;
import dev.adapterloop.events.AdapterManifest;
import dev.adapterloop.events.LabeledDataEvent;
import dev.adapterloop.model.safetensors.SafetensorsFile;
import dev.adapterloop.registry.AdapterRegistry;
import dev.adapterloop.testing.EmbeddedInfraResource;
import dev.adapterloop.testing.KafkaTestClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The whole loop over a real Kafka broker and a real S3 server: malformed events go to the dead-letter topic with
 * their reason, and the good event behind them still produces an adapter in the bucket and an evaluation event
 * whose accuracy beats the held-out set's majority baseline.
 */
@QuarkusTest
@Tag("quarkus")
@QuarkusTestResource(value = EmbeddedInfraResource.class, restrictToAnnotatedClass = true)
class LabeledDataPipelineTest {

    private static final String TRAIN_KEY = "datasets/spam/sample-train.jsonl";
    private static final String HELD_OUT_KEY = "datasets/spam/sample-heldout.jsonl";
    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    AdapterRegistry registry;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    @Test
    @Timeout(600)
    void badEventsGoToTheDeadLetterTopicAndTheGoodOneTrainsAnAdapter() throws Exception {
        BundledAssets.ensureModel(registry, Path.of("target", "test-data", "work"));
        BundledAssets.Datasets data = BundledAssets.ensureDatasets(registry, "spam", TRAIN_KEY, HELD_OUT_KEY,
                384, 300);
        String good = JSON.writeValueAsString(new LabeledDataEvent("spam", List.of(data.train()), data.heldOut()));

        try (KafkaTestClient kafka = new KafkaTestClient(bootstrapServers)) {
            Map<String, String> rejected = Map.of(
                    kafka.sendCloudEvent("labeled-data", "spam", LabeledDataEvent.TYPE, "{not json"),
                    "not valid JSON",
                    kafka.sendCloudEvent("labeled-data", "spam", LabeledDataEvent.TYPE, "{\"task\":\"spam\"}"),
                    "no 'datasets'",
                    kafka.sendCloudEvent("labeled-data", "fraud", LabeledDataEvent.TYPE,
                            "{\"task\":\"fraud\",\"datasets\":[{\"key\":\"datasets/fraud/a.jsonl\"}]}"),
                    "unknown task 'fraud'",
                    kafka.sendCloudEvent("labeled-data", "spam", LabeledDataEvent.TYPE,
                            "{\"task\":\"spam\",\"datasets\":[{\"key\":\"models/all-minilm-l6-v2/config.json\"}]}"),
                    "datasets/spam/",
                    kafka.sendCloudEvent("labeled-data", "spam", LabeledDataEvent.TYPE,
                            "{\"task\":\"spam\",\"datasets\":[{\"key\":\"datasets/spam/../../models/x\"}]}"),
                    "..",
                    kafka.sendCloudEvent("labeled-data", "spam", LabeledDataEvent.TYPE,
                            "{\"task\":\"spam\",\"datasets\":[{\"key\":\"datasets/spam/missing.jsonl\"}]}"),
                    "does not exist");
            String goodId = kafka.sendCloudEvent("labeled-data", "spam", LabeledDataEvent.TYPE, good);

            List<ConsumerRecord<String, String>> dlq = kafka.readUntil("labeled-data-dlq", Duration.ofSeconds(60),
                    seen -> seen.size() >= rejected.size());
            Map<String, String> reasons = dlq.stream().collect(Collectors.toMap(
                    r -> KafkaTestClient.header(r, "ce_id"), r -> KafkaTestClient.header(r, "dead-letter-reason")));
            assertThat(reasons).containsOnlyKeys(rejected.keySet());
            rejected.forEach((id, expected) -> assertThat(reasons.get(id)).as("reason for event " + id)
                    .contains(expected));

            List<ConsumerRecord<String, String>> evaluations = kafka.readUntil("adapter-evaluations",
                    Duration.ofMinutes(8), seen -> seen.stream().anyMatch(r -> r.value().contains(goodId)));
            ConsumerRecord<String, String> record = evaluations.stream().filter(r -> r.value().contains(goodId))
                    .findFirst().orElseThrow(() -> new AssertionError("no evaluation event for " + goodId));
            assertThat(record.key()).isEqualTo("spam");
            assertThat(KafkaTestClient.header(record, "ce_type")).isEqualTo(AdapterEvaluatedEvent.TYPE);
            JsonNode evaluation = JSON.readTree(record.value());
            double accuracy = evaluation.at("/metrics/accuracy").asDouble();
            double baseline = evaluation.at("/metrics/majorityBaseline").asDouble();
            System.out.printf("end to end: held-out accuracy %.4f vs majority baseline %.4f%n", accuracy, baseline);
            assertThat(evaluation.at("/metrics/examples").asInt()).isEqualTo(300);
            assertThat(accuracy).isGreaterThan(baseline);

            String version = evaluation.at("/candidate/version").asText();
            String prefix = AdapterRegistry.adapterPrefix("spam", version);
            assertThat(registry.store().list(prefix)).containsExactlyInAnyOrder(prefix + PeftAdapterFiles.CONFIG,
                    prefix + PeftAdapterFiles.WEIGHTS, prefix + AdapterManifest.FILE);
            AdapterManifest manifest = registry.manifest("spam", version).orElseThrow();
            assertThat(manifest.sourceEventId()).isEqualTo(goodId);
            assertThat(manifest.datasets()).extracting("key").containsExactly(TRAIN_KEY);
            assertThat(manifest.baseModelSha256()).hasSize(64);

            Path dir = Files.createTempDirectory("adapter");
            registry.fetchAdapter("spam", version, dir);
            Set<String> keys = SafetensorsFile.read(dir.resolve(PeftAdapterFiles.WEIGHTS)).keySet();
            assertThat(keys).contains("base_model.model.encoder.layer.0.attention.self.query.lora_A.weight",
                    "base_model.model.encoder.layer.5.attention.self.value.lora_B.weight",
                    "base_model.model.classifier.weight", "base_model.model.classifier.bias").hasSize(6 * 2 * 2 + 2);
        }
    }
}
