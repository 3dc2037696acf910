package dev.adapterloop.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The clients the service runs with ride out a broker restart: one producer and one consumer, kept open while the
 * broker stops and starts again on the same port and log directory, lose nothing and see nothing twice; a record
 * sent while the broker is away is delivered once it is back. (Such a send blocks its caller while the producer has no
 * metadata, up to {@code max.block.ms}, 60 s by default.)
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class KafkaBrokerRestartTest {
    private static final String TOPIC = "labeled-data";
    private static final String KEY = "spam"; // one key: one partition, so order is defined
    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    @Test
    void producerAndConsumerCarryOnAcrossABrokerRestart() throws Exception {
        EmbeddedKafka kafka = EmbeddedKafka.start(dir);
        try (KafkaProducer<String, String> producer = producer(kafka.bootstrapServers());
                KafkaConsumer<String, String> consumer = consumer(kafka.bootstrapServers())) {
            kafka.createTopics(TOPIC);
            consumer.subscribe(List.of(TOPIC));
            List<ConsumerRecord<String, String>> received = new ArrayList<>();

            sendAndWait(producer, "before-", 5);
            pollUntil(consumer, received, 5);
            consumer.commitSync();

            kafka.close();
            // send() blocks (up to max.block.ms) while the producer has no metadata for the topic: off this thread
            CompletableFuture<RecordMetadata> whileAway = CompletableFuture.supplyAsync(() -> send(producer,
                    "while-away"));
            consumer.poll(Duration.ofMillis(500)); // the consumer finds the broker gone and keeps trying

            kafka = EmbeddedKafka.start(kafka.settings());
            whileAway.get(WAIT.toSeconds(), TimeUnit.SECONDS);
            sendAndWait(producer, "after-", 5);
            pollUntil(consumer, received, 11);
            consumer.commitSync();

            List<String> expected = new ArrayList<>();
            IntStream.range(0, 5).forEach(i -> expected.add("before-" + i));
            expected.add("while-away");
            IntStream.range(0, 5).forEach(i -> expected.add("after-" + i));
            assertThat(received).extracting(ConsumerRecord::value).containsExactlyElementsOf(expected);
            assertThat(consumer.poll(Duration.ofMillis(500))).as("nothing is delivered twice").isEmpty();
        } finally {
            kafka.close();
        }
    }

    private static void sendAndWait(KafkaProducer<String, String> producer, String prefix, int count) {
        for (int i = 0; i < count; i++) {
            send(producer, prefix + i);
        }
    }

    private static RecordMetadata send(KafkaProducer<String, String> producer, String value) {
        try {
            return producer.send(new ProducerRecord<>(TOPIC, KEY, value)).get(WAIT.toSeconds(), TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("cannot send '" + value + "': " + e, e);
        }
    }

    private static void pollUntil(KafkaConsumer<String, String> consumer, List<ConsumerRecord<String, String>> into,
            int count) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (into.size() < count && System.nanoTime() < deadline) {
            consumer.poll(Duration.ofMillis(200)).forEach(into::add);
        }
        assertThat(into).as("records received within %s", WAIT).hasSize(count);
    }

    private static KafkaProducer<String, String> producer(String bootstrap) {
        return new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) Duration.ofMinutes(2).toMillis(),
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class));
    }

    private static KafkaConsumer<String, String> consumer(String bootstrap) {
        return new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.GROUP_ID_CONFIG, "adapterloop",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class));
    }
}
