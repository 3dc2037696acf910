package dev.adapterloop.benchmark;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.adapterloop.adapters.AdapterMethods;
import dev.adapterloop.engine.CpuAllocator;
import dev.adapterloop.engine.CpuKernels;
import dev.adapterloop.model.AttentionKernel;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine;

/**
 * The adapter engine's benchmark command: the GEMM peak of this machine, each method's training step on the bundled
 * encoder at 1 and 2 threads, the PyTorch peer beside it, and a convergence study — all in one run, so that the ratios
 * it reports compare figures taken under the same conditions. Every case runs in a JVM (or Python process) of its
 * own; the rounds interleave ours and the peer's, so a slow spell on a shared machine hits both.
 *
 * <p>Writes {@code target/benchmarks/engine-<time>.json} (every raw measurement) and {@code engine-<time>.md} (the
 * tables for BENCHMARKS.md). Run it with {@code ./mvnw -Pbenchmark verify} (see BENCHMARKS.md).
 */
@Command(name = "engine-benchmark", mixinStandardHelpOptions = true,
        description = "Benchmarks the adapter engine against this machine's GEMM peak and the PyTorch peer.")
public final class EngineBenchmark implements Callable<Integer> {

    @Option(names = "--threads", split = ",", defaultValue = "1,2", description = "Thread counts (default: ${DEFAULT-VALUE}).")
    List<Integer> threads;
    @Option(names = "--methods", split = ",", description = "Adapter methods (default: every registered one).")
    List<String> methods = AdapterMethods.names();
    @Option(names = "--rounds", defaultValue = "3", description = "Rounds of every timing case; figures are medians over rounds.")
    int rounds;
    @Option(names = "--batch", defaultValue = "16")
    int batch;
    @Option(names = "--seq", defaultValue = "128")
    int sequenceLength;
    @Option(names = "--warmup", defaultValue = "3")
    int warmup;
    @Option(names = "--steps", defaultValue = "20", description = "Timed steps per case.")
    int steps;
    @Option(names = "--peer", defaultValue = "../shared/peer-bench/pytorch-lora",
            description = "Folder of the PyTorch peer (bench.py); 'none' skips it.")
    String peer;
    @Option(names = "--convergence-seeds", defaultValue = "3", description = "Seeds per method; 0 skips the study.")
    int convergenceSeeds;
    @Option(names = "--convergence-steps", defaultValue = "150")
    int convergenceSteps;
    @Option(names = "--convergence-seq", defaultValue = "64")
    int convergenceSequenceLength;
    @Option(names = "--convergence-lr", defaultValue = "1e-3")
    double convergenceLearningRate;
    @Option(names = "--skip-timing", description = "Only the convergence study.")
    boolean skipTiming;
    @Option(names = "--other-kernels", split = ",", defaultValue = "PORTABLE,LIBRARY_DEFAULT",
            description = "CPU kernel modes (besides the default FAST) to time LoRA and the GEMM peak under: "
                    + "${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    List<CpuKernels> otherKernels;
    @Option(names = "--other-allocators", split = ",", defaultValue = "SYSTEM",
            description = "CPU allocators (besides the default CACHING) to time LoRA under: ${COMPLETION-CANDIDATES}"
                    + " (default: ${DEFAULT-VALUE}).")
    List<CpuAllocator> otherAllocators;
    @Option(names = "--other-attention", split = ",", defaultValue = "FUSED",
            description = "Attention kernels (besides the default UNFUSED) to time LoRA under: ${COMPLETION-CANDIDATES}"
                    + " (default: ${DEFAULT-VALUE}).")
    List<AttentionKernel> otherAttention;
    @Option(names = "--no-variants", description = "Time no other kernels, allocators or attention: the methods and the"
            + " peer only (more rounds in the same time).")
    boolean noVariants;
    @Option(names = "--profile-steps", defaultValue = "3",
            description = "Steps of every method, at every thread count, under PyTorch's profiler after the timing "
                    + "rounds, summed up by operator family; 0 skips them (default: ${DEFAULT-VALUE}).")
    int profileSteps;
    @Option(names = "--out", defaultValue = "target/benchmarks")
    Path out;

    private final ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    public static void main(String[] args) {
        System.exit(new CommandLine(new EngineBenchmark()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        if (noVariants) {
            otherKernels = List.of();
            otherAllocators = List.of();
            otherAttention = List.of();
        }
        Files.createDirectories(out);
        String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
        ObjectNode report = json.createObjectNode();
        report.set("settings", json.valueToTree(settings()));
        report.set("environment", json.valueToTree(MachineInfo.read()));
        ArrayNode measurements = report.putArray("measurements");
        WorkerLauncher launcher = new WorkerLauncher(json);
        Path peerDir = "none".equals(peer) ? null : Path.of(peer);
        if (peerDir != null && !Files.exists(peerDir.resolve("bench.py"))) {
            System.err.println("[benchmark] no PyTorch peer at " + peerDir.toAbsolutePath() + "; skipping it");
            peerDir = null;
        }
        if (!skipTiming) {
            Path examples = out.resolve("train-examples-" + sequenceLength + ".jsonl");
            launcher.java(threads.getLast(), "prepare", "--examples", examples.toString(), "--batch", "" + batch,
                    "--seq", "" + sequenceLength, "--warmup", "" + warmup, "--steps", "" + steps);
            for (int round = 1; round <= rounds; round++) {
                for (int t : threads) {
                    measurements.add(tagged(launcher.java(t, "matmul"), "matmul", null, t, round));
                    for (String method : methods) {
                        measurements.add(tagged(launcher.java(t, "train", "--method", method,
                                "--examples", examples.toString(), "--batch", "" + batch,
                                "--seq", "" + sequenceLength, "--warmup", "" + warmup, "--steps", "" + steps),
                                "train", method, t, round));
                        if (method.equals(methods.contains("lora") ? "lora" : methods.getLast())) {
                            // The peer right after our LoRA case at the same thread count: on a shared host the
                            // machine's speed drifts within minutes, and a ratio is only as good as the two
                            // conditions are alike (a peer run at the end of the round measured 0.69-1.09x).
                            peer(launcher, peerDir, report, measurements, t, round);
                        }
                    }
                    for (CpuKernels kernels : otherKernels) {
                        EngineSettings settings = EngineSettings.DEFAULT.with(kernels);
                        measurements.add(tagged(launcher.java(t, settings, "matmul"), "kernels-matmul", null, t, round)
                                .put("kernels", kernels.name()));
                        measurements.add(tagged(launcher.java(t, settings, "train", loraTraining(examples)),
                                "kernels-train", "lora", t, round).put("kernels", kernels.name()));
                    }
                    List<EngineSettings> alternatives = new ArrayList<>();
                    otherAllocators.forEach(allocator -> alternatives.add(EngineSettings.DEFAULT.with(allocator)));
                    otherAttention.forEach(attention -> alternatives.add(EngineSettings.DEFAULT.with(attention)));
                    for (EngineSettings settings : alternatives) {
                        measurements.add(tagged(launcher.java(t, settings, "train", loraTraining(examples)),
                                "setting-train", "lora", t, round).put("setting", settings.difference()));
                    }
                }
                flush(report, stamp);
            }
        }
        if (!skipTiming && profileSteps > 0) {
            Path examples = out.resolve("train-examples-" + sequenceLength + ".jsonl");
            for (int t : threads) {
                for (String method : methods) {
                    Path trace = out.resolve("profile-" + stamp + "-" + method + "-" + t + "t.json");
                    measurements.add(tagged(launcher.java(t, "train", "--method", method,
                            "--examples", examples.toString(), "--batch", "" + batch, "--seq", "" + sequenceLength,
                            "--warmup", "" + warmup, "--steps", "" + profileSteps, "--profile", trace.toString()),
                            "profile", method, t, 1));
                }
            }
            flush(report, stamp);
        }
        for (int seed = 1; seed <= convergenceSeeds; seed++) {
            for (String method : methods) {
                measurements.add(tagged(launcher.java(threads.getLast(), "converge", "--method", method,
                        "--seed", "" + seed, "--steps", "" + convergenceSteps, "--seq", "" + convergenceSequenceLength,
                        "--batch", "" + batch, "--learning-rate", "" + convergenceLearningRate),
                        "converge", method, threads.getLast(), seed));
                flush(report, stamp);
            }
        }
        Path table = out.resolve("engine-" + stamp + ".md");
        Files.writeString(table, new BenchmarkTables(report, new StepFlops(batch, sequenceLength, 8)).render(),
                StandardCharsets.UTF_8);
        System.out.println(Files.readString(table));
        System.err.println("[benchmark] wrote " + out.resolve("engine-" + stamp + ".json") + " and " + table);
        return 0;
    }

    private void peer(WorkerLauncher launcher, Path peerDir, ObjectNode report, ArrayNode measurements, int t,
                      int round) throws IOException, InterruptedException {
        if (peerDir == null) {
            return;
        }
        JsonNode peerRun = launcher.peer(peerDir, List.of(t), batch, sequenceLength, warmup, steps);
        JsonNode results = peerRun.path("results");
        measurements.add(tagged(results.path("matmul").path(String.valueOf(t)).deepCopy(), "peer-matmul", null, t,
                round));
        measurements.add(tagged(results.path("lora").path(String.valueOf(t)).deepCopy(), "peer-train", "lora", t,
                round));
        report.set("peer_environment", peerRun.path("env"));
    }

    private String[] loraTraining(Path examples) {
        return new String[] {"--method", "lora", "--examples", examples.toString(), "--batch", "" + batch,
            "--seq", "" + sequenceLength, "--warmup", "" + warmup, "--steps", "" + steps};
    }

    private ObjectNode settings() {
        ObjectNode settings = json.createObjectNode();
        settings.putPOJO("threads", threads);
        settings.putPOJO("methods", methods);
        settings.putPOJO("other_kernels", otherKernels);
        settings.putPOJO("other_allocators", otherAllocators);
        settings.putPOJO("other_attention", otherAttention);
        settings.put("rounds", rounds).put("batch", batch).put("seq", sequenceLength).put("warmup", warmup)
                .put("steps", steps).put("profile_steps", profileSteps).put("rank", 8).put("alpha", 16).put("targets", "query,value")
                .put("dropout", 0.0).put("learning_rate", 5e-4).put("peer", peer);
        settings.put("convergence_seeds", convergenceSeeds).put("convergence_steps", convergenceSteps)
                .put("convergence_seq", convergenceSequenceLength).put("convergence_lr", convergenceLearningRate);
        return settings;
    }

    private static ObjectNode tagged(JsonNode result, String kind, String method, int threads, int round) {
        ObjectNode node = result.isObject() ? (ObjectNode) result : new ObjectMapper().createObjectNode();
        node.put("kind", kind);
        if (method != null) {
            node.put("method", method);
        }
        node.put("threads", threads);
        node.put(kind.equals("converge") ? "seed" : "round", round);
        return node;
    }

    private void flush(ObjectNode report, String stamp) throws IOException {
        json.writeValue(out.resolve("engine-" + stamp + ".json").toFile(), report);
    }
}
