package dev.adapterloop.events;

import static org.assertj.core.api.Assertions.assertThat;

import dev.adapterloop.testing.EmbeddedInfraResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.common.annotation.Identifier;
import jakarta.inject.Inject;
import java.util.Map;
import org.eclipse.microprofile.config.Config;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The hand-built clients' security settings are the channels' own: what {@link KafkaClientSecurity#from} reads from
 * the configuration equals the security part of the map Quarkus builds for every SmallRye Kafka channel
 * ({@code default-kafka-broker}). {@code application.properties} sets one harmless security key under {@code %test}
 * (it changes nothing on a PLAINTEXT connection) so that the comparison is not between two empty maps.
 */
@QuarkusTest
@Tag("quarkus")
@QuarkusTestResource(value = EmbeddedInfraResource.class, restrictToAnnotatedClass = true)
@Timeout(300)
class KafkaClientSecurityQuarkusTest {

    @Inject
    @Identifier("default-kafka-broker")
    Map<String, Object> channelsKafkaConfig;

    @Inject
    Config config;

    @Test
    void handBuiltClientsGetTheSecuritySettingsQuarkusGivesTheChannels() {
        Map<String, Object> channels = KafkaClientSecurity.select(channelsKafkaConfig);
        assertThat(channels).containsEntry("ssl.endpoint.identification.algorithm", "https");
        assertThat(KafkaClientSecurity.from(config)).isEqualTo(channels);
    }
}
