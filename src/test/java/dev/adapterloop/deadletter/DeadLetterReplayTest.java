package dev.adapterloop.deadletter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.adapterloop.embedded.EmbeddedKafka;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Replaying dead letters over a real (embedded) Kafka broker: records written as SmallRye's dead-letter strategy
 * writes them are chosen by offset range, task, reason or event id, and published to their source topic with their
 * key, value and original headers, the {@code dead-letter-*} ones left out.
 */
class DeadLetterReplayTest {

    private static final String DLQ = "replay-test-dlq";
    private static final String SOURCE = "replay-test-source";
    private static EmbeddedKafka kafka;

    @BeforeAll
    static void start(@TempDir Path dir) throws Exception {
        kafka = EmbeddedKafka.start(dir);
        try (KafkaProducer<String, String> producer = producer()) {
            // As SmallRye writes them: offsets 0..3 of the dead-letter topic's partition 0.
            producer.send(deadLetter("spam", "e-0", "{\"a\":0}", "datasets/spam/missing.jsonl does not exist")).get();
            producer.send(deadLetter("spam", "e-1", "{\"a\":1}", "crash-loop: the work on ... was started 3 times"))
                    .get();
            producer.send(deadLetter("fraud", "e-2", "{\"a\":2}", "unknown task 'fraud'")).get();
            producer.send(deadLetter("spam", "e-3", "{\"a\":3}", "cannot put ... 503 ServiceUnavailable")).get();
        }
    }

    @AfterAll
    static void stop() {
        kafka.close();
    }

    @Test
    void criteriaChooseByOffsetRangeTaskReasonAndEventId() {
        try (DeadLetterReplay replay = new DeadLetterReplay(kafka.bootstrapServers(), Duration.ofSeconds(30))) {
            assertThat(ids(replay.list(DLQ, DeadLetterSelection.all()))).containsExactly("e-0", "e-1", "e-2", "e-3");
            assertThat(ids(replay.list(DLQ, new DeadLetterSelection(0, 1L, 2L, null, null, Set.of()))))
                    .containsExactly("e-1", "e-2");
            assertThat(ids(replay.list(DLQ, new DeadLetterSelection(null, null, null, "spam", null, Set.of()))))
                    .containsExactly("e-0", "e-1", "e-3");
            assertThat(ids(replay.list(DLQ, new DeadLetterSelection(null, null, null, null, "CRASH-LOOP", Set.of()))))
                    .containsExactly("e-1");
            assertThat(ids(replay.list(DLQ, new DeadLetterSelection(null, null, null, null, null,
                    Set.of("e-3", "e-0"))))).containsExactly("e-0", "e-3");
            assertThat(replay.list("never-created-dlq", DeadLetterSelection.all())).isEmpty();
        }
        assertThatThrownBy(() -> new DeadLetterSelection(null, 5L, 2L, null, null, null))
                .hasMessage("--from-offset 5 is after --to-offset 2");
    }

    @Test
    void aReplayedRecordKeepsItsKeyValueAndHeadersAndGoesToItsSourceTopic() throws Exception {
        try (DeadLetterReplay replay = new DeadLetterReplay(kafka.bootstrapServers(), Duration.ofSeconds(30))) {
            DeadLetter letter = replay.list(DLQ, new DeadLetterSelection(null, null, null, null, null,
                    Set.of("e-1"))).get(0);
            String where = replay.replay(letter, "unused-fallback");
            assertThat(where).startsWith(SOURCE + "-0@");
        }
        ConsumerRecord<String, String> replayed = readOne(SOURCE);
        assertThat(replayed.key()).isEqualTo("spam");
        assertThat(replayed.value()).isEqualTo("{\"a\":1}");
        assertThat(header(replayed, "ce_id")).isEqualTo("e-1");
        assertThat(header(replayed, "ce_type")).isEqualTo("adapterloop.labeled-data.available");
        assertThat(header(replayed, DeadLetter.REPLAYED_FROM)).isEqualTo(DLQ + "-0@1");
        assertThat(replayed.headers().toArray()).extracting(h -> h.key()).noneMatch(k -> k.startsWith("dead-letter-"));
    }

    private static ProducerRecord<String, String> deadLetter(String task, String eventId, String value,
                                                             String reason) {
        ProducerRecord<String, String> record = new ProducerRecord<>(DLQ, 0, task, value);
        Map.of("ce_id", eventId, "ce_type", "adapterloop.labeled-data.available", "ce_specversion", "1.0",
                        DeadLetter.REASON, reason, DeadLetter.SOURCE_TOPIC, SOURCE, DeadLetter.SOURCE_PARTITION, "0",
                        DeadLetter.SOURCE_OFFSET, "17")
                .forEach((k, v) -> record.headers().add(k, v.getBytes(StandardCharsets.UTF_8)));
        return record;
    }

    private static List<String> ids(List<DeadLetter> letters) {
        return letters.stream().map(DeadLetter::eventId).toList();
    }

    private static String header(ConsumerRecord<?, ?> record, String name) {
        var header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    private static ConsumerRecord<String, String> readOne(String topic) {
        Properties c = new Properties();
        c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(c, new StringDeserializer(),
                new StringDeserializer())) {
            TopicPartition partition = new TopicPartition(topic, 0);
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            List<ConsumerRecord<String, String>> read = new ArrayList<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (read.isEmpty() && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(500)).forEach(read::add);
            }
            assertThat(read).as("records on " + topic).hasSize(1);
            return read.get(0);
        }
    }

    private static KafkaProducer<String, String> producer() {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        return new KafkaProducer<>(p, new StringSerializer(), new StringSerializer());
    }
}
