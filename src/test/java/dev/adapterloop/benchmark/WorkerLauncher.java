package dev.adapterloop.benchmark;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.adapterloop.engine.CpuKernels;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Starts one benchmark case in a process of its own and reads the JSON object it prints last. Java cases get a fresh
 * JVM on this JVM's class path with the thread count fixed before PyTorch loads; the peer is the team's PyTorch
 * {@code bench.py}.
 */
final class WorkerLauncher {

    /**
     * The JVM settings of every Java case, reported with the figures since peak RSS depends on them. A training
     * process needs little heap (weights and activations live in libtorch's memory): a 16 MB young generation holds
     * a step's garbage, where the default (a third of the heap) would touch ~85 MB of eden for nothing. Only the cases
     * that parse the whole corpus get more.
     */
    static final List<String> JVM_OPTIONS = List.of("-XX:+UseSerialGC", "--enable-native-access=ALL-UNNAMED",
            "-Djava.util.logging.manager=org.jboss.logmanager.LogManager", "-Dai.djl.offline=true",
            "-Dai.djl.pytorch.num_interop_threads=1");
    static final String TRAINER_HEAP = "-Xmx256m -Xmn16m";
    static final String CORPUS_HEAP = "-Xmx2g";

    private final ObjectMapper json;

    WorkerLauncher(ObjectMapper json) {
        this.json = json;
    }

    JsonNode java(int threads, String benchmarkCase, String... args) throws IOException, InterruptedException {
        return java(threads, EngineSettings.DEFAULT, benchmarkCase, args);
    }

    /** A Java case under {@code settings} (CPU kernels, allocator, attention: set up by the worker itself). */
    JsonNode java(int threads, EngineSettings settings, String benchmarkCase, String... args)
            throws IOException, InterruptedException {
        String heap = benchmarkCase.equals("train") || benchmarkCase.equals("matmul") ? TRAINER_HEAP : CORPUS_HEAP;
        return java(BenchmarkWorker.class, heap, threads, settings, benchmarkCase, args);
    }

    /** A case of {@code worker} (a class with a {@code main} that takes {@code --case}) with these heap options. */
    JsonNode java(Class<?> worker, String heap, int threads, EngineSettings settings, String benchmarkCase,
                  String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        command.addAll(JVM_OPTIONS);
        command.addAll(settings.systemProperties());
        command.addAll(List.of(heap.split(" ")));
        command.add("-Dai.djl.pytorch.num_threads=" + threads);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(worker.getName());
        command.add("--case");
        command.add(benchmarkCase);
        command.addAll(List.of(args));
        String label = (benchmarkCase + " " + String.join(" ", args) + " threads=" + threads + " "
                + settings.difference()).strip();
        ProcessBuilder builder = new ProcessBuilder(command);
        // The mode decides the libraries' variables, not whatever this process inherited.
        builder.environment().keySet().removeAll(CpuKernels.LIBRARY_VARIABLES);
        return run(builder, Map.of("OMP_NUM_THREADS", "" + threads), label);
    }

    JsonNode peer(Path folder, List<Integer> threads, int batch, int sequenceLength, int warmup, int steps)
            throws IOException, InterruptedException {
        // Debian's interpreter, where the peer's setup.sh installs Debian's PyTorch; a python3 earlier on PATH
        // (pyenv, a venv) would not have it.
        String python = Files.isExecutable(Path.of("/usr/bin/python3")) ? "/usr/bin/python3" : "python3";
        List<String> command = List.of(python, folder.resolve("bench.py").toAbsolutePath().toString(),
                "--threads", threads.stream().map(String::valueOf).collect(Collectors.joining(",")),
                "--batch", "" + batch, "--seq", "" + sequenceLength, "--warmup", "" + warmup, "--steps", "" + steps,
                "--cases", "matmul,lora");
        return run(new ProcessBuilder(command).directory(folder.toFile()), Map.of(), "PyTorch peer " + threads);
    }

    /** Any other process that prints its result as a JSON object on the last line of stdout. */
    JsonNode process(List<String> command, Map<String, String> environment, String label)
            throws IOException, InterruptedException {
        return run(new ProcessBuilder(command), environment, label);
    }

    private JsonNode run(ProcessBuilder builder, Map<String, String> environment, String label)
            throws IOException, InterruptedException {
        System.err.println("[benchmark] " + label + " ...");
        builder.environment().putAll(environment);
        builder.redirectError(ProcessBuilder.Redirect.INHERIT);
        Process process = builder.start();
        String stdout = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        int exit = process.waitFor();
        String[] lines = stdout.strip().split("\n");
        if (exit != 0 || lines.length == 0 || !lines[lines.length - 1].startsWith("{")) {
            throw new IOException(label + " failed with exit code " + exit + "; its output ended with: "
                    + stdout.substring(Math.max(0, stdout.length() - 2000)));
        }
        JsonNode result = json.readTree(lines[lines.length - 1]);
        System.err.printf("[benchmark]   -> median %.3f s, peak RSS %.0f MiB%n", result.path("median_s").asDouble(),
                result.path("peak_rss_mib").asDouble(result.path("peak_rss_mib_max").asDouble()));
        return result;
    }
}
