package dev.adapterloop.promotion;

import static org.assertj.core.api.Assertions.assertThat;

import dev.adapterloop.events.PredictionId;
import dev.adapterloop.testing.EmbeddedInfraResource;
import dev.adapterloop.testing.KafkaTestClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Feedback and prediction records over a real Kafka broker into the A/B test's state in a real S3 server: joined
 * feedback is counted for the arm that answered, prediction records feed the guardrails, and each kind of bad feedback
 * lands on the dead-letter topic with its reason while the consumer goes on.
 */
@QuarkusTest
@Tag("quarkus")
@QuarkusTestResource(value = EmbeddedInfraResource.class, restrictToAnnotatedClass = true)
class FeedbackConsumerTest {


    @Inject
    Promotions promotions;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    /** The key the service signs and checks prediction ids with (the test profile sets its own). */
    @ConfigProperty(name = "adapterloop.serving.prediction-id-key")
    String key;

    @Test
    @Timeout(180)
    void feedbackIsCountedPerArmAndBadFeedbackGoesToTheDeadLetterTopic() throws Exception {
        promotions.experiments().start("spam", "v-old", "v-new");
        Instant now = Instant.now();
        String challengerSaidSpam = PredictionId.issue(key, "spam", "v-new", "challenger", "spam", now);
        String championSaidHam = PredictionId.issue(key, "spam", "v-old", "champion", "ham", now);
        String forged = PredictionId.issue("not-our-key-0123456789", "spam", "v-new", "challenger", "spam", now);

        try (KafkaTestClient kafka = new KafkaTestClient(bootstrapServers);
             KafkaProducer<String, String> producer = producer()) {
            Map<String, String> bad = Map.of(
                    send(producer, "{\"predictionId\": ", null), "malformed",
                    send(producer, "{\"predictionId\":\"" + forged + "\",\"label\":\"spam\"}", null), "bad prediction id",
                    send(producer, "{\"predictionId\":\"" + challengerSaidSpam + "\",\"label\":\"eggs\"}", null),
                    "unknown label",
                    send(producer, "{\"predictionId\":\"" + challengerSaidSpam + "\",\"label\":\"spam\"}", "other"),
                    "foreign task",
                    send(producer, "{\"predictionId\":\"" + championSaidHam + "\",\"reward\":2}", null), "bad reward");
            send(producer, "{\"predictionId\":\"" + challengerSaidSpam + "\",\"label\":\"spam\"}", "spam");
            send(producer, "{\"predictionId\":\"" + championSaidHam + "\",\"reward\":0.25}", null);
            // the same prediction again, as another event: it counts once, the first time
            send(producer, "{\"predictionId\":\"" + championSaidHam + "\",\"reward\":0.25}", null);
            kafka.sendCloudEvent("adapter-predictions", "spam", "adapterloop.prediction",
                    "{\"schemaVersion\":1,\"predictionId\":\"" + challengerSaidSpam + "\",\"task\":\"spam\","
                            + "\"version\":\"v-new\",\"variant\":\"challenger\",\"label\":\"spam\",\"latencyMs\":12.5,"
                            + "\"error\":false}");

            List<ConsumerRecord<String, String>> dlq = kafka.readUntil("prediction-feedback-dlq",
                    Duration.ofSeconds(90), seen -> seen.size() >= bad.size());
            assertThat(dlq).hasSize(bad.size());
            for (ConsumerRecord<String, String> record : dlq) {
                String id = KafkaTestClient.header(record, "ce_id");
                assertThat(KafkaTestClient.header(record, "dead-letter-reason")).as(id)
                        .contains("invalid feedback (" + bad.get(id) + ")");
            }
        }
        Awaitility.await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            ExperimentState state = promotions.experiments().current("spam").orElseThrow();
            assertThat(state.challengerArm().outcomes()).isEqualTo(1);
            assertThat(state.challengerArm().rewardSum()).isEqualTo(1.0);
            assertThat(state.championArm().outcomes()).isEqualTo(1);
            assertThat(state.championArm().rewardSum()).isEqualTo(0.25);
            assertThat(state.challengerArm().requests()).isEqualTo(1);
        });
    }

    private KafkaProducer<String, String> producer() {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        return new KafkaProducer<>(p, new StringSerializer(), new StringSerializer());
    }

    /** A feedback CloudEvent in binary mode, with {@code ce_subject} when given; returns its id. */
    private static String send(KafkaProducer<String, String> producer, String data, String subject) throws Exception {
        String id = UUID.randomUUID().toString();
        ProducerRecord<String, String> record = new ProducerRecord<>("prediction-feedback", id, data);
        Map.of("ce_specversion", "1.0", "ce_id", id, "ce_type", "adapterloop.feedback", "ce_source", "urn:test",
                "content-type", "application/json").forEach((k, v) -> record.headers().add(k,
                v.getBytes(StandardCharsets.UTF_8)));
        if (subject != null) {
            record.headers().add("ce_subject", subject.getBytes(StandardCharsets.UTF_8));
        }
        producer.send(record).get();
        return id;
    }
}
