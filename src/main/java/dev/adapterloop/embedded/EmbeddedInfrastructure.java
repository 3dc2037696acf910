package dev.adapterloop.embedded;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Function;

/**
 * Starts the real servers the configuration leaves out, before Quarkus reads its configuration: Kafka iff
 * {@code kafka.bootstrap.servers} is blank or absent, S3 iff {@code adapterloop.s3.endpoint} is. The caller sets
 * {@link #systemProperties()} (endpoints and S3 keys of what was started) and closes this after the application.
 * Data lives under {@code adapterloop.embedded.data-dir} (default {@code ./data}): {@code kafka/} and {@code s3/}.
 */
public final class EmbeddedInfrastructure implements AutoCloseable {
    public static final String KAFKA_BOOTSTRAP_SERVERS = "kafka.bootstrap.servers";
    public static final String S3_ENDPOINT = "adapterloop.s3.endpoint";
    public static final String S3_ACCESS_KEY = "adapterloop.s3.access-key";
    public static final String S3_SECRET_KEY = "adapterloop.s3.secret-key";
    public static final String DATA_DIR = "adapterloop.embedded.data-dir";
    public static final String KAFKA_PORT = "adapterloop.embedded.kafka.port";
    public static final String KAFKA_PARTITIONS = "adapterloop.embedded.kafka.partitions";
    public static final String S3_PORT = "adapterloop.embedded.s3.port";
    /**
     * Set by {@link #start} for the application: what this process started ({@code kafka}, {@code s3} or both,
     * comma-separated), absent when nothing. A process on the embedded default is a development run: with no
     * credentials configured it generates an admin API key instead of refusing to serve (docs/security.md).
     */
    public static final String STARTED = "adapterloop.embedded.started";

    public static final String DEFAULT_DATA_DIR = "data";
    /** Used when S3 is embedded and no access key is configured; the secret key is then random per start. */
    public static final String DEFAULT_ACCESS_KEY = "adapterloop";

    /** What would be started, decided from configuration alone. */
    public record Plan(Optional<EmbeddedKafka.Settings> kafka, Optional<EmbeddedS3.Settings> s3) {
        /** @param config a configuration value by its property name, {@code null} when absent */
        public static Plan from(Function<String, String> config) {
            Path dataDir = Path.of(valueOr(config, DATA_DIR, DEFAULT_DATA_DIR));
            Optional<EmbeddedKafka.Settings> kafka = Optional.empty();
            if (isBlank(config.apply(KAFKA_BOOTSTRAP_SERVERS))) {
                kafka = Optional.of(new EmbeddedKafka.Settings(dataDir.resolve("kafka"),
                        intValue(config, KAFKA_PORT, 0), intValue(config, KAFKA_PARTITIONS,
                                EmbeddedKafka.DEFAULT_PARTITIONS)));
            }
            Optional<EmbeddedS3.Settings> s3 = Optional.empty();
            if (isBlank(config.apply(S3_ENDPOINT))) {
                s3 = Optional.of(new EmbeddedS3.Settings(dataDir.resolve("s3"), intValue(config, S3_PORT, 0),
                        valueOr(config, S3_ACCESS_KEY, DEFAULT_ACCESS_KEY),
                        valueOr(config, S3_SECRET_KEY, randomSecret())));
            }
            return new Plan(kafka, s3);
        }

        public boolean isEmpty() {
            return kafka.isEmpty() && s3.isEmpty();
        }
    }

    private final Optional<EmbeddedKafka> kafka;
    private final Optional<EmbeddedS3> s3;
    private final Map<String, String> systemProperties;

    private EmbeddedInfrastructure(Optional<EmbeddedKafka> kafka, Optional<EmbeddedS3> s3,
            Map<String, String> systemProperties) {
        this.kafka = kafka;
        this.s3 = s3;
        this.systemProperties = systemProperties;
    }

    /**
     * Whether this build can start embedded servers: true on the JVM; false in the native executable, which is built
     * without the broker and s3proxy (a substitution, {@code NativeImageSubstitutions}, answers there, docs/native.md).
     */
    public static boolean available() {
        return true;
    }

    /**
     * Why a plan cannot run where {@link #available()} is false: which endpoints to configure instead.
     */
    public static String unavailableMessage(Plan plan) {
        List<String> missing = new ArrayList<>();
        plan.kafka().ifPresent(k -> missing.add("Kafka: set " + KAFKA_BOOTSTRAP_SERVERS + " (KAFKA_BOOTSTRAP_SERVERS)"));
        plan.s3().ifPresent(s -> missing.add("S3: set " + S3_ENDPOINT + " (ADAPTERLOOP_S3_ENDPOINT) with "
                + S3_ACCESS_KEY + " and " + S3_SECRET_KEY));
        return "The native executable has no embedded Kafka broker or S3 server (they need a JVM: run the jar for"
                + " them, docs/native.md). Configure real endpoints: " + String.join("; ", missing) + ".";
    }

