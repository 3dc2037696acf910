package dev.adapterloop.benchmark;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.ParameterStore;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.adapterloop.adapters.AdaptedLanguageModel;
import dev.adapterloop.adapters.AdapterMethods;
import dev.adapterloop.adapters.SharedHyperparameters;
import dev.adapterloop.adapters.TargetModules;
import dev.adapterloop.engine.CpuAllocator;
import dev.adapterloop.engine.CpuKernels;
import dev.adapterloop.model.PretrainedModel;
import dev.adapterloop.model.decoder.CausalLmLoss;
import dev.adapterloop.model.decoder.DecoderConfig;
import dev.adapterloop.model.decoder.DecoderFamily;
import dev.adapterloop.model.decoder.DecoderModel;
import dev.adapterloop.model.decoder.TokenizedCompletion;
import dev.adapterloop.model.decoder.GreedyDecoder;
import dev.adapterloop.model.safetensors.SafetensorsFile;
import dev.adapterloop.model.safetensors.Tensor;
import dev.adapterloop.training.CausalLmTrainer;
import dev.adapterloop.training.TrainingConfig;
import dev.adapterloop.training.TrainingResult;
import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.commons.math3.stat.descriptive.rank.Median;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine;

/**
 * One case of the decoder benchmark in its own JVM (fresh thread pool, its own peak RSS), on the model folder and
 * the token ids {@link RandomDecoder} wrote. Prints exactly one JSON object on the last line of stdout.
 * <ul>
 *   <li>{@code reference}: the base model's logits of the first row and the next-token loss of the first batch
 *       (written to {@code --reference}, for the peer's parity check), and greedy tokens with and without the cache;
 *   <li>{@code train}: the product's {@link CausalLmTrainer} with LoRA on q_proj and v_proj, each sequence a
 *       completion without a prompt; the median step time of the timed steps;
 *   <li>{@code generate}: {@link GreedyDecoder} from the first row's first {@code --prompt} ids, batch 1, with and
 *       without the KV cache; the median time of {@code --runs} generations after one warm-up.
 * </ul>
 */
@Command(name = "decoder-benchmark-worker", mixinStandardHelpOptions = true)
public final class DecoderWorker implements Callable<Integer> {

    private static final Median MEDIAN = new Median();
    /** (m, k, n): 1024³, the MLP's up and down products and the head's, for batch 8 × seq 256 of the default shape. */
    static final int[][] MATMUL_SHAPES = {{1024, 1024, 1024}, {2048, 512, 1408}, {2048, 1408, 512},
        {2048, 512, 32000}};
    private static final int MATMUL_REPEATS = 10;

    @Option(names = "--case", required = true, description = "reference, train, generate or matmul")
    String benchmarkCase;
    @Option(names = "--model", required = true, description = "Hugging Face folder (config.json, model.safetensors).")
    Path modelFolder;
    @Option(names = "--ids", required = true, description = "Safetensors file of (rows, seq) token ids.")
    Path idsFile;
    @Option(names = "--batch", defaultValue = "8")
    int batch;
    @Option(names = "--warmup", defaultValue = "3")
    int warmup;
    @Option(names = "--steps", defaultValue = "10", description = "Timed training steps.")
    int steps;
    @Option(names = "--rank", defaultValue = "8")
    int rank;
    @Option(names = "--alpha", defaultValue = "16")
    double alpha;
    @Option(names = "--learning-rate", defaultValue = "5e-4")
    double learningRate;
    @Option(names = "--seed", defaultValue = "1")
    long seed;
    @Option(names = "--prompt", defaultValue = "64", description = "Prompt tokens of the generation cases.")
    int promptLength;
    @Option(names = "--new-tokens", defaultValue = "64")
    int newTokens;
    @Option(names = "--runs", defaultValue = "3", description = "Timed generations per cache setting.")
    int runs;
    @Option(names = "--reference", description = "'reference' only: where to write the logits.")
    Path referenceFile;
    @Option(names = "--profile", description = "'train' only: PyTorch's profiler trace (Chrome trace JSON) of the "
            + "timed steps. Profiling slows the steps; do not compare their times with unprofiled runs.")
    Path profileFile;

