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
 * keys and the bucket {@value #BUCKET}. The application reaches S3 through a {@link FaultyTcpProxy} ({@link #s3Proxy()}),
 * which a test cuts to simulate an outage (a test's beans injected from the application go through it too).
 */
public class EmbeddedInfraResource implements QuarkusTestResourceLifecycleManager {
    public static final String BUCKET = "adapterloop-test";
    public static final String S3_BUCKET = "adapterloop.s3.bucket";

    private static volatile FaultyTcpProxy s3Proxy;

    private Path dataDir;
    private EmbeddedInfrastructure infrastructure;

    /** The proxy between the running application and S3. */
    public static FaultyTcpProxy s3Proxy() {
        if (s3Proxy == null) {
            throw new IllegalStateException("no application started with EmbeddedInfraResource");
        }
        return s3Proxy;
    }

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
        java.net.URI s3 = java.net.URI.create(config.get(EmbeddedInfrastructure.S3_ENDPOINT));
        s3Proxy = FaultyTcpProxy.start(s3.getHost(), s3.getPort(), 0);
        config.put(EmbeddedInfrastructure.S3_ENDPOINT, "http://" + s3.getHost() + ":" + s3Proxy.port());
        return config;
    }

    @Override
    public void stop() {
        try {
            if (s3Proxy != null) {
                s3Proxy.close();
                s3Proxy = null;
            }
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
