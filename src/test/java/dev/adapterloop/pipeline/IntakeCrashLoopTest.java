package dev.adapterloop.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.adapterloop.bundled.BundledAssets;
import dev.adapterloop.events.LabeledDataEvent;
import dev.adapterloop.deadletter.DeadLetter;
import dev.adapterloop.deadletter.DeadLetterReplay;
import dev.adapterloop.deadletter.DeadLetterSelection;
import dev.adapterloop.intake.CrashLoopGuard;
import dev.adapterloop.intake.IntakeLedger;
import dev.adapterloop.registry.AdapterRegistry;
import dev.adapterloop.registry.PipelineRecords;
import dev.adapterloop.testing.EmbeddedInfraResource;
import dev.adapterloop.testing.KafkaTestClient;
import dev.adapterloop.training.JobRecord;
import dev.adapterloop.training.JobStore;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.utils.Utils;
import org.awaitility.Awaitility;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * An event the process died on three times (the cap) goes to the dead-letter topic as {@code crash-loop}, and the
 * next event trains; replayed from the dead-letter topic twice, the event trains once. The three deaths are what they leave in the bucket: the start count of the record's position,
 * written before the event is published (killing this JVM three times is not something a test in it can do).
 */
@QuarkusTest
@Tag("quarkus")
@QuarkusTestResource(value = EmbeddedInfraResource.class, restrictToAnnotatedClass = true)
class IntakeCrashLoopTest {

    private static final String TASK = "outage";
    private static final String TOPIC = "labeled-data";
    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    AdapterRegistry registry;

    @Inject
    JobStore jobs;

    @Inject
    PipelineRecords records;

    @Inject
    RecordedIntakeDecisions decisions;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    @ConfigProperty(name = "adapterloop.intake.crash-loop-cap")
    int cap;

    @Test
    @Timeout(600)
    void anEventThatKilledTheProcessCapTimesIsDeadLetteredAndTheNextEventTrains() throws Exception {
        BundledAssets.ensureModel(registry, Path.of("target", "test-data", "work"));
        // Valid data: without the guard this event would train, and the test would see its job.
        BundledAssets.Datasets killer = BundledAssets.ensureDatasets(registry, TASK, "datasets/outage/killer.jsonl",
                "datasets/outage/heldout.jsonl", 48, 40);
        BundledAssets.Datasets next = BundledAssets.ensureDatasets(registry, TASK, "datasets/outage/next.jsonl",
                "datasets/outage/heldout.jsonl", 56, 40);
        String killerId = "crash-loop-" + UUID.randomUUID();
        TopicPartition position = nextPosition();
        long offset = endOffset(position);
        records.write(PipelineRecords.intakeAttemptKey(TOPIC, position.partition(), offset),
                new CrashLoopGuard.Attempts(1, TOPIC, position.partition(), offset, killerId, cap,
                        Instant.now().toString()));

        try (KafkaTestClient kafka = new KafkaTestClient(bootstrapServers)) {
            kafka.sendCloudEvent(TOPIC, TASK, LabeledDataEvent.TYPE, JSON.writeValueAsString(
                    new LabeledDataEvent(TASK, List.of(killer.train()), killer.heldOut())), killerId);
            String nextId = kafka.sendCloudEvent(TOPIC, TASK, LabeledDataEvent.TYPE, JSON.writeValueAsString(
                    new LabeledDataEvent(TASK, List.of(next.train()), next.heldOut())));

            List<ConsumerRecord<String, String>> dead = kafka.readUntil("labeled-data-dlq", Duration.ofSeconds(60),
                    read -> read.stream().anyMatch(r -> killerId.equals(KafkaTestClient.header(r, "ce_id"))));
            ConsumerRecord<String, String> letter = dead.stream()
                    .filter(r -> killerId.equals(KafkaTestClient.header(r, "ce_id"))).findFirst().orElseThrow();
            assertThat(KafkaTestClient.header(letter, "dead-letter-reason")).startsWith("crash-loop: ")
                    .contains(TOPIC + "-" + position.partition() + "@" + offset, cap + " times");
            assertThat(records.exists(PipelineRecords.intakeAttemptKey(TOPIC, position.partition(), offset)))
                    .as("the count goes with the record").isFalse();

            Awaitility.await().atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofSeconds(2)).until(() ->
                    jobOf(nextId).map(job -> job.state().isFinished()).orElse(false));
            JobRecord job = jobOf(nextId).orElseThrow();
            assertThat(job.state()).as("failure: %s", job.failure()).isEqualTo(JobRecord.State.SUCCEEDED);
            assertThat(job.sourceEventIds()).as("the dead-lettered event's data is in no job").doesNotContain(killerId);
            assertThat(jobOf(killerId)).isEmpty();

            // The cause fixed (here: nothing to fix, the deaths were simulated), the dead letter is replayed, twice
            // by mistake: it trains once, the second copy is a duplicate.
            try (DeadLetterReplay replay = new DeadLetterReplay(bootstrapServers, Duration.ofSeconds(30))) {
                List<DeadLetter> chosen = replay.list("labeled-data-dlq", new DeadLetterSelection(null, null, null,
                        TASK, "crash-loop", Set.of(killerId)));
                assertThat(chosen).hasSize(1);
                replay.replay(chosen.get(0), TOPIC);
                replay.replay(chosen.get(0), TOPIC);
            }
            Awaitility.await().atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofSeconds(2)).until(() ->
                    decisions.outcomes(killerId).size() == 2
                            && jobOf(killerId).map(replayed -> replayed.state().isFinished()).orElse(false));
            assertThat(decisions.outcomes(killerId)).containsExactly(IntakeLedger.Outcome.TRIGGERED,
                    IntakeLedger.Outcome.DUPLICATE_EVENT);
            assertThat(jobOf(killerId).orElseThrow().state()).isEqualTo(JobRecord.State.SUCCEEDED);
            assertThat(jobs.list(Optional.of(TASK)).stream().filter(each -> each.sourceEventIds().contains(killerId)))
                    .hasSize(1);
        }
    }

    private Optional<JobRecord> jobOf(String eventId) {
        return jobs.list(Optional.of(TASK)).stream().filter(job -> job.sourceEventIds().contains(eventId)).findFirst();
    }

    /** The partition a record keyed by the task goes to, as the producer's default partitioner picks it. */
    private TopicPartition nextPosition() {
        try (KafkaConsumer<String, String> consumer = consumer()) {
            int partitions = consumer.partitionsFor(TOPIC, Duration.ofSeconds(30)).size();
            return new TopicPartition(TOPIC, Utils.toPositive(Utils.murmur2(TASK.getBytes(StandardCharsets.UTF_8)))
                    % partitions);
        }
    }

    private long endOffset(TopicPartition partition) {
        try (KafkaConsumer<String, String> consumer = consumer()) {
            Map<TopicPartition, Long> ends = consumer.endOffsets(List.of(partition), Duration.ofSeconds(30));
            return ends.get(partition);
        }
    }

    private KafkaConsumer<String, String> consumer() {
        Properties c = new Properties();
        c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        return new KafkaConsumer<>(c, new StringDeserializer(), new StringDeserializer());
    }
}
