package dev.adapterloop.deadletter;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Reads a dead-letter topic and publishes chosen records again to the topic they came from, with their key, value
 * and original headers (the CloudEvent id among them), once their cause is fixed. Replaying is safe to repeat: intake
 * takes an event id or a dataset digest in once, so a record replayed twice trains once. Plain Kafka clients, no
 * consumer group: reading commits nothing and takes no partition from the service.
 */
public final class DeadLetterReplay implements AutoCloseable {

    private static final Duration POLL = Duration.ofMillis(500);

    private final String bootstrapServers;
    private final Duration timeout;
    private KafkaProducer<String, String> producer;

    public DeadLetterReplay(String bootstrapServers, Duration timeout) {
        this.bootstrapServers = bootstrapServers;
        this.timeout = timeout;
    }

    /** The dead letters of {@code topic} that {@code selection} picks, in partition and offset order. */
    public List<DeadLetter> list(String topic, DeadLetterSelection selection) {
        Properties c = new Properties();
        c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        c.put(ConsumerConfig.CLIENT_ID_CONFIG, "adapterloop-replay-dlq-" + UUID.randomUUID());
        List<DeadLetter> picked = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(c, new StringDeserializer(),
                new StringDeserializer())) {
            List<PartitionInfo> infos = consumer.partitionsFor(topic, timeout);
            if (infos == null || infos.isEmpty()) {
                return List.of(); // never created: nothing was ever dead-lettered
            }
            List<TopicPartition> partitions = infos.stream()
                    .filter(info -> selection.partition() == null || info.partition() == selection.partition())
                    .map(info -> new TopicPartition(topic, info.partition()))
                    .sorted(java.util.Comparator.comparingInt(TopicPartition::partition)).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            // Read up to the end as it is now: records dead-lettered while we read wait for the next run.
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions, timeout);
            long deadline = System.nanoTime() + timeout.toNanos();
            while (partitions.stream().anyMatch(tp -> consumer.position(tp, timeout) < ends.get(tp))) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("could not read " + topic + " to its end (" + ends + ") within "
                            + timeout + " from " + bootstrapServers);
                }
                for (ConsumerRecord<String, String> record : consumer.poll(POLL)) {
                    if (record.offset() >= ends.get(new TopicPartition(record.topic(), record.partition()))) {
                        continue;
                    }
                    DeadLetter letter = new DeadLetter(record.topic(), record.partition(), record.offset(),
                            record.key(), record.value(), List.of(record.headers().toArray()));
                    if (selection.matches(letter)) {
                        picked.add(letter);
                    }
                }
            }
        }
        picked.sort(java.util.Comparator.comparingInt(DeadLetter::partition).thenComparingLong(DeadLetter::offset));
        return picked;
    }

    /**
     * Publishes the letter to its source topic ({@code dead-letter-topic}, else {@code fallbackTopic}) and waits for
     * the broker's acknowledgement.
     *
     * @return where it was published, {@code <topic>-<partition>@<offset>}
     */
    public String replay(DeadLetter letter, String fallbackTopic) {
        String target = letter.sourceTopic(fallbackTopic);
        ProducerRecord<String, String> record = new ProducerRecord<>(target, letter.key(), letter.value());
        letter.originalHeaders().forEach(header -> record.headers().add(header));
        record.headers().add(DeadLetter.REPLAYED_FROM, letter.position().getBytes(StandardCharsets.UTF_8));
        try {
            var sent = producer().send(record).get();
            return sent.topic() + "-" + sent.partition() + "@" + sent.offset();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while replaying " + letter.position() + " to " + target, e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("could not replay " + letter.position() + " to " + target + ": "
                    + e.getCause().getMessage(), e.getCause());
        }
    }

    private KafkaProducer<String, String> producer() {
        if (producer == null) {
            Properties p = new Properties();
            p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
            p.put(ProducerConfig.ACKS_CONFIG, "all");
            p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
            p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, String.valueOf(timeout.toMillis()));
            producer = new KafkaProducer<>(p, new StringSerializer(), new StringSerializer());
        }
        return producer;
    }

    @Override
    public void close() {
        if (producer != null) {
            producer.close(Duration.ofSeconds(5));
        }
    }
}
