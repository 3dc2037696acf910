package dev.adapterloop.events;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.is;

import dev.adapterloop.testing.SaslSslInfraResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The service's SmallRye channels on a broker that takes only SASL_SSL with SCRAM-SHA-512, configured by
 * {@code kafka.*} keys alone: the labeled-data consumer reads an event and its dead-letter producer writes it to
 * {@code labeled-data-dlq}, and the Kafka readiness check is up. Without the keys the channels could not connect.
 */
@QuarkusTest
@Tag("quarkus")
@QuarkusTestResource(value = SaslSslInfraResource.class, restrictToAnnotatedClass = true)
@Timeout(300)
class ChannelsOverSaslSslTest {

    @Test
    void anInvalidEventGoesThroughTheConsumerToTheDeadLetterTopicOverSaslSsl() throws Exception {
        String payload = "not a labeled-data event " + UUID.randomUUID();
        Map<String, Object> client = SaslSslInfraResource.testClient();
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(client, new StringSerializer(),
                new StringSerializer())) {
            producer.send(new ProducerRecord<>("labeled-data", "spam", payload)).get(60, TimeUnit.SECONDS);
        }
        Map<String, Object> consumerSettings = new java.util.HashMap<>(client);
        consumerSettings.put(ConsumerConfig.GROUP_ID_CONFIG, "dlq-reader-" + UUID.randomUUID());
        consumerSettings.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        ConsumerRecord<String, String> dead = null;
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(consumerSettings, new StringDeserializer(),
                new StringDeserializer())) {
            consumer.subscribe(List.of("labeled-data-dlq"));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (dead == null && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(500))) {
                    if (payload.equals(record.value())) {
                        dead = record;
                    }
                }
            }
        }
        assertThat(dead).as("the event on labeled-data-dlq, written by the service's dead-letter producer").isNotNull();
        assertThat(dead.headers().lastHeader("dead-letter-reason")).as("the reason the service gave").isNotNull();

        given().when().get("/q/health/ready").then().statusCode(200).body("status", is("UP"));
    }
}