    /** Nothing started: both endpoints are configured (the only case the native executable runs). */
    public static EmbeddedInfrastructure none() {
        return new EmbeddedInfrastructure(Optional.empty(), Optional.empty(), Map.of());
    }

    /** @param config a configuration value by its property name, {@code null} when absent */
    public static EmbeddedInfrastructure start(Function<String, String> config) {
        return start(Plan.from(config));
    }

    public static EmbeddedInfrastructure start(Plan plan) {
        Map<String, String> properties = new LinkedHashMap<>();
        // The two servers start at the same time: the broker spends much of its start waiting (its log's fsyncs, the
        // Raft election, its registration), and the S3 server needs no broker.
        CompletableFuture<Optional<EmbeddedS3>> s3Start = new CompletableFuture<>();
        if (plan.s3().isPresent() && plan.kafka().isPresent()) {
            Thread.ofPlatform().name("adapterloop-embedded-s3-start").daemon().start(() -> {
                try {
                    s3Start.complete(plan.s3().map(EmbeddedS3::start));
                } catch (Throwable e) {
                    s3Start.completeExceptionally(e);
                }
            });
        }
        Optional<EmbeddedKafka> kafka;
        try {
            kafka = plan.kafka().map(EmbeddedKafka::start);
        } catch (RuntimeException e) {
            s3Start.thenAccept(s3 -> s3.ifPresent(EmbeddedS3::close)); // once it is up, if ever
            throw e;
        }
        kafka.ifPresent(k -> properties.put(KAFKA_BOOTSTRAP_SERVERS, k.bootstrapServers()));
        Optional<EmbeddedS3> s3;
        try {
            s3 = plan.kafka().isPresent() && plan.s3().isPresent() ? joinStart(s3Start)
                    : plan.s3().map(EmbeddedS3::start);
        } catch (RuntimeException e) {
            kafka.ifPresent(EmbeddedKafka::close);
            throw e;
        }
        s3.ifPresent(server -> {
            EmbeddedS3.Settings settings = plan.s3().orElseThrow();
            properties.put(S3_ENDPOINT, server.endpoint());
            properties.put(S3_ACCESS_KEY, settings.accessKey());
            properties.put(S3_SECRET_KEY, settings.secretKey());
        });
        List<String> started = new ArrayList<>();
        kafka.ifPresent(k -> started.add("kafka"));
        s3.ifPresent(s -> started.add("s3"));
        if (!started.isEmpty()) {
            properties.put(STARTED, String.join(",", started));
        }
        return new EmbeddedInfrastructure(kafka, s3, Map.copyOf(properties));
    }

    private static Optional<EmbeddedS3> joinStart(CompletableFuture<Optional<EmbeddedS3>> start) {
        try {
            return start.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw e;
        }
    }

    /**
     * Reads a property as MicroProfile Config does, before Quarkus runs: the system property, else the environment
     * variable ({@code kafka.bootstrap.servers} → {@code KAFKA_BOOTSTRAP_SERVERS}).
     */
    public static String systemConfig(String name) {
        String value = System.getProperty(name);
        return value != null ? value : System.getenv(name.replaceAll("[^A-Za-z0-9]", "_").toUpperCase(Locale.ROOT));
    }

    /** The properties that point the application at what was started (contains the S3 secret key: do not log). */
    public Map<String, String> systemProperties() {
        return systemProperties;
    }

    public Optional<EmbeddedKafka> kafka() {
        return kafka;
    }

    public Optional<EmbeddedS3> s3() {
        return s3;
    }

    /** Stops what was started, S3 first; data stays on disk. */
    @Override
    public void close() {
        try {
            s3.ifPresent(EmbeddedS3::close);
        } finally {
            kafka.ifPresent(EmbeddedKafka::close);
        }
    }

    private static boolean isBlank(String value) {
        return value == null || value.isBlank();
    }

    private static String valueOr(Function<String, String> config, String name, String fallback) {
        String value = config.apply(name);
        return isBlank(value) ? fallback : value.strip();
    }

    private static int intValue(Function<String, String> config, String name, int fallback) {
        String value = config.apply(name);
        if (isBlank(value)) {
            return fallback;
        }
        try {
            return Integer.parseInt(value.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("`" + name + "` must be an integer, got '" + value + "'", e);
        }
    }

    private static String randomSecret() {
        byte[] bytes = new byte[20];
        new SecureRandom().nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }
}
