package dev.adapterloop.benchmark;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.adapterloop.adapters.AdaptedClassifier;
import dev.adapterloop.adapters.AdapterMethods;
import dev.adapterloop.adapters.SharedHyperparameters;
import dev.adapterloop.adapters.TargetModules;
import dev.adapterloop.bundled.CorpusEmail;
import dev.adapterloop.bundled.CorpusSplits;
import dev.adapterloop.bundled.SpamAssassinCorpus;
import dev.adapterloop.dataset.JsonlDatasetReader;
import dev.adapterloop.dataset.JsonlDatasetWriter;
import dev.adapterloop.dataset.LabeledExample;
import dev.adapterloop.dataset.MalformedLinePolicy;
import dev.adapterloop.engine.CpuAllocator;
import dev.adapterloop.engine.CpuKernels;
import dev.adapterloop.evaluation.EvaluationReport;
import dev.adapterloop.evaluation.Evaluator;
import dev.adapterloop.model.AttentionKernel;
import dev.adapterloop.model.PretrainedModel;
import dev.adapterloop.testing.BundledModel;
import dev.adapterloop.training.AdapterTrainer;
import dev.adapterloop.training.TrainingConfig;
import dev.adapterloop.training.TrainingResult;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import org.apache.commons.math3.stat.descriptive.rank.Median;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine;

/**
 * One benchmark case in its own JVM, so that every case starts with a fresh thread pool and reports its own peak RSS.
 * The thread count is fixed by the launcher ({@code -Dai.djl.pytorch.num_threads}) before the engine loads. Prints
 * exactly one JSON object on the last line of stdout.
 */
@Command(name = "benchmark-worker", mixinStandardHelpOptions = true)
public final class BenchmarkWorker implements Callable<Integer> {

    static final String LABEL_HAM = "ham";
    static final String LABEL_SPAM = "spam";
    private static final Median MEDIAN = new Median();
    private static final String MODEL_FOLDER = "model-without-dropout";
    private static final int[][] MATMUL_SHAPES = {{1024, 1024, 1024}, {2048, 384, 1536}, {2048, 384, 384},
        {2048, 1536, 384}};

    @Option(names = "--case", required = true, description = "prepare, matmul, train or converge")
    String benchmarkCase;
    @Option(names = "--method", defaultValue = "lora")
    String method;
    @Option(names = "--batch", defaultValue = "16")
    int batch;
    @Option(names = "--seq", defaultValue = "128")
    int sequenceLength;
    @Option(names = "--rank", defaultValue = "8")
    int rank;
    @Option(names = "--alpha", defaultValue = "16")
    double alpha;
    @Option(names = "--warmup", defaultValue = "3")
    int warmup;
    @Option(names = "--steps", defaultValue = "20")
    int steps;
    @Option(names = "--learning-rate", defaultValue = "5e-4")
    double learningRate;
    @Option(names = "--seed", defaultValue = "1")
    long seed;
    @Option(names = "--held-out", defaultValue = "600")
    int heldOut;
    @Option(names = "--matmul-repeats", defaultValue = "20")
    int matmulRepeats;
    @Option(names = "--examples", description = "JSONL file of training examples: written by 'prepare', read by 'train'.")
    Path examplesFile;
    @Option(names = "--production-dropout", description = "'train' only: BERT's own dropouts and adapter dropout 0.1, "
            + "as the product trains (the timing cases set both to 0, as the peer does).")
    boolean productionDropout;
    @Option(names = "--profile", description = "'train' only: writes PyTorch's profiler trace (Chrome trace JSON) of "
            + "the timed steps to this file. Profiling slows the steps; do not compare their times with unprofiled runs.")
    Path profileFile;

