package dev.adapterloop.cli;

import dev.adapterloop.embedded.EmbeddedInfrastructure;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * A real Kafka broker and S3 server for tests that launch {@link AdapterloopMain}. Their endpoints go into system
 * properties, not only into the test configuration: the launcher reads configuration before Quarkus starts (as it
 * does in production) and must see that both endpoints are configured, or it would start servers of its own.
 *
 * <p>{@code @QuarkusMainTest} starts and stops its resources around every launch, but a CLI session is a sequence of
 * launches over one bucket (import, then train, then export...): the servers start once per JVM and stop with it.
 */
public class CliInfraResource implements QuarkusTestResourceLifecycleManager {
    public static final String BUCKET = "adapterloop-cli-test";

    /** Marks the servers' configuration in system properties: each launch loads this class in a new classloader. */
    private static final String STARTED = "adapterloop.cli-test.";

    private final Map<String, String> previous = new HashMap<>();

    @Override
    public Map<String, String> start() {
        Map<String, String> config = servers();
        config.forEach((key, value) -> previous.put(key, System.setProperty(key, value)));
        return config;
    }

    private static synchronized Map<String, String> servers() {
        Map<String, String> shared = new HashMap<>();
        System.getProperties().stringPropertyNames().stream().filter(name -> name.startsWith(STARTED))
                .forEach(name -> shared.put(name.substring(STARTED.length()), System.getProperty(name)));
        if (shared.isEmpty()) {
            Path dataDir;
            try {
                dataDir = Files.createTempDirectory("adapterloop-cli-test-");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            EmbeddedInfrastructure infrastructure = EmbeddedInfrastructure.start(
                    Map.of(EmbeddedInfrastructure.DATA_DIR, dataDir.toString())::get);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                infrastructure.close();
                AdapterSource.delete(dataDir);
            }));
            Map<String, String> config = new HashMap<>(infrastructure.systemProperties());
            config.put("adapterloop.s3.bucket", BUCKET);
            config.forEach((key, value) -> System.setProperty(STARTED + key, value));
            return config;
        }
        return shared;
    }

    /** A value of the running servers' configuration (also between launches, when the system properties are unset). */
    public static String config(String key) {
        return System.getProperty(STARTED + key);
    }

    @Override
    public void stop() {
        previous.forEach((key, value) -> {
            if (value == null) {
                System.clearProperty(key);
            } else {
                System.setProperty(key, value);
            }
        });
        previous.clear();
    }
}
