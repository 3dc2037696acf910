package dev.adapterloop.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.adapterloop.embedded.EmbeddedKafka;
import dev.adapterloop.embedded.EmbeddedKafka.SaslSsl;
import dev.adapterloop.events.DatasetRef;
import dev.adapterloop.events.KafkaClientSecurity;
import dev.adapterloop.events.LabeledDataEvent;
import dev.adapterloop.testing.TestCertificates;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.SslAuthenticationException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The quickstart's hand-built Kafka clients against a real broker whose only client listener is SASL_SSL with
 * SCRAM-SHA-512 (the embedded broker in its TLS mode, a CA made for the test): the {@code kafka.*} settings, read
 * exactly as the channels' are, make them connect; a wrong password or an untrusted CA fails with Kafka's own error.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class EventClientSaslSslTest {
    private static final ObjectMapper JSON = new ObjectMapper().findAndRegisterModules();

    @TempDir
    static Path dir;
    static TestCertificates certificates;
    static TestCertificates otherCa;
    static EmbeddedKafka kafka;

    @BeforeAll
    static void start() throws Exception {
        certificates = TestCertificates.create(dir.resolve("tls"), "adapterloop-test-ca");
        otherCa = TestCertificates.create(dir.resolve("other-tls"), "some-other-ca");
        kafka = EmbeddedKafka.start(EmbeddedKafka.Settings.of(dir.resolve("kafka")).withSaslSsl(new SaslSsl(
                certificates.serverStore(), certificates.password(), certificates.caPem(),
                Map.of("quickstart", "quickstart-password", "service", "service-password"))));
        kafka.createTopics(EventClient.LABELED_DATA_TOPIC, EventClient.EVALUATIONS_TOPIC);
    }

    @AfterAll
    static void stop() {
        if (kafka != null) {
            kafka.close();
        }
    }

    /** The configuration an operator writes: properties and, for the secret, an environment variable. */
    private static Map<String, Object> security(String password, Path ca) {
        Map<String, String> properties = new HashMap<>(Map.of(
                "kafka.bootstrap.servers", kafka.bootstrapServers(),
                "kafka.security.protocol", "SASL_SSL",
                "kafka.sasl.mechanism", "SCRAM-SHA-512",
                "KAFKA_SASL_JAAS_CONFIG", "org.apache.kafka.common.security.scram.ScramLoginModule required"
                        + " username=\"quickstart\" password=\"" + password + "\";",
                "kafka.ssl.truststore.type", "PEM",
                "kafka.ssl.truststore.location", ca.toString()));
        return KafkaClientSecurity.from(new SmallRyeConfigBuilder()
                .withSources(new PropertiesConfigSource(properties, "test", 100)).build());
    }

    @Test
    void publishesAndReadsOverSaslSsl() throws Exception {
        Map<String, Object> service = new HashMap<>(kafka.settings().saslSsl().clientSettings("service", "service-password"));
        try (EventClient client = new EventClient(kafka.bootstrapServers(),
                security("quickstart-password", certificates.caPem()), JSON);
                KafkaConsumer<String, String> consumer = serviceConsumer(service);
                KafkaProducer<String, String> producer = new KafkaProducer<>(withBootstrap(service),
                        new StringSerializer(), new StringSerializer())) {
            client.subscribe(EventClient.EVALUATIONS_TOPIC);
            String eventId = client.publishLabeledData(new LabeledDataEvent("spam",
                    List.of(new DatasetRef("datasets/spam/train.jsonl", null, null)), null));

            // What the service does: read the event, answer with an evaluation naming it.
            consumer.subscribe(List.of(EventClient.LABELED_DATA_TOPIC));
            ConsumerRecord<String, String> received = null;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (received == null && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(500))) {
                    received = record;
                }
            }
            assertThat(received).as("the labeled-data event on the broker").isNotNull();
            assertThat(new String(received.headers().lastHeader("ce_id").value(), StandardCharsets.UTF_8))
                    .isEqualTo(eventId);
            producer.send(new ProducerRecord<>(EventClient.EVALUATIONS_TOPIC, "spam",
                    "{\"sourceEventId\":\"" + eventId + "\"}")).get(60, TimeUnit.SECONDS);

            JsonNode evaluation = client.awaitEvaluation(eventId, Duration.ofSeconds(60));
            assertThat(evaluation.path("sourceEventId").asText()).isEqualTo(eventId);
        }
    }

    @Test
    void aWrongPasswordIsRefusedByTheBroker() {
        try (EventClient client = new EventClient(kafka.bootstrapServers(),
                security("not-the-password", certificates.caPem()), JSON)) {
            assertThatThrownBy(() -> client.publishLabeledData(new LabeledDataEvent("spam",
                    List.of(new DatasetRef("datasets/spam/train.jsonl", null, null)), null)))
                    .isInstanceOf(SaslAuthenticationException.class)
                    .hasMessageContaining("invalid credentials").hasMessageContaining("SCRAM-SHA-512");
        }
    }

    @Test
    void aBrokerCertificateFromAnotherCaIsRefusedByTheClient() {
        try (EventClient client = new EventClient(kafka.bootstrapServers(),
                security("quickstart-password", otherCa.caPem()), JSON)) {
            assertThatThrownBy(() -> client.publishLabeledData(new LabeledDataEvent("spam",
                    List.of(new DatasetRef("datasets/spam/train.jsonl", null, null)), null)))
                    .isInstanceOf(SslAuthenticationException.class)
                    .hasMessageContaining("SSL handshake failed")
                    .rootCause().hasMessageContaining("unable to find valid certification path");
        }
    }

    private static Map<String, Object> withBootstrap(Map<String, Object> settings) {
        Map<String, Object> all = new HashMap<>(settings);
        all.put("bootstrap.servers", kafka.bootstrapServers());
        return all;
    }

    private static KafkaConsumer<String, String> serviceConsumer(Map<String, Object> settings) {
        Map<String, Object> config = withBootstrap(settings);
        config.put(ConsumerConfig.GROUP_ID_CONFIG, "service");
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        return new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer());
    }
}
