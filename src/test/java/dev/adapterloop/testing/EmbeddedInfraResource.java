package dev.adapterloop.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;

import dev.adapterloop.embedded.EmbeddedInfrastructure;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * A real Kafka broker and a real S3 server for a {@code @QuarkusTest}, on a fresh temporary folder that is removed
 * afterwards: {@code @QuarkusTestResource(EmbeddedInfraResource.class)}. The application gets their endpoints, the S3
 * keys and the bucket {@value #BUCKET}.
 */
public class EmbeddedInfraResource implements QuarkusTestResourceLifecycleManager {
    public static final String BUCKET = "adapterloop-test";
    public static final String S3_BUCKET = "adapterloop.s3.bucket";

    private Path dataDir;
    private EmbeddedInfrastructure infrastructure;

    @Override
    public Map<String, String> start() {
        try {
            dataDir = Files.createTempDirectory("adapterloop-test-infra-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        infrastructure = EmbeddedInfrastructure.start(Map.of(EmbeddedInfrastructure.DATA_DIR, dataDir.toString())::get);
        Map<String, String> config = new HashMap<>(infrastructure.systemProperties());
        config.put(S3_BUCKET, BUCKET);
        return config;
    }

    @Override
    public void stop() {
        try {
            if (infrastructure != null) {
                infrastructure.close();
            }
        } finally {
            deleteRecursively(dataDir);
        }
    }

    private static void deleteRecursively(Path dir) {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + dir, e);
        }
    }
}
