package dev.adapterloop.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 120, unit = TimeUnit.SECONDS)
class EmbeddedKafkaTest {
    private static final Duration POLL_LIMIT = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    @Test
    void producesAndConsumesARecord() throws Exception {
        try (EmbeddedKafka kafka = EmbeddedKafka.start(dir)) {
            assertThat(kafka.bootstrapServers()).matches("127\\.0\\.0\\.1:\\d+");
            kafka.createTopics("greetings");

            send(kafka, "greetings", "task-1", "hello");

            List<ConsumerRecord<String, String>> records = consume(kafka, "greetings", "readers", 1);
            assertThat(records).singleElement().satisfies(r -> {
                assertThat(r.key()).isEqualTo("task-1");
                assertThat(r.value()).isEqualTo("hello");
            });
        }
    }

    @Test
    void topicsGetTheConfiguredPartitionCount() throws Exception {
        try (EmbeddedKafka kafka = EmbeddedKafka.start(EmbeddedKafka.Settings.of(dir).withPartitions(2))) {
            kafka.createTopics("two", "two"); // a second creation of the same topic is not an error
            send(kafka, "auto-created", "k", "v");

            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
                var topics = admin.describeTopics(List.of("two", "auto-created")).allTopicNames().get(30, TimeUnit.SECONDS);
                assertThat(topics.get("two").partitions()).hasSize(2);
                assertThat(topics.get("auto-created").partitions()).hasSize(2);
            }
        }
    }

    @Test
    void restartOnTheSameDirectoryKeepsTopicsRecordsAndCommittedOffsets() throws Exception {
        String clusterId;
        try (EmbeddedKafka kafka = EmbeddedKafka.start(dir)) {
            clusterId = kafka.clusterId();
            kafka.createTopics("kept");
            for (int i = 0; i < 3; i++) {
                send(kafka, "kept", "task", "record-" + i);
            }
            assertThat(consume(kafka, "kept", "group-a", 3)).hasSize(3); // commits its offsets on close
        }

        try (EmbeddedKafka kafka = EmbeddedKafka.start(dir)) {
            assertThat(kafka.clusterId()).isEqualTo(clusterId);
            assertThat(consume(kafka, "kept", "fresh-group", 3))
                    .extracting(ConsumerRecord::value)
                    .containsExactly("record-0", "record-1", "record-2");
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
                Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets("group-a")
                        .partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS);
                assertThat(offsets.values().stream().mapToLong(OffsetAndMetadata::offset).sum()).isEqualTo(3);
            }
        }
    }

    @Test
    void aFixedPortIsUsedAndATakenOneIsReported() throws Exception {
        int port = FreePorts.resolve(0);
        try (EmbeddedKafka kafka = EmbeddedKafka.start(EmbeddedKafka.Settings.of(dir.resolve("a")).withPort(port))) {
            assertThat(kafka.bootstrapServers()).isEqualTo("127.0.0.1:" + port);
            assertThatThrownBy(() -> EmbeddedKafka.start(EmbeddedKafka.Settings.of(dir.resolve("b")).withPort(port)))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageStartingWith("embedded Kafka cannot listen on 127.0.0.1:" + port + ": ")
                    .hasMessageEndingWith("(choose another port, or 0 for any free one)");
        }
    }

    @Test
    void aSecondBrokerOnTheSameDirectoryIsRefused() {
        try (EmbeddedKafka kafka = EmbeddedKafka.start(dir)) {
            assertThatThrownBy(() -> EmbeddedKafka.start(dir))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("embedded Kafka did not start on " + dir)
                    .hasMessageContaining("lock");
            kafka.createTopics("still-serving");
        }
    }

    @Test
    void settingsAreValidated() {
        assertThatThrownBy(() -> new EmbeddedKafka.Settings(dir, 70_000, 3))
                .hasMessage("`port` must be 0 (any free port) or 1..65535, got 70000");
        assertThatThrownBy(() -> new EmbeddedKafka.Settings(dir, 0, 0))
                .hasMessage("`partitions` must be > 0, got 0");
    }

    private static void send(EmbeddedKafka kafka, String topic, String key, String value) throws Exception {
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class))) {
            producer.send(new ProducerRecord<>(topic, key, value)).get(30, TimeUnit.SECONDS);
        }
    }

    /** Reads {@code count} records from the start of the topic as {@code group}, committing on close. */
    private static List<ConsumerRecord<String, String>> consume(EmbeddedKafka kafka, String topic, String group,
            int count) {
        List<ConsumerRecord<String, String>> records = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, group,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class))) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + POLL_LIMIT.toNanos();
            while (records.size() < count && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
            consumer.commitSync();
        }
        records.sort((a, b) -> Long.compare(a.offset(), b.offset()));
        return records;
    }
}
