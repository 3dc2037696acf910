package dev.adapterloop.embedded;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;

/**
 * The embedded Kafka broker and S3 server alone, as their own JVM process, for a process that cannot start them
 * itself: the native executable (docs/native.md, {@code src/build/native-smoke.sh}).
 *
 * <pre>
 * java -Dadapterloop.embedded.data-dir=DIR -cp 'target/quarkus-app/app/*:target/quarkus-app/lib/boot/*:target/quarkus-app/lib/main/*' \
 *     dev.adapterloop.embedded.EmbeddedServersMain ENDPOINTS_FILE
 * </pre>
 *
 * Reads the launcher's settings (system properties or environment: data dir, ports, S3 keys), starts what the
 * configuration leaves out, writes the endpoints and S3 keys as a properties file ({@code kafka.bootstrap.servers},
 * {@code adapterloop.s3.endpoint}, {@code adapterloop.s3.access-key}, {@code adapterloop.s3.secret-key}) once both
 * are up, and runs until it is stopped (SIGTERM stops both servers cleanly). Exit 1 when a server cannot start.
 */
public final class EmbeddedServersMain {

    private EmbeddedServersMain() {
    }

    public static void main(String[] args) throws IOException, InterruptedException {
        if (args.length != 1) {
            System.err.println("usage: EmbeddedServersMain ENDPOINTS_FILE");
            System.exit(2);
        }
        Path endpoints = Path.of(args[0]).toAbsolutePath();
        EmbeddedInfrastructure infrastructure;
        try {
            infrastructure = EmbeddedInfrastructure.start(EmbeddedInfrastructure::systemConfig);
        } catch (RuntimeException e) {
            System.err.println("embedded servers: cannot start: " + e);
            System.exit(1);
            return;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            infrastructure.close();
            stopped.countDown();
        }, "embedded-servers-stop"));

        Properties properties = new Properties();
        infrastructure.systemProperties().forEach((key, value) -> {
            if (!key.equals(EmbeddedInfrastructure.STARTED)) {
                properties.setProperty(key, value);
            }
        });
        Path partial = endpoints.resolveSibling(endpoints.getFileName() + ".partial");
        try (OutputStream out = Files.newOutputStream(partial)) {
            properties.store(out, "adapterloop embedded servers (contains the S3 secret key)");
        }
        Files.move(partial, endpoints, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        System.out.println("embedded servers: ready (Kafka " + properties.getProperty(
                EmbeddedInfrastructure.KAFKA_BOOTSTRAP_SERVERS, "not started") + ", S3 " + properties.getProperty(
                EmbeddedInfrastructure.S3_ENDPOINT, "not started") + "), endpoints in " + endpoints);
        stopped.await();
    }
}
