package dev.adapterloop.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.adapterloop.bundled.CorpusEmail;
import dev.adapterloop.dataset.DatasetDigest;
import dev.adapterloop.dataset.JsonlDatasetWriter;
import dev.adapterloop.dataset.LabeledExample;
import dev.adapterloop.events.AdapterEvaluatedEvent;
import dev.adapterloop.events.DatasetRef;
import dev.adapterloop.registry.AdapterRegistry;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/** What the end-to-end tests of the loop share: datasets put in the bucket, evaluation events read back. */
public final class PipelineTestData {

    private static final ObjectMapper JSON = new ObjectMapper();

    private PipelineTestData() {
    }

    /** Writes {@code examples} as a JSONL dataset of {@code task} and returns its reference (count, digest). */
    public static DatasetRef put(AdapterRegistry registry, String task, String key, List<LabeledExample> examples)
            throws Exception {
        ByteArrayOutputStream jsonl = new ByteArrayOutputStream();
        JsonlDatasetWriter.write(examples, jsonl);
        byte[] bytes = jsonl.toByteArray();
        registry.putDataset(task, key, bytes);
        return new DatasetRef(key, (long) examples.size(), DatasetDigest.sha256Hex(bytes));
    }

    /** The {@code adapter-evaluations} event of the job that {@code eventId} started (waits up to 6 minutes). */
    public static JsonNode evaluationOf(KafkaTestClient kafka, String eventId) throws Exception {
        List<ConsumerRecord<String, String>> evaluations = kafka.readUntil("adapter-evaluations",
                Duration.ofMinutes(6), seen -> seen.stream().anyMatch(r -> r.value().contains(eventId)));
        ConsumerRecord<String, String> record = evaluations.stream().filter(r -> r.value().contains(eventId))
                .findFirst().orElseThrow(() -> new AssertionError("no evaluation event for " + eventId));
        if (!AdapterEvaluatedEvent.TYPE.equals(KafkaTestClient.header(record, "ce_type"))) {
            throw new AssertionError("the event for " + eventId + " is " + KafkaTestClient.header(record, "ce_type"));
        }
        return JSON.readTree(record.value());
    }

    /** The emails' labeled examples in an order fixed by {@code seed}. */
    public static List<LabeledExample> shuffled(List<CorpusEmail> emails, long seed) {
        List<LabeledExample> examples = new ArrayList<>(emails.stream().map(CorpusEmail::example).toList());
        Collections.shuffle(examples, new Random(seed));
        return examples;
    }
}
