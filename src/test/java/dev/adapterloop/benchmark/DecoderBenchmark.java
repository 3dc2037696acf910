package dev.adapterloop.benchmark;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine;

/**
 * The decoder benchmark (issue 23, "Measure"): a LoRA training step of a Llama-shaped decoder through the product's
 * {@code CausalLmTrainer}, and greedy generation with and without the KV cache, against PyTorch eager on the same
 * weights and token ids ({@code src/test/python/decoder_peer.py}, Debian's torch 1.13 on OpenBLAS at its best
 * kernels). It writes the random model once ({@link RandomDecoder}), checks that the peer computes the same logits,
 * then times each case in a process of its own, ours and the peer's alternating.
 *
 * <p>Writes {@code target/benchmarks/decoder-<time>.json} (every raw measurement) and {@code decoder-<time>.md}.
 * Run it with {@code ./mvnw -Pdecoder-benchmark verify} (see BENCHMARKS.md, "Decoders (issue 23)").
 */
@Command(name = "decoder-benchmark", mixinStandardHelpOptions = true,
        description = "Benchmarks LoRA training and greedy generation of a Llama-shaped decoder against PyTorch.")
public final class DecoderBenchmark implements Callable<Integer> {

    /**
     * Decoder JVMs: a young generation large enough that no garbage collection runs during the training steps, and
     * direct memory for the checkpoint, which is read whole into one buffer. Not the trainers' 16 MB young generation:
     * the decoder's backward pass reads scalars that DJL placed in Java direct buffers during the forward pass
     * ({@code CausalAttention}'s {@code q.mul(scale)}, the {@code x.mul(beta)} inside DJL's {@code Activation.swish}),
     * and a collection between the two frees them (what {@code TorchArrays} describes): with {@code -Xmn16m} the
     * LoRA step's loss became NaN at step 3 in 5 of the 6 runs that got there. The workers report {@code gc_during_training}, which must
     * be 0.
     */
    static final String DECODER_HEAP = "-Xmx1g -Xmn512m -XX:MaxDirectMemorySize=1g";

    @Option(names = "--threads", split = ",", defaultValue = "1,2", description = "Thread counts (default: ${DEFAULT-VALUE}).")
    List<Integer> threads;
    @Option(names = "--hidden", defaultValue = "512")
    int hidden;
    @Option(names = "--layers", defaultValue = "8")
    int layers;
    @Option(names = "--heads", defaultValue = "8")
    int heads;
    @Option(names = "--kv-heads", defaultValue = "4")
    int kvHeads;
    @Option(names = "--intermediate", defaultValue = "1408")
    int intermediate;
    @Option(names = "--vocab", defaultValue = "32000")
    int vocab;
    @Option(names = "--rope-theta", defaultValue = "10000")
    double ropeTheta;
    @Option(names = "--tied-head", description = "Tie the head to the token embedding (default: untied).")
    boolean tiedHead;
    @Option(names = "--batch", defaultValue = "8")
    int batch;
    @Option(names = "--seq", defaultValue = "256")
    int sequenceLength;
    @Option(names = "--warmup", defaultValue = "3")
    int warmup;
    @Option(names = "--steps", defaultValue = "10", description = "Timed training steps per case.")
    int steps;
    @Option(names = "--rank", defaultValue = "8")
    int rank;
    @Option(names = "--prompt", defaultValue = "64")
    int promptLength;
    @Option(names = "--new-tokens", defaultValue = "64")
    int newTokens;
    @Option(names = "--generation-runs", defaultValue = "3", description = "Timed generations per cache setting.")
    int generationRuns;
    @Option(names = "--seed", defaultValue = "1234", description = "Seed of the weights and the token ids.")
    long seed;
    @Option(names = "--peer", defaultValue = "src/test/python/decoder_peer.py",
            description = "The PyTorch peer script; 'none' skips it.")
    String peer;
    @Option(names = "--out", defaultValue = "target/benchmarks")
    Path out;

