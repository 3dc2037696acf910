package dev.adapterloop.events;

import static org.assertj.core.api.Assertions.assertThat;

import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Which {@code kafka.*} keys the hand-built clients take, and how their names are read. */
class KafkaClientSecurityTest {

    @Test
    void takesTheSecurityKeysInPropertyAndEnvironmentFormAndNothingElse() {
        SmallRyeConfig config = new SmallRyeConfigBuilder().withSources(new PropertiesConfigSource(Map.of(
                "kafka.security.protocol", "SASL_SSL",
                "kafka.sasl.mechanism", "SCRAM-SHA-512",
                // how a Kubernetes Secret arrives: an environment variable, read as sasl.jaas.config
                "KAFKA_SASL_JAAS_CONFIG", "ScramLoginModule required username=\"a\" password=\"b\";",
                "KAFKA_SSL_TRUSTSTORE_LOCATION", "/etc/kafka-ca/ca.crt",
                "kafka.ssl.truststore.type", "PEM",
                "kafka.bootstrap.servers", "kafka:9093",
                "kafka.group.id", "not-for-hand-built-clients",
                "kafka.ui.enabled", "true",
                "mp.messaging.incoming.labeled-data.sasl.mechanism", "PLAIN"), "test", 100)).build();

        assertThat(KafkaClientSecurity.from(config)).containsExactlyInAnyOrderEntriesOf(Map.of(
                "security.protocol", "SASL_SSL",
                "sasl.mechanism", "SCRAM-SHA-512",
                "sasl.jaas.config", "ScramLoginModule required username=\"a\" password=\"b\";",
                "ssl.truststore.location", "/etc/kafka-ca/ca.crt",
                "ssl.truststore.type", "PEM"));
    }

    @Test
    void noSecurityKeysMeansPlaintextAsBefore() {
        SmallRyeConfig config = new SmallRyeConfigBuilder().withSources(new PropertiesConfigSource(Map.of(
                "kafka.bootstrap.servers", "localhost:9092", "kafka.security.protocol", " "), "test", 100)).build();

        assertThat(KafkaClientSecurity.from(config)).isEmpty();
    }

    @Test
    void securityKeysAreTheConnectionOnes() {
        assertThat(KafkaClientSecurity.isSecurityKey("security.protocol")).isTrue();
        assertThat(KafkaClientSecurity.isSecurityKey("ssl.keystore.location")).isTrue();
        assertThat(KafkaClientSecurity.isSecurityKey("sasl.login.callback.handler.class")).isTrue();
        assertThat(KafkaClientSecurity.isSecurityKey("security.protocols")).isFalse();
        assertThat(KafkaClientSecurity.isSecurityKey("bootstrap.servers")).isFalse();
        assertThat(KafkaClientSecurity.isSecurityKey("sslx")).isFalse();
    }
}
