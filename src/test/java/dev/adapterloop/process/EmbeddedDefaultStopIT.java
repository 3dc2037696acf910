package dev.adapterloop.process;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The packaged service on the embedded default, stopped with SIGTERM, closes its embedded broker before the JVM
 * exits: Kafka writes {@code .kafka_cleanshutdown} into its log directory only on a clean stop. Before the launcher's
 * shutdown hook the JVM halted first, and every restart on the same {@code data/} paid the broker's log recovery and
 * a ~9 s wait for the old broker registration's session (BENCHMARKS.md, time to ready).
 */
class EmbeddedDefaultStopIT {

    @Test
    void sigtermStopsTheEmbeddedBrokerCleanly() throws Exception {
        Path root = Path.of("target", "it-embedded-default-stop").toAbsolutePath();
        deleteRecursively(root);
        Path data = root.resolve("data");
        Path cleanShutdown = data.resolve("kafka").resolve(".kafka_cleanshutdown");
        for (int start = 1; start <= 2; start++) {
            Files.deleteIfExists(cleanShutdown); // whatever is there after the stop comes from this start's stop
            ServiceProcess service = new ServiceProcess("embedded-default", data, Map.of());
            try {
                service.start(Duration.ofMinutes(3));
                assertThat(service.logText()).contains("Embedded Kafka").contains("Embedded S3");
            } finally {
                service.close(); // SIGTERM, waits for the exit
            }
            assertThat(cleanShutdown).as("start %d stopped the broker cleanly:%n%s", start, service.tail()).exists();
        }
    }

    private static void deleteRecursively(Path root) throws Exception {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }
}