    public static void main(String[] args) {
        CpuKernels.apply(); // as the product's launcher does, before the engine loads
        CpuAllocator.install();
        System.exit(new CommandLine(new BenchmarkWorker()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        long started = System.nanoTime();
        Map<String, Object> result = new LinkedHashMap<>();
        switch (benchmarkCase) {
            case "prepare" -> prepare(result);
            case "matmul" -> matmul(result);
            case "train" -> train(result);
            case "converge" -> converge(result);
            default -> throw new CommandLine.ParameterException(new CommandLine(this),
                    "--case must be prepare, matmul, train or converge, got '" + benchmarkCase + "'");
        }
        result.put("threads", JniUtils.getNumThreads());
        result.put("cpu_kernels", CpuKernels.apply().name());
        result.put("mkl_code_path", CpuKernels.mklCodePath().orElse("unknown"));
        result.put("cpu_allocator", CpuAllocator.install().name());
        result.put("attention", AttentionKernel.describe());
        CpuAllocator.cacheStats().ifPresent(stats -> result.put("cpu_block_cache", stats));
        result.put("wall_s", (System.nanoTime() - started) / 1e9);
        result.put("peak_rss_mib", peakRssMib());
        System.out.println(new ObjectMapper().writeValueAsString(result));
        return 0;
    }

    private void matmul(Map<String, Object> result) {
        double peak = 0;
        try (NDManager manager = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
            manager.getEngine().setRandomSeed(0);
            for (int[] shape : MATMUL_SHAPES) {
                NDArray x = manager.randomNormal(new Shape(shape[0], shape[1]));
                NDArray y = manager.randomNormal(new Shape(shape[1], shape[2]));
                double[] seconds = new double[matmulRepeats];
                for (int i = -3; i < matmulRepeats; i++) {
                    try (NDManager scratch = manager.newSubManager()) {
                        // PyTorch's CPU operators return when the result is computed: nothing to wait for. (A
                        // copy to the Java heap here once cost a third of the time of the fastest GEMMs.)
                        long t0 = System.nanoTime();
                        NDArray product = x.matMul(y);
                        long t1 = System.nanoTime();
                        product.attach(scratch);
                        if (i >= 0) {
                            seconds[i] = (t1 - t0) / 1e9;
                        }
                    }
                }
                double median = MEDIAN.evaluate(seconds);
                double gflops = 2.0 * shape[0] * shape[1] * shape[2] / median / 1e9;
                result.put(shape[0] + "x" + shape[1] + "@" + shape[1] + "x" + shape[2],
                        Map.of("gflops", gflops, "median_s", median));
                peak = Math.max(peak, gflops);
            }
        }
        result.put("peak_gflops", peak);
    }

    /**
     * Writes the timing cases' training set once, so that their processes' peak RSS is the trainer's, not the parsed
     * corpus's.
     */
    private void prepare(Map<String, Object> result) throws IOException {
        PretrainedModel.linkWithoutDropout(BundledModel.folder(), examplesFile.toAbsolutePath().getParent().resolve(MODEL_FOLDER));
        try (PretrainedModel encoder = PretrainedModel.load(BundledModel.folder(), Device.cpu())) {
            List<LabeledExample> examples = fullLengthExamples(encoder, batch * (warmup + steps));
            Files.createDirectories(examplesFile.toAbsolutePath().getParent());
            JsonlDatasetWriter.write(examples, examplesFile);
            result.put("examples", examples.size());
        }
    }

    /** Times the product's own training loop on real emails long enough to fill {@code --seq} tokens. */
    private void train(Map<String, Object> result) throws IOException {
        int totalSteps = warmup + steps;
        List<LabeledExample> examples = new JsonlDatasetReader(Long.MAX_VALUE, MalformedLinePolicy.REJECT_DATASET)
                .read(examplesFile).examples();
        if (examples.size() < batch * totalSteps) {
            throw new IllegalArgumentException(examplesFile + " holds " + examples.size() + " examples, "
                    + batch * totalSteps + " needed: run the 'prepare' case with the same settings");
        }
        Path modelFolder = productionDropout ? BundledModel.folder()
                : examplesFile.toAbsolutePath().getParent().resolve(MODEL_FOLDER);
        try (PretrainedModel encoder = PretrainedModel.load(modelFolder, Device.cpu())) {
            result.put("rss_after_load_mib", statusMib("VmRSS:"));
            long initStarted = System.nanoTime();
            try (AdaptedClassifier model = AdaptedClassifier.create(encoder, List.of(LABEL_HAM, LABEL_SPAM),
                    AdapterMethods.create(method,
                            new SharedHyperparameters(rank, alpha, productionDropout ? 0.1 : 0.0,
                                    TargetModules.of("query", "value"))), seed)) {
                result.put("init_s", (System.nanoTime() - initStarted) / 1e9);
                long[] stepEnds = new long[totalSteps + 1];
                TrainingConfig config = new TrainingConfig(1, batch, sequenceLength, learningRate, 0.0, 0.0, 1.0,
                        totalSteps, seed);
                stepEnds[0] = System.nanoTime();
                double[] rssAfterStep = new double[totalSteps + 1];
                TrainingResult training = new AdapterTrainer(p -> {
                    stepEnds[p.step()] = System.nanoTime();
                    rssAfterStep[p.step()] = statusMib("VmRSS:");
                    if (profileFile != null && p.step() == warmup) {
                        JniUtils.startProfile(false, false, false);
                    }
                }).train(model, examples, config);
                if (profileFile != null) {
                    JniUtils.stopProfile(profileFile.toAbsolutePath().toString());
                    result.put("profile", OperatorProfile.read(profileFile, steps).toJson());
                }
                result.put("rss_after_step_mib", Arrays.stream(rssAfterStep).skip(1).map(Math::round).toArray());
                double[] timed = new double[steps];
                for (int i = 0; i < steps; i++) {
                    int step = warmup + i + 1;
                    timed[i] = (stepEnds[step] - stepEnds[step - 1]) / 1e9;
                }
                double median = MEDIAN.evaluate(timed);
                result.put("method", method);
                result.put("median_s", median);
                result.put("min_s", Arrays.stream(timed).min().orElseThrow());
                result.put("max_s", Arrays.stream(timed).max().orElseThrow());
                result.put("steps_per_s", 1 / median);
                result.put("tokens_per_s", (double) batch * sequenceLength / median);
                result.put("trainable_params", model.trainableParameters().values().stream()
                        .mapToLong(NDArray::size).sum());
                result.put("loss_first", training.lossCurve().getFirst());
                result.put("loss_last", training.lossCurve().getLast());
                result.put("step_times_s", Arrays.stream(timed).map(t -> Math.round(t * 1e4) / 1e4).toArray());
            }
        }
    }

    /** Trains on the bundled task for a fixed number of steps and scores a fixed held-out sample. */
    private void converge(Map<String, Object> result) throws IOException {
        CorpusSplits splits = SpamAssassinCorpus.loadBundled().splits();
        List<LabeledExample> train = shuffled(splits.train(), seed);
        List<LabeledExample> evaluation = shuffled(splits.heldOut(), 7).subList(0, heldOut);
        try (PretrainedModel encoder = PretrainedModel.load(BundledModel.folder(), Device.cpu());
             AdaptedClassifier model = AdaptedClassifier.create(encoder, List.of(LABEL_HAM, LABEL_SPAM),
                     AdapterMethods.create(method,
                             new SharedHyperparameters(rank, alpha, 0.0, TargetModules.of("query", "value"))), seed)) {
            TrainingConfig config = new TrainingConfig(1, batch, sequenceLength, learningRate, 0.0, 0.06, 1.0,
                    steps, seed);
            TrainingResult training = new AdapterTrainer(p -> { }).train(model, train, config);
            EvaluationReport report = new Evaluator(32, sequenceLength).evaluate(model, evaluation);
            result.put("method", method);
            result.put("seed", seed);
            result.put("learning_rate", learningRate);
            result.put("loss_curve", training.lossCurve());
            result.put("held_out_examples", report.examples());
            result.put("held_out_accuracy", report.accuracy());
            result.put("held_out_macro_f1", report.macroF1());
            result.put("train_s", training.duration().toNanos() / 1e9);
        }
    }

    /**
     * Enough real training emails with at least {@code sequenceLength} tokens, so that every batch has the benchmark's
     * exact shape; repeated when the corpus has fewer.
     */
    private List<LabeledExample> fullLengthExamples(PretrainedModel encoder, int needed) throws IOException {
        List<LabeledExample> all = shuffled(SpamAssassinCorpus.loadBundled().splits().train(), 1234);
        List<Integer> lengths = encoder.tokenizer().encode(all.stream().map(LabeledExample::text).toList()).stream()
                .map(text -> text.length()).toList();
        List<LabeledExample> longEnough = new ArrayList<>();
        for (int i = 0; i < all.size(); i++) {
            if (lengths.get(i) >= sequenceLength) {
                longEnough.add(all.get(i));
            }
        }
        if (longEnough.isEmpty()) {
            throw new IllegalStateException("no training email has " + sequenceLength + " tokens");
        }
        List<LabeledExample> examples = new ArrayList<>(needed);
        for (int i = 0; examples.size() < needed; i++) {
            examples.add(longEnough.get(i % longEnough.size()));
        }
        return examples;
    }

    private static List<LabeledExample> shuffled(List<CorpusEmail> emails, long seed) {
        List<LabeledExample> examples = new ArrayList<>(emails.stream().map(CorpusEmail::example).toList());
        Collections.shuffle(examples, new Random(seed));
        return examples;
    }

    /** The process's high-water resident set (VmHWM), as the peer's {@code ru_maxrss}. */
    private static double peakRssMib() {
        return statusMib("VmHWM:");
    }

    static double statusMib(String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith(field)) {
                    return Long.parseLong(line.replaceAll("\\D", "")) / 1024.0;
                }
            }
            return Double.NaN;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
