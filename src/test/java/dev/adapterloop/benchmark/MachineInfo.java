package dev.adapterloop.benchmark;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** What the figures were measured on: CPU, cores, load, JVM and the benchmark's JVM options. */
final class MachineInfo {

    private MachineInfo() {
    }

    static Map<String, Object> read() throws IOException {
        Map<String, Object> info = new LinkedHashMap<>();
        info.put("cpu", Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
                .filter(line -> line.startsWith("model name")).findFirst()
                .map(line -> line.substring(line.indexOf(':') + 1).strip()).orElse("unknown"));
        info.put("cpus", Runtime.getRuntime().availableProcessors());
        info.put("loadavg_start", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        info.put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
        info.put("jvm_options", WorkerLauncher.JVM_OPTIONS);
        info.put("heap_timing_cases", WorkerLauncher.TRAINER_HEAP);
        info.put("heap_corpus_cases", WorkerLauncher.CORPUS_HEAP);
        info.put("started", java.time.OffsetDateTime.now().toString());
        return info;
    }
}