    private final ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    public static void main(String[] args) {
        System.exit(new CommandLine(new DecoderBenchmark()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        Files.createDirectories(out);
        String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
        DecoderShape shape = new DecoderShape(hidden, layers, heads, kvHeads, intermediate, vocab, ropeTheta,
                tiedHead);
        Path model = out.resolve("decoder-model-" + shape.key() + "-seed" + seed).toAbsolutePath();
        int rows = batch * (warmup + steps);
        Path ids = out.resolve("decoder-ids-v" + vocab + "-" + rows + "x" + sequenceLength + "-seed" + seed
                + ".safetensors").toAbsolutePath();
        boolean written = RandomDecoder.writeFolder(shape, seed, model);
        RandomDecoder.writeIds(ids, rows, sequenceLength, vocab, seed);
        System.err.printf("[benchmark] %s: %,d parameters (%,d in the layers' projections, %,d LoRA); %s %s%n",
                shape.key(), shape.parameters(), layers * shape.projectionWeightsPerLayer(),
                shape.loraParameters(rank), written ? "wrote" : "reusing", model);

        ObjectNode report = json.createObjectNode();
        report.set("settings", settings(shape));
        report.set("environment", json.valueToTree(MachineInfo.read()));
        ArrayNode measurements = report.putArray("measurements");
        WorkerLauncher launcher = new WorkerLauncher(json);
        Path peerScript = "none".equals(peer) ? null : Path.of(peer).toAbsolutePath();
        if (peerScript != null && !Files.isRegularFile(peerScript)) {
            System.err.println("[benchmark] no PyTorch peer at " + peerScript + "; skipping it");
            peerScript = null;
        }
        String[] data = {"--model", model.toString(), "--ids", ids.toString(), "--batch", "" + batch,
            "--warmup", "" + warmup, "--steps", "" + steps, "--rank", "" + rank, "--alpha", "" + 2 * rank,
            "--prompt", "" + promptLength, "--new-tokens", "" + newTokens, "--runs", "" + generationRuns};

        Path reference = out.resolve("decoder-reference-" + stamp + ".safetensors").toAbsolutePath();
        JsonNode ours = ours(launcher, threads.getLast(), "reference", concat(data, "--reference", reference.toString()));
        report.set("reference", ours);
        if (peerScript != null) {
            Path oursJson = out.resolve("decoder-reference-" + stamp + ".json").toAbsolutePath();
            json.writeValue(oursJson.toFile(), ours);
            report.set("peer_check", peer(launcher, peerScript, threads.getLast(), "check",
                    concat(data, "--reference", reference.toString(), "--reference-json", oursJson.toString())));
            report.set("peer_environment", peer(launcher, peerScript, 1, "env", data));
        }
        flush(report, stamp);
        for (int t : threads) {
            for (String benchmarkCase : List.of("matmul", "train", "generate")) {
                measurements.add(tagged(ours(launcher, t, benchmarkCase, data), "ours", benchmarkCase, t));
                if (peerScript != null) {
                    measurements.add(tagged(peer(launcher, peerScript, t, benchmarkCase, data), "peer",
                            benchmarkCase, t));
                }
                flush(report, stamp);
            }
        }
        report.with("environment").put("loadavg_end",
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        flush(report, stamp);
        Path table = out.resolve("decoder-" + stamp + ".md");
        Files.writeString(table, new DecoderTables(report, shape).render(), StandardCharsets.UTF_8);
        System.out.println(Files.readString(table));
        System.err.println("[benchmark] wrote " + out.resolve("decoder-" + stamp + ".json") + " and " + table);
        return 0;
    }

    private static JsonNode ours(WorkerLauncher launcher, int threads, String benchmarkCase, String... args)
            throws IOException, InterruptedException {
        return launcher.java(DecoderWorker.class, DECODER_HEAP, threads, EngineSettings.DEFAULT, benchmarkCase, args);
    }

    private static JsonNode peer(WorkerLauncher launcher, Path script, int threads, String benchmarkCase,
                                 String... args) throws IOException, InterruptedException {
        // Debian's interpreter, where python3-torch lives; a python3 earlier on PATH (pyenv, a venv) lacks it.
        String python = Files.isExecutable(Path.of("/usr/bin/python3")) ? "/usr/bin/python3" : "python3";
        List<String> command = new ArrayList<>(List.of(python, script.toString(), "--case", benchmarkCase,
                "--threads", "" + threads));
        command.addAll(List.of(args));
        return launcher.process(command, Map.of("PYTHONDONTWRITEBYTECODE", "1"),
                "PyTorch peer " + benchmarkCase + " threads=" + threads);
    }

    private static String[] concat(String[] first, String... more) {
        List<String> all = new ArrayList<>(List.of(first));
        all.addAll(List.of(more));
        return all.toArray(String[]::new);
    }

    private ObjectNode settings(DecoderShape shape) {
        ObjectNode settings = json.createObjectNode();
        settings.set("shape", json.valueToTree(shape));
        settings.put("parameters", shape.parameters())
                .put("projection_parameters", layers * shape.projectionWeightsPerLayer())
                .put("lora_parameters", shape.loraParameters(rank))
                .put("lora_step_gflop", shape.loraStepFlops(batch, sequenceLength, rank) / 1e9);
        settings.putPOJO("threads", threads);
        settings.put("batch", batch).put("seq", sequenceLength).put("warmup", warmup).put("steps", steps)
                .put("rank", rank).put("alpha", 2 * rank).put("targets", "q_proj,v_proj").put("dropout", 0.0)
                .put("learning_rate", 5e-4).put("weight_decay", 0.0).put("max_grad_norm", 1.0)
                .put("prompt", promptLength).put("new_tokens", newTokens).put("generation_runs", generationRuns)
                .put("seed", seed).put("init_std", RandomDecoder.INIT_STD).put("peer", peer)
                .put("our_engine_settings", EngineSettings.DEFAULT.systemProperties().toString());
        return settings;
    }

    private static ObjectNode tagged(JsonNode result, String side, String benchmarkCase, int threads) {
        ObjectNode node = result.isObject() ? (ObjectNode) result : new ObjectMapper().createObjectNode();
        node.put("side", side).put("case", benchmarkCase).put("threads", threads)
                .put("loadavg_after", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        return node;
    }

    private void flush(ObjectNode report, String stamp) throws IOException {
        json.writeValue(out.resolve("decoder-" + stamp + ".json").toFile(), report);
    }
}
