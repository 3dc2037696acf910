package dev.adapterloop.observability;

import dev.adapterloop.events.KafkaClientSecurity;
import dev.adapterloop.registry.AdapterRegistry;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.eclipse.microprofile.config.Config;
import org.jboss.logging.Logger;

/**
 * How many events each task has on the dead-letter topics, for the console's tasks page and the metric
 * {@code adapterloop_dead_letters{topic,task}}. The dead letters live only on the {@code *-dlq} topics (keyed, as the
 * events they were, by task), so a reader thread of this replica reads them: from the beginning of what the topics
 * retain, then what arrives, every {@value #POLL_SECONDS} s. It assigns the partitions itself (no consumer group, so
 * it never takes partitions from anyone and commits nothing) and reads only keys; values are not decoded.
 *
 * <p>Started by the first request that asks ({@link #of}), so batch commands, which serve no console, never start it.
 * Until its first pass over the topics it answers empty, not zero: the page then shows that the count is unknown.
 */
@ApplicationScoped
public class DeadLetterCounts {

    private static final Logger LOG = Logger.getLogger(DeadLetterCounts.class);
    /** The dead-letter topics of the service's incoming channels (application.properties). */
    public static final List<String> TOPICS = List.of("labeled-data-dlq", "prediction-feedback-dlq",
            "adapter-predictions-dlq");
    private static final long POLL_SECONDS = 5;
    /** Keys are whatever producers sent: past this many distinct ones per topic the rest count under "(other)". */
    private static final int MAX_KEYS_PER_TOPIC = 1_000;
    private static final String OTHER = "(other)";

    private final Config config;
    private final MeterRegistry meters;
    private final Map<String, Map<String, AtomicLong>> counts = new ConcurrentHashMap<>();
    private volatile Instant readAt;
    private volatile Thread reader;
    private volatile boolean stopping;

    DeadLetterCounts(Config config, MeterRegistry meters) {
        this.config = config;
        this.meters = meters;
    }

    /** Dead letters of {@code task} by topic (every topic named, zero included); empty until the first pass. */
    public Optional<Map<String, Long>> of(String task) {
        startOnce();
        if (readAt == null) {
            return Optional.empty();
        }
        Map<String, Long> byTopic = new TreeMap<>();
        for (String topic : TOPICS) {
            AtomicLong count = counts.getOrDefault(topic, Map.of()).get(task);
            byTopic.put(topic, count == null ? 0 : count.get());
        }
        return Optional.of(byTopic);
    }

    private synchronized void startOnce() {
        if (reader != null || stopping) {
            return;
        }
        Optional<String> servers = config.getOptionalValue("kafka.bootstrap.servers", String.class);
        if (servers.isEmpty()) {
            return;
        }
        reader = Thread.ofPlatform().daemon().name("dead-letter-counts").start(() -> read(servers.get()));
    }

    private void read(String bootstrapServers) {
        Map<String, Object> settings = new HashMap<>(KafkaClientSecurity.from(config));
        settings.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        settings.put(ConsumerConfig.CLIENT_ID_CONFIG, "adapterloop-dead-letter-counts");
        settings.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        // Asking for a topic's partitions must not create the topic.
        settings.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
        settings.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5_000);
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(settings, new StringDeserializer(),
                new ByteArrayDeserializer())) {
            Set<TopicPartition> assigned = new HashSet<>();
            while (!stopping) {
                try {
                    assignNewPartitions(consumer, assigned);
                    while (!assigned.isEmpty() && !stopping) {
                        var records = consumer.poll(Duration.ofMillis(500));
                        if (records.isEmpty()) {
                            break;
                        }
                        for (ConsumerRecord<String, byte[]> record : records) {
                            count(record.topic(), record.key());
                        }
                    }
                    readAt = Instant.now();
                } catch (org.apache.kafka.common.errors.InterruptException e) {
                    return;
                } catch (RuntimeException e) { // the broker away, say: counts stay as they were, try again later
                    LOG.debugf("dead-letter counts: %s", e.toString());
                }
                Thread.sleep(Duration.ofSeconds(POLL_SECONDS));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.warnf("dead-letter counts stopped: %s", e.toString());
        }
    }

    /** Topics appear when their first dead letter is written: look again every pass, read new ones from the start. */
    private static void assignNewPartitions(KafkaConsumer<String, byte[]> consumer, Set<TopicPartition> assigned) {
        List<TopicPartition> fresh = new ArrayList<>();
        Map<String, List<PartitionInfo>> topics = consumer.listTopics(Duration.ofSeconds(5));
        for (String topic : TOPICS) {
            for (PartitionInfo partition : topics.getOrDefault(topic, List.of())) {
                TopicPartition tp = new TopicPartition(topic, partition.partition());
                if (!assigned.contains(tp)) {
                    fresh.add(tp);
                }
            }
        }
        if (!fresh.isEmpty()) {
            assigned.addAll(fresh);
            consumer.assign(assigned);
            consumer.seekToBeginning(fresh);
        }
    }

    private void count(String topic, String key) {
        Map<String, AtomicLong> byTask = counts.computeIfAbsent(topic, t -> new ConcurrentHashMap<>());
        // A key that cannot be a task name, or one too many, is not worth a metric series of its own.
        String task = AdapterRegistry.isName(key) && (byTask.containsKey(key) || byTask.size() < MAX_KEYS_PER_TOPIC)
                ? key : OTHER;
        byTask.computeIfAbsent(task, name -> {
            AtomicLong count = new AtomicLong();
            Gauge.builder("adapterloop.dead.letters", count, AtomicLong::get).tag("topic", topic).tag("task", name)
                    .description("Events on a dead-letter topic, by the task they were for (their key)")
                    .register(meters);
            return count;
        }).incrementAndGet();
    }

    @PreDestroy
    void stop() {
        stopping = true;
        Thread running = reader;
        if (running != null) {
            running.interrupt();
        }
    }
}
