package dev.adapterloop.process;

import dev.adapterloop.testing.TestApiKeys;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * The packaged service ({@code target/quarkus-app/quarkus-run.jar serve}) as a separate operating-system process,
 * for tests that kill it with SIGKILL: nothing of it survives but what it wrote to Kafka, S3 and its data folder.
 * Its output goes to a log file per start, shown when a test fails. It runs in the prod profile on Kafka and S3 that
 * it did not start, so, like a real deployment, it needs credentials configured to serve HTTP: it gets the test
 * suite's admin API key ({@link TestApiKeys#ADMIN}).
 */
final class ServiceProcess implements AutoCloseable {

    static final Path JAR = Path.of("target", "quarkus-app", "quarkus-run.jar");
    private static final String READY = "adapterloop: serving";

    private final String name;
    private final Path dataDir;
    private final Map<String, String> config;
    private final List<String> jvmOptions;
    private final int httpPort;
    private Process process;
    private Path log;
    private int starts;

    /**
     * @param dataDir the replica's own data folder (work dir, model cache, checkpoints); kept across restarts
     * @param config  system properties for the service (endpoints, task settings)
     */
    ServiceProcess(String name, Path dataDir, Map<String, String> config) {
        this(name, dataDir, config, List.of("-Xmx1g"));
    }

    /** @param jvmOptions heap and GC options in place of the default {@code -Xmx1g} */
    ServiceProcess(String name, Path dataDir, Map<String, String> config, List<String> jvmOptions) {
        this.name = name;
        this.dataDir = dataDir;
        this.config = new TreeMap<>(config);
        this.jvmOptions = List.copyOf(jvmOptions);
        this.httpPort = freePort();
    }

    /** The port the service's HTTP API listens on. */
    int httpPort() {
        return httpPort;
    }

    /** Starts the process and waits for its ready line; a process that dies first fails with its log. */
    ServiceProcess start(Duration timeout) throws IOException, InterruptedException {
        if (!Files.isRegularFile(JAR)) {
            throw new IllegalStateException(JAR + " is missing: run the integration tests through 'mvn verify'");
        }
        starts++;
        log = dataDir.resolveSibling(name + "-" + starts + ".log");
        Files.createDirectories(dataDir);
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        command.addAll(jvmOptions);
        command.add("-XX:+UseSerialGC");
        command.add("-Dai.djl.offline=true");
        command.add("-Dai.djl.pytorch.num_threads=1");
        command.add("-Dai.djl.pytorch.num_interop_threads=1");
        command.add("-Dadapterloop.embedded.data-dir=" + dataDir.toAbsolutePath());
        command.add("-Dquarkus.http.port=" + httpPort);
        command.add("-Dadapterloop.security.api-keys.test-admin.key-sha256=" + TestApiKeys.ADMIN_SHA256);
        command.add("-Dadapterloop.security.api-keys.test-admin.roles=admin");
        // a packaged service on real (here: the test's) Kafka and S3 refuses the development prediction-id key
        command.add("-Dadapterloop.serving.prediction-id-key=service-process-test-prediction-id-key");
        config.forEach((key, value) -> command.add("-D" + key + "=" + value));
        command.add("-jar");
        command.add(JAR.toAbsolutePath().toString());
        command.add("serve");
        process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();

        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (logText().contains(READY)) {
                return this;
            }
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited with " + process.exitValue() + " before it was ready:\n"
                        + tail());
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException(name + " not ready after " + timeout + ":\n" + tail());
    }

    /** SIGKILL: no shutdown hook, no flush, no goodbye to the consumer group. */
    Instant kill() throws InterruptedException {
        process.destroyForcibly();
        Instant killed = Instant.now();
        process.waitFor(30, TimeUnit.SECONDS);
        return killed;
    }

    boolean isAlive() {
        return process != null && process.isAlive();
    }

    Path dataDir() {
        return dataDir;
    }

    String name() {
        return name;
    }

    /** The current start's output so far. */
    String logText() {
        try {
            return log == null || !Files.exists(log) ? "" : Files.readString(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    String tail() {
        String text = logText();
        return text.length() <= 6000 ? text : "..." + text.substring(text.length() - 6000);
    }

    @Override
    public void close() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroy(); // SIGTERM: a clean stop between tests
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            }
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
