package dev.adapterloop.events;

import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

import org.eclipse.microprofile.config.Config;

/**
 * The connection security settings (TLS, SASL) of every Kafka client adapterloop builds by hand, taken from the same
 * {@code kafka.*} configuration Quarkus hands to every SmallRye channel, so that one set of keys (or {@code KAFKA_*}
 * environment variables) secures both. A client built with {@code new KafkaProducer(...)} sees none of the channels'
 * configuration otherwise, and would connect in plaintext to a cluster that only offers SASL_SSL.
 *
 * <p>Only the keys that concern the connection are taken ({@code security.protocol}, {@code sasl.*}, {@code ssl.*}):
 * the other {@code kafka.*} keys (group ids, offsets, serializers) are about the channels and would change what a
 * hand-built client does.
 */
public final class KafkaClientSecurity {

    /** A Kafka client key is a security setting when it is one of these or starts with one ending in a dot. */
    public static final java.util.List<String> KEYS = java.util.List.of("security.protocol", "sasl.", "ssl.");

    private KafkaClientSecurity() {
    }

    /**
     * The security settings among {@code config}'s {@code kafka.*} keys, named as Kafka clients name them. Names are
     * read the way Quarkus builds its {@code default-kafka-broker} configuration for the channels
     * ({@code KafkaRuntimeConfigProducer}): any property whose lower-cased name starts with {@code kafka}, the prefix
     * and its separator dropped, {@code _} read as {@code .} (so {@code KAFKA_SASL_JAAS_CONFIG} is
     * {@code sasl.jaas.config}); {@code kafka.ui.*} is not Kafka's.
     */
    public static Map<String, Object> from(Config config) {
        Map<String, String> kafka = new TreeMap<>();
        for (String name : config.getPropertyNames()) {
            String lower = name.toLowerCase(Locale.ROOT);
            if (!lower.startsWith("kafka") || lower.startsWith("kafka.ui") || lower.length() <= "kafka".length() + 1) {
                continue;
            }
            String key = lower.substring("kafka".length() + 1).replace('_', '.');
            config.getOptionalValue(name, String.class).ifPresent(value -> kafka.put(key, value));
        }
        return select(kafka);
    }

    /** The security settings among Kafka client settings ({@code bootstrap.servers}, {@code sasl.mechanism}, ...). */
    public static Map<String, Object> select(Map<String, ?> clientSettings) {
        Map<String, Object> security = new TreeMap<>();
        clientSettings.forEach((key, value) -> {
            if (isSecurityKey(key) && value != null && !value.toString().isBlank()) {
                security.put(key, value);
            }
        });
        return security;
    }

    public static boolean isSecurityKey(String key) {
        return KEYS.stream().anyMatch(k -> k.endsWith(".") ? key.startsWith(k) : key.equals(k));
    }
}
