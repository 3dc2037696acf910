package dev.adapterloop.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.adapterloop.events.KafkaClientSecurity;
import dev.adapterloop.events.LabeledDataEvent;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * What an outside system does with adapterloop's topics, with plain Kafka clients: publish a labeled-data event as a
 * binary-mode CloudEvent and read the evaluation that answers it.
 */
final class EventClient implements AutoCloseable {

    static final String LABELED_DATA_TOPIC = "labeled-data";
    static final String EVALUATIONS_TOPIC = "adapter-evaluations";

    private final ObjectMapper json;
    private final KafkaProducer<String, String> producer;
    private final KafkaConsumer<String, String> consumer;

    /**
     * @param security the {@code kafka.*} security settings ({@link KafkaClientSecurity#from}): the same TLS and SASL
     *                 as the service's channels, so the quickstart reaches a cluster that only offers SASL_SSL
     */
    EventClient(String bootstrapServers, Map<String, Object> security, ObjectMapper json) {
        this.json = json;
        Properties p = new Properties();
        p.putAll(security);
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        producer = new KafkaProducer<>(p, new StringSerializer(), new StringSerializer());
        Properties c = new Properties();
        c.putAll(security);
        c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        c.put(ConsumerConfig.GROUP_ID_CONFIG, "adapterloop-quickstart-" + UUID.randomUUID());
        c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        consumer = new KafkaConsumer<>(c, new StringDeserializer(), new StringDeserializer());
    }

    /**
     * Reads {@code topic} from the beginning with a group of its own; callers filter by event id. (Seeking to the
     * end is not an option: the topic may not exist until the service first writes to it.)
     */
    void subscribe(String topic) {
        consumer.subscribe(List.of(topic));
    }

    String publishLabeledData(LabeledDataEvent event) throws Exception {
        String id = UUID.randomUUID().toString();
        ProducerRecord<String, String> record = new ProducerRecord<>(LABELED_DATA_TOPIC, event.task(),
                json.writeValueAsString(event));
        Map.of("ce_specversion", "1.0", "ce_id", id, "ce_type", LabeledDataEvent.TYPE,
                        "ce_source", "urn:adapterloop:quickstart", "ce_time", OffsetDateTime.now().toString(),
                        "content-type", "application/json")
                .forEach((k, v) -> record.headers().add(k, v.getBytes(StandardCharsets.UTF_8)));
        try {
            producer.send(record).get();
        } catch (ExecutionException e) {
            // Kafka's own error (a refused password, an untrusted broker certificate) says what is wrong; the
            // future's wrapper only hides it from the quickstart's output.
            throw e.getCause() instanceof KafkaException kafka ? kafka : e;
        }
        return id;
    }

    /** The evaluation whose {@code sourceEventId} is {@code eventId}. */
    JsonNode awaitEvaluation(String eventId, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(500))) {
                JsonNode data = json.readTree(record.value());
                if (eventId.equals(data.path("sourceEventId").asText())) {
                    return data;
                }
            }
        }
        throw new IllegalStateException("no evaluation event for " + eventId + " on " + EVALUATIONS_TOPIC
                + " within " + timeout);
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
        consumer.close(Duration.ofSeconds(5));
    }
}