    public static void main(String[] args) {
        CpuKernels.apply(); // as the product's launcher does, before the engine loads
        CpuAllocator.install();
        System.exit(new CommandLine(new DecoderWorker()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        long started = System.nanoTime();
        Map<String, Object> result = new LinkedHashMap<>();
        if (benchmarkCase.equals("matmul")) {
            matmul(result);
            return finish(result, started);
        }
        long[][] ids = RandomDecoder.readIds(idsFile);
        DecoderConfig config = DecoderConfig.read(new ObjectMapper().readTree(
                modelFolder.resolve(PretrainedModel.CONFIG).toFile()));
        try (NDManager manager = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
            long loadStarted = System.nanoTime();
            DecoderModel decoder = DecoderFamily.loadWeights(modelFolder, config, manager);
            result.put("load_s", (System.nanoTime() - loadStarted) / 1e9);
            result.put("parameters", decoder.namedParameters().values().stream()
                    .mapToLong(p -> p.getArray().size()).sum());
            result.put("rss_after_load_mib", BenchmarkWorker.statusMib("VmRSS:"));
            switch (benchmarkCase) {
                case "reference" -> reference(decoder, manager, ids, result);
                case "train" -> train(decoder, manager, ids, config.padIdOrFallback(), result);
                case "generate" -> generate(decoder, manager, ids[0], result);
                default -> throw new CommandLine.ParameterException(new CommandLine(this),
                        "--case must be reference, train, generate or matmul, got '" + benchmarkCase + "'");
            }
        }
        return finish(result, started);
    }

    private static int finish(Map<String, Object> result, long started) throws Exception {
        result.put("threads", JniUtils.getNumThreads());
        result.put("cpu_kernels", CpuKernels.apply().name());
        result.put("mkl_code_path", CpuKernels.mklCodePath().orElse("unknown"));
        result.put("cpu_allocator", CpuAllocator.install().name());
        result.put("wall_s", (System.nanoTime() - started) / 1e9);
        result.put("peak_rss_mib", BenchmarkWorker.statusMib("VmHWM:"));
        System.out.println(new ObjectMapper().writeValueAsString(result));
        return 0;
    }

    /**
     * Dense fp32 GEMM throughput on the default model's shapes (and 1024³): the median of {@value #MATMUL_REPEATS}
     * products each, after 3; {@code peak_gflops} is the best shape. Both sides time the same shapes.
     */
    private void matmul(Map<String, Object> result) {
        double peak = 0;
        try (NDManager manager = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
            manager.getEngine().setRandomSeed(0);
            for (int[] shape : MATMUL_SHAPES) {
                NDArray x = manager.randomNormal(new Shape(shape[0], shape[1]));
                NDArray y = manager.randomNormal(new Shape(shape[1], shape[2]));
                double[] seconds = new double[MATMUL_REPEATS];
                for (int i = -3; i < seconds.length; i++) {
                    try (NDManager scratch = manager.newSubManager()) {
                        long t0 = System.nanoTime();
                        NDArray product = x.matMul(y);
                        long t1 = System.nanoTime();
                        product.attach(scratch);
                        if (i >= 0) {
                            seconds[i] = (t1 - t0) / 1e9;
                        }
                    }
                }
                double gflops = 2.0 * shape[0] * shape[1] * shape[2] / MEDIAN.evaluate(seconds) / 1e9;
                result.put(shape[0] + "x" + shape[1] + "@" + shape[1] + "x" + shape[2], gflops);
                peak = Math.max(peak, gflops);
            }
        }
        result.put("peak_gflops", peak);
    }

    /** The base model's forward on the first batch: what the peer's parity check compares with. */
    private void reference(DecoderModel decoder, NDManager manager, long[][] ids, Map<String, Object> result)
            throws Exception {
        result.put("loss", writeReference(decoder, manager, ids, batch, referenceFile));
        result.put("reference", referenceFile.toString());
        try (NDManager scope = manager.newSubManager()) {
            GreedyDecoder greedy = new GreedyDecoder(decoder, scope);
            NDArray prompt = scope.create(Arrays.copyOf(ids[0], promptLength), new Shape(1, promptLength));
            long[] cached = greedy.generate(prompt, prompt.onesLike(), newTokens, true)[0];
            long[] uncached = greedy.generate(prompt, prompt.onesLike(), newTokens, false)[0];
            result.put("greedy_cached", cached);
            result.put("greedy_uncached", uncached);
        }
    }

    /**
     * Writes the logits of the first row ({@code logits_row0}, (seq, vocab)) of the base model's forward over the
     * first {@code batch} rows to {@code file}.
     *
     * @return the next-token loss of those rows, every token but the first a target
     */
    static float writeReference(DecoderModel decoder, NDManager manager, long[][] ids, int batch, Path file)
            throws IOException {
        int length = ids[0].length;
        long[] flat = new long[batch * length];
        long[] labels = new long[flat.length];
        for (int row = 0; row < batch; row++) {
            System.arraycopy(ids[row], 0, flat, row * length, length);
            System.arraycopy(ids[row], 0, labels, row * length, length);
            labels[row * length] = CausalLmLoss.IGNORE_INDEX;
        }
        try (NDManager scope = manager.newSubManager()) {
            Shape shape = new Shape(batch, length);
            NDArray input = scope.create(flat, shape);
            ParameterStore store = new ParameterStore(scope, false);
            NDArray hidden = decoder.run(store, input, input.onesLike(), null, null, false, null);
            NDArray logits = decoder.logits(store, hidden, false);
            float loss = CausalLmLoss.mean(logits, scope.create(labels, shape)).getFloat();
            SafetensorsFile.write(file, List.of(Tensor.ofFloats("logits_row0",
                    new long[] {length, decoder.config().vocabSize()}, logits.get(0).toFloatArray())),
                    Map.of("batch", "" + batch));
            return loss;
        }
    }

    private void train(DecoderModel decoder, NDManager manager, long[][] ids, long padId, Map<String, Object> result) {
        int totalSteps = warmup + steps;
        if (ids.length < batch * totalSteps) {
            throw new IllegalArgumentException(idsFile + " holds " + ids.length + " rows, " + batch * totalSteps
                    + " needed");
        }
        List<TokenizedCompletion> sequences = new ArrayList<>();
        for (int i = 0; i < batch * totalSteps; i++) {
            sequences.add(new TokenizedCompletion(ids[i], 0)); // the whole sequence is the completion
        }
        int length = ids[0].length;
        TrainingConfig config = new TrainingConfig(1, batch, length, learningRate, 0.0, 0.0, 1.0, totalSteps, seed);
        try (AdaptedLanguageModel model = AdaptedLanguageModel.create(decoder, AdapterMethods.create("lora",
                new SharedHyperparameters(rank, alpha, 0.0, TargetModules.of("q_proj", "v_proj"))), manager, seed)) {
            long[] stepEnds = new long[totalSteps + 1];
            long[] stepCpuEnds = new long[totalSteps + 1];
            double[] rssAfterStep = new double[totalSteps + 1];
            long collectionsBefore = collections();
            stepEnds[0] = System.nanoTime();
            stepCpuEnds[0] = processCpuNanos();
            TrainingResult training = new CausalLmTrainer(p -> {
                stepEnds[p.step()] = System.nanoTime();
                stepCpuEnds[p.step()] = processCpuNanos();
                rssAfterStep[p.step()] = BenchmarkWorker.statusMib("VmRSS:");
                if (profileFile != null && p.step() == warmup) {
                    JniUtils.startProfile(false, false, false);
                }
            }).train(model, sequences, config, padId);
            if (profileFile != null) {
                JniUtils.stopProfile(profileFile.toAbsolutePath().toString());
            }
            // Must be 0: a collection between a step's forward and backward can hand the backward freed memory
            // (see DecoderBenchmark.DECODER_HEAP).
            result.put("gc_during_training", collections() - collectionsBefore);
            double[] timed = new double[steps];
            double[] cpu = new double[steps];
            for (int i = 0; i < steps; i++) {
                timed[i] = (stepEnds[warmup + i + 1] - stepEnds[warmup + i]) / 1e9;
                cpu[i] = (stepCpuEnds[warmup + i + 1] - stepCpuEnds[warmup + i]) / 1e9;
            }
            result.put("cpu_s_median", MEDIAN.evaluate(cpu));
            double median = MEDIAN.evaluate(timed);
            result.put("median_s", median);
            result.put("min_s", Arrays.stream(timed).min().orElseThrow());
            result.put("max_s", Arrays.stream(timed).max().orElseThrow());
            result.put("tokens_per_s", (double) batch * length / median);
            result.put("trainable_params", model.trainableParameters().values().stream().mapToLong(NDArray::size)
                    .sum());
            result.put("loss_first", training.lossCurve().getFirst());
            result.put("loss_last", training.lossCurve().getLast());
            result.put("step_times_s", Arrays.stream(timed).map(t -> Math.round(t * 1e4) / 1e4).toArray());
            result.put("rss_after_step_mib", Arrays.stream(rssAfterStep).skip(1).map(Math::round).toArray());
        }
    }

    /** CPU time of this process (every thread, user and system), which a busy machine inflates less than wall time. */
    static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    /** Garbage collections of this JVM so far. */
    private static long collections() {
        return ManagementFactory.getGarbageCollectorMXBeans().stream()
                .mapToLong(GarbageCollectorMXBean::getCollectionCount).sum();
    }

    private void generate(DecoderModel decoder, NDManager manager, long[] firstRow, Map<String, Object> result) {
        for (boolean useCache : new boolean[] {true, false}) {
            double[] seconds = new double[runs];
            double[] cpu = new double[runs];
            long[] tokens = null;
            try (NDManager scope = manager.newSubManager()) {
                GreedyDecoder greedy = new GreedyDecoder(decoder, scope);
                NDArray prompt = scope.create(Arrays.copyOf(firstRow, promptLength), new Shape(1, promptLength));
                NDArray mask = prompt.onesLike();
                for (int run = -1; run < runs; run++) {
                    long t0 = System.nanoTime();
                    long c0 = processCpuNanos();
                    tokens = greedy.generate(prompt, mask, newTokens, useCache)[0];
                    if (run >= 0) {
                        seconds[run] = (System.nanoTime() - t0) / 1e9;
                        cpu[run] = (processCpuNanos() - c0) / 1e9;
                    }
                }
            }
            double median = MEDIAN.evaluate(seconds);
            Map<String, Object> figures = new LinkedHashMap<>();
            figures.put("median_s", median);
            figures.put("tokens_per_s", newTokens / median);
            figures.put("cpu_s_median", MEDIAN.evaluate(cpu));
            figures.put("run_times_s", Arrays.stream(seconds).map(t -> Math.round(t * 1e4) / 1e4).toArray());
            figures.put("tokens", tokens);
            result.put(useCache ? "cached" : "uncached", figures);
        }
        result.put("prompt", promptLength);
        result.put("new_tokens", newTokens);
    }
}
