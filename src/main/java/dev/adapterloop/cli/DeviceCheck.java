package dev.adapterloop.cli;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.ParameterStore;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.adapterloop.adapters.AdaptedClassifier;
import dev.adapterloop.adapters.AdapterMethods;
import dev.adapterloop.adapters.PeftAdapterFiles;
import dev.adapterloop.adapters.SharedHyperparameters;
import dev.adapterloop.adapters.StoredVersionFiles;
import dev.adapterloop.adapters.TargetModules;
import dev.adapterloop.bundled.CorpusEmail;
import dev.adapterloop.bundled.CorpusSplits;
import dev.adapterloop.bundled.SpamAssassinCorpus;
import dev.adapterloop.dataset.JsonlDatasetReader;
import dev.adapterloop.dataset.JsonlDatasetWriter;
import dev.adapterloop.dataset.LabeledExample;
import dev.adapterloop.dataset.MalformedLinePolicy;
import dev.adapterloop.evaluation.EvaluationReport;
import dev.adapterloop.evaluation.Evaluator;
import dev.adapterloop.model.PretrainedModel;
import dev.adapterloop.model.TextTokenizer;
import dev.adapterloop.model.TokenizedText;
import dev.adapterloop.model.onnx.OnnxBertImporter;
import dev.adapterloop.serving.ServedModel;
import dev.adapterloop.serving.VersionLoader;
import dev.adapterloop.training.AdapterTrainer;
import dev.adapterloop.training.TrainingConfig;
import dev.adapterloop.training.TrainingResult;
import java.io.IOException;
import java.io.PrintStream;
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
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The Java half of the GPU device kit (docs/gpu.md, {@code src/build/gpu-kit/}): a plain main class, outside Quarkus,
 * so that the kit carries a small class path and no CPU libtorch. Two cases:
 * <ul>
 *   <li>{@code prepare} (on the build machine, full class path): writes the bundled model as a Hugging Face folder and
 *   a sample of the bundled corpus (train and held-out JSONL) for the kit;</li>
 *   <li>{@code run} (on the device, or on the CPU as the kit's dry run): (1) encoder parity between the CPU and the
 *   chosen device on one padded batch, fp32 and fp16; (2) LoRA training fp32 and fp16 (dynamic loss scaling) on the
 *   device, with the CPU's fp32 run as reference; (3) training step times per method and batch; (4) the PEFT export
 *   and its served probabilities for the Python interop check; (5) predictions through the serving path
 *   ({@link ServedModel}), merged and unmerged, on the device against the CPU.</li>
 * </ul>
 * Writes one JSON document ({@code --out}) and a log on stdout. The exit status is 0 when every check it ran passed,
 * 1 when one failed (the JSON says which), 2 on bad arguments.
 */
@Command(name = "device-check", mixinStandardHelpOptions = true, hidden = true,
        description = "The GPU device kit's checks (docs/gpu.md). Not for production use.")
public final class DeviceCheck implements Callable<Integer> {

    static final List<String> LABELS = List.of(SpamAssassinCorpus.HAM, SpamAssassinCorpus.SPAM);
    static final String BASE_MODEL = "all-minilm-l6-v2";

    @Option(names = "--case", required = true, description = "prepare or run")
    String checkCase;
    @Option(names = "--model", required = true, description = "Hugging Face model folder (written by prepare)")
    Path model;
    @Option(names = "--data", required = true, description = "folder of train.jsonl and held-out.jsonl")
    Path data;
    @Option(names = "--out", description = "JSON result file (run); default: stdout only")
    Path out;
    @Option(names = "--work", description = "scratch folder (run)", defaultValue = "${java.io.tmpdir}/device-check")
    Path work;
    @Option(names = "--device", defaultValue = "gpu", description = "gpu or cpu (the dry run)")
    String device;
    @Option(names = "--train-examples", defaultValue = "1600")
    int trainExamples;
    @Option(names = "--held-out-examples", defaultValue = "400")
    int heldOutExamples;
    @Option(names = "--max-chars", defaultValue = "2000")
    int maxChars;
    @Option(names = "--steps", defaultValue = "200", description = "training steps of check (2)")
    int steps;
    @Option(names = "--batch", defaultValue = "16")
    int batch;
    @Option(names = "--seq", defaultValue = "128")
    int seq;
    @Option(names = "--eval-examples", defaultValue = "400", description = "held-out examples scored in check (2)")
    int evalExamples;
    @Option(names = "--learning-rate", defaultValue = "5e-4")
    double learningRate;
    @Option(names = "--cpu-reference", defaultValue = "true", negatable = true,
            description = "train the fp32 reference on the CPU too (check 2)")
    boolean cpuReference;
    @Option(names = "--bench-methods", split = ",", defaultValue = "lora,lorma-plus,lorma-pi,milora")
    List<String> benchMethods;
    @Option(names = "--bench-batches", split = ",", defaultValue = "16,64")
    List<Integer> benchBatches;
    @Option(names = "--bench-warmup", defaultValue = "3")
    int benchWarmup;
    @Option(names = "--bench-steps", defaultValue = "20")
    int benchSteps;
    @Option(names = "--serve-steps", defaultValue = "50", description = "training steps of the version check (5) serves")
    int serveSteps;
    @Option(names = "--interop-texts", defaultValue = "50")
    int interopTexts;
    @Option(names = "--checks", split = ",", defaultValue = "parity,train,bench,serve,peft",
            description = "which checks run: load, parity, train, bench, serve, peft")
    List<String> checks;

    private final Map<String, Object> result = new LinkedHashMap<>();
    private final List<String> failures = new ArrayList<>();
    private final PrintStream log = System.out;

    public static void main(String[] args) {
        System.exit(new CommandLine(new DeviceCheck()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        return switch (checkCase) {
            case "prepare" -> prepare();
            case "run" -> run();
            default -> throw new CommandLine.ParameterException(new CommandLine(this),
                    "--case must be prepare or run, got '" + checkCase + "'");
        };
    }

    // ------------------------------------------------------------------------------------------------ prepare

    private int prepare() throws IOException {
        if (!Files.isRegularFile(model.resolve(PretrainedModel.CONFIG))) {
            Path partial = Files.createDirectories(model.resolveSibling(model.getFileName() + ".partial"));
            new OnnxBertImporter().writeBundledMiniLm(partial);
            Files.move(partial, model);
        }
        CorpusSplits splits = SpamAssassinCorpus.loadBundled(maxChars).splits();
        List<LabeledExample> train = shuffled(splits.train(), 1234);
        List<LabeledExample> heldOut = shuffled(splits.heldOut(), 7);
        Files.createDirectories(data);
        JsonlDatasetWriter.write(train.subList(0, Math.min(trainExamples, train.size())), data.resolve("train.jsonl"));
        JsonlDatasetWriter.write(heldOut.subList(0, Math.min(heldOutExamples, heldOut.size())),
                data.resolve("held-out.jsonl"));
        log.printf("device-check prepare: model %s, %d train and %d held-out examples in %s%n", model,
                Math.min(trainExamples, train.size()), Math.min(heldOutExamples, heldOut.size()), data);
        return 0;
    }

    private static List<LabeledExample> shuffled(List<CorpusEmail> emails, long seed) {
        List<LabeledExample> examples = new ArrayList<>(emails.stream().map(CorpusEmail::example).toList());
        Collections.shuffle(examples, new Random(seed));
        return examples;
    }

    // ------------------------------------------------------------------------------------------------ run

    private int run() throws Exception {
        long started = System.nanoTime();
        Engine engine = Engine.getEngine("PyTorch");
        Device target = "cpu".equals(device) ? Device.cpu() : Device.gpu();
        Map<String, Object> env = new LinkedHashMap<>();
        env.put("engine_version", engine.getVersion());
        env.put("gpu_count", engine.getGpuCount());
        env.put("default_device", engine.defaultDevice().toString());
        env.put("device", target.toString());
        env.put("threads", JniUtils.getNumThreads());
        env.put("java", Runtime.version().toString());
        result.put("environment", env);
        log.printf("device-check: engine PyTorch %s, %d GPU(s), device %s%n", engine.getVersion(),
                engine.getGpuCount(), target);
        if (target.isGpu() && engine.getGpuCount() == 0) {
            failures.add("environment: --device gpu but the engine sees no GPU");
            return finish(started);
        }
        JniUtils.setGradMode(false);
        boolean loadOnly = checks.stream().allMatch("load"::equals); // the probe: no model, no data needed
        List<LabeledExample> train = loadOnly ? List.of() : read(data.resolve("train.jsonl"));
        List<LabeledExample> heldOut = loadOnly ? List.of() : read(data.resolve("held-out.jsonl"));
        Files.createDirectories(work);
        Path noDropout = loadOnly ? null : PretrainedModel.linkWithoutDropout(model, work.resolve("model-without-dropout"));
        for (String check : checks) {
            long t0 = System.nanoTime();
            try {
                switch (check) {
                    case "load" -> load(target);
                    case "parity" -> parity(target, heldOut);
                    case "train" -> trainCheck(target, train, heldOut);
                    case "bench" -> bench(target, noDropout, train);
                    case "serve", "peft" -> { } // both run in serve(), once
                    default -> throw new IllegalArgumentException("unknown check " + check);
                }
                if ("serve".equals(check) || ("peft".equals(check) && !checks.contains("serve"))) {
                    serve(target, train, heldOut);
                }
            } catch (Exception | Error e) {
                failures.add(check + ": " + e);
                e.printStackTrace(log);
            }
            log.printf("device-check: %s took %.1f s%n", check, (System.nanoTime() - t0) / 1e9);
        }
        return finish(started);
    }

    private int finish(long started) throws IOException {
        result.put("failures", failures);
        result.put("passed", failures.isEmpty());
        result.put("wall_s", (System.nanoTime() - started) / 1e9);
        ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        String text = json.writeValueAsString(result);
        if (out != null) {
            Files.createDirectories(out.toAbsolutePath().getParent());
            Files.writeString(out, text);
        }
        log.println(text);
        log.printf("device-check: %s%n", failures.isEmpty() ? "PASSED" : "FAILED " + failures);
        return failures.isEmpty() ? 0 : 1;
    }

    /** The engine is loaded (above); one product on the device proves the JNI's calls reach it. */
    private void load(Device target) {
        try (NDManager manager = NDManager.newBaseManager(target, "PyTorch")) {
            NDArray x = manager.arange(0f, 12f).reshape(3, 4);
            float sum = x.matMul(x.transpose()).sum().getFloat();
            result.put("load", Map.of("device", target.toString(), "matmul_sum", sum));
            log.printf("load: arange(12).reshape(3,4) @ its transpose on %s sums to %.1f (expected 1134.0)%n", target,
                    sum);
            if (sum != 1134f) {
                failures.add("load: matmul sum " + sum + " != 1134");
            }
        }
    }

    /** (1) The encoder's last hidden state on the device against the CPU, one padded batch of held-out texts. */
    private void parity(Device target, List<LabeledExample> heldOut) throws IOException {
        List<String> texts = heldOut.stream().limit(16).map(LabeledExample::text).toList();
        float[] cpu = hidden(Device.cpu(), DataType.FLOAT32, texts);
        Map<String, Object> parity = new LinkedHashMap<>();
        for (DataType type : List.of(DataType.FLOAT32, DataType.FLOAT16)) {
            // on the CPU (the dry run) the fp32 pass is the reference itself
            float[] other = !target.isGpu() && type == DataType.FLOAT32 ? cpu : hidden(target, type, texts);
            double maxDiff = maxAbsDiff(cpu, other);
            parity.put(type == DataType.FLOAT32 ? "fp32_max_abs_diff" : "fp16_max_abs_diff", maxDiff);
            log.printf("parity: %s on %s vs fp32 on cpu: max |diff| %.3g over %d values%n", type, target, maxDiff,
                    cpu.length);
        }
        parity.put("values", cpu.length);
        result.put("parity", parity);
        double fp32 = (double) parity.get("fp32_max_abs_diff");
        if (!(fp32 <= 1e-3)) {
            failures.add("parity: fp32 max |diff| " + fp32 + " > 1e-3");
        }
    }

    private float[] hidden(Device on, DataType type, List<String> texts) throws IOException {
        try (PretrainedModel encoder = PretrainedModel.load(model, on)) {
            encoder.backbone().setComputeType(type);
            List<TokenizedText> tokens = encoder.tokenizer().encode(texts).stream()
                    .map(text -> text.truncate(seq)).toList();
            try (NDManager scratch = encoder.manager().newSubManager()) {
                NDList batch = TextTokenizer.collate(tokens, scratch, seq);
                return encoder.backbone().forward(new ParameterStore(scratch, false), batch.get(0), batch.get(1),
                        batch.get(2), false).toType(DataType.FLOAT32, false).toFloatArray();
            }
        }
    }

    /** (2) LoRA training on the device, fp32 and fp16, and fp32 on the CPU as the reference. */
    private void trainCheck(Device target, List<LabeledExample> train, List<LabeledExample> heldOut)
            throws IOException {
        Map<String, Object> runs = new LinkedHashMap<>();
        List<Object[]> cases = new ArrayList<>();
        cases.add(new Object[] {target, DataType.FLOAT32});
        cases.add(new Object[] {target, DataType.FLOAT16});
        if (cpuReference && target.isGpu()) {
            cases.add(new Object[] {Device.cpu(), DataType.FLOAT32});
        }
        for (Object[] c : cases) {
            Device on = (Device) c[0];
            DataType type = (DataType) c[1];
            String name = (on.isGpu() ? "gpu" : "cpu") + "_" + (type == DataType.FLOAT16 ? "fp16" : "fp32");
            if (runs.containsKey(name)) {
                continue;
            }
            try (PretrainedModel encoder = PretrainedModel.load(model, on)) {
                encoder.backbone().setComputeType(type);
                try (AdaptedClassifier classifier = AdaptedClassifier.create(encoder, LABELS,
                        AdapterMethods.create("lora", hyperparameters()), 1)) {
                    Map<String, float[]> before = snapshot(classifier);
                    TrainingConfig config = new TrainingConfig(1, batch, seq, learningRate, 0.0, 0.06, 1.0, steps, 1);
                    TrainingResult training = new AdapterTrainer(p -> { }).train(classifier, train, config);
                    EvaluationReport report = new Evaluator(32, seq).evaluate(classifier,
                            heldOut.subList(0, Math.min(evalExamples, heldOut.size())));
                    Map<String, Object> run = new LinkedHashMap<>();
                    List<Float> curve = training.lossCurve();
                    run.put("steps", training.steps());
                    int window = Math.max(1, Math.min(10, curve.size() / 2));
                    run.put("loss_first10_mean", mean(curve.subList(0, window)));
                    run.put("loss_last10_mean", mean(curve.subList(curve.size() - window, curve.size())));
                    run.put("nan_or_inf", curve.stream().anyMatch(l -> !Float.isFinite(l)));
                    run.put("held_out_accuracy", report.accuracy());
                    run.put("held_out_macro_f1", report.macroF1());
                    run.put("train_s", training.duration().toNanos() / 1e9);
                    run.put("adapter_factor_change", factorChange(before, snapshot(classifier)));
                    run.put("loss_curve", curve);
                    runs.put(name, run);
                    log.printf("train %s: loss %.4f -> %.4f, held-out accuracy %.4f, factor change %s, %.1f s%n",
                            name, run.get("loss_first10_mean"), run.get("loss_last10_mean"), report.accuracy(),
                            run.get("adapter_factor_change"), training.duration().toNanos() / 1e9);
                    if ((boolean) run.get("nan_or_inf")) {
                        failures.add("train " + name + ": NaN or infinite loss");
                    }
                    // a falling loss is asked of real runs only: a dry run's few steps are noise
                    if (type == DataType.FLOAT32 && steps >= 50 && !((double) run.get("loss_last10_mean")
                            < (double) run.get("loss_first10_mean"))) {
                        failures.add("train " + name + ": the loss did not fall");
                    }
                }
            }
        }
        if (runs.get("gpu_fp32") instanceof Map<?, ?> gpu && runs.get("cpu_fp32") instanceof Map<?, ?> cpu) {
            double gap = Math.abs((double) gpu.get("held_out_accuracy") - (double) cpu.get("held_out_accuracy"));
            runs.put("held_out_accuracy_gap_gpu_vs_cpu_fp32", gap);
            log.printf("train: held-out accuracy gap, GPU fp32 vs CPU fp32: %.4f%n", gap);
            // dropout masks differ between devices, so the runs are not bit-equal: ~2 points of sampling noise on 400
            if (gap > 0.05) {
                failures.add("train: held-out accuracy gap GPU vs CPU fp32 " + gap + " > 0.05");
            }
        }
        result.put("train", runs);
    }

    /** Adapter factors only (not the head): whether fp16 training reaches them (docs/engine.md, "Mixed precision"). */
    private static Map<String, float[]> snapshot(AdaptedClassifier classifier) {
        Map<String, float[]> values = new LinkedHashMap<>();
        classifier.trainableParameters().forEach((name, array) -> {
            if (!name.startsWith(AdaptedClassifier.HEAD + ".")) {
                values.put(name, array.toType(DataType.FLOAT32, false).toFloatArray());
            }
        });
        return values;
    }

    private static double factorChange(Map<String, float[]> before, Map<String, float[]> after) {
        double max = 0;
        for (Map.Entry<String, float[]> e : before.entrySet()) {
            max = Math.max(max, maxAbsDiff(e.getValue(), after.get(e.getKey())));
        }
        return max;
    }

    /** (3) Step time and tokens/s per method and batch size, at {@code --seq}, full-length texts, no dropout. */
    private void bench(Device target, Path noDropout, List<LabeledExample> train) throws IOException {
        List<Map<String, Object>> rows = new ArrayList<>();
        try (PretrainedModel encoder = PretrainedModel.load(noDropout, target)) {
            List<LabeledExample> longEnough = new ArrayList<>();
            List<TokenizedText> tokens = encoder.tokenizer().encode(train.stream().map(LabeledExample::text).toList());
            for (int i = 0; i < train.size(); i++) {
                if (tokens.get(i).length() >= seq) {
                    longEnough.add(train.get(i));
                }
            }
            if (longEnough.isEmpty()) {
                throw new IllegalStateException("no training text has " + seq + " tokens");
            }
            for (int b : benchBatches) {
                int total = benchWarmup + benchSteps;
                List<LabeledExample> examples = new ArrayList<>(b * total);
                for (int i = 0; examples.size() < b * total; i++) {
                    examples.add(longEnough.get(i % longEnough.size()));
                }
                for (String method : benchMethods) {
                    try (AdaptedClassifier classifier = AdaptedClassifier.create(encoder, LABELS,
                            AdapterMethods.create(method, hyperparameters()), 1)) {
                        long[] ends = new long[total + 1];
                        TrainingConfig config = new TrainingConfig(1, b, seq, learningRate, 0.0, 0.0, 1.0, total, 1);
                        ends[0] = System.nanoTime();
                        TrainingResult training = new AdapterTrainer(p -> ends[p.step()] = System.nanoTime())
                                .train(classifier, examples, config);
                        double[] timed = new double[benchSteps];
                        for (int i = 0; i < benchSteps; i++) {
                            int step = benchWarmup + i + 1;
                            timed[i] = (ends[step] - ends[step - 1]) / 1e9;
                        }
                        double[] sorted = timed.clone();
                        Arrays.sort(sorted);
                        double median = sorted[sorted.length / 2];
                        Map<String, Object> row = new LinkedHashMap<>();
                        row.put("method", method);
                        row.put("batch", b);
                        row.put("seq", seq);
                        row.put("median_s", median);
                        row.put("min_s", sorted[0]);
                        row.put("max_s", sorted[sorted.length - 1]);
                        row.put("tokens_per_s", (double) b * seq / median);
                        row.put("loss_first", training.lossCurve().getFirst());
                        row.put("loss_last", training.lossCurve().getLast());
                        rows.add(row);
                        log.printf("bench %s batch %d seq %d: median %.4f s/step, %.0f tokens/s%n", method, b, seq,
                                median, (double) b * seq / median);
                    }
                }
            }
        }
        result.put("bench", rows);
    }

    /**
     * (5) A LoRA version trained briefly on the device, stored as the registry stores it, loaded back as the serving
     * path loads it ({@link StoredVersionFiles}, {@link ServedModel}), merged and unmerged, on the device and on the
     * CPU; (4) its PEFT export and the served probabilities for the Python interop check.
     */
    private void serve(Device target, List<LabeledExample> train, List<LabeledExample> heldOut) throws IOException {
        Path version = work.resolve("version");
        Path peft = work.resolve("peft");
        deleteRecursively(version);
        deleteRecursively(peft);
        List<String> texts = heldOut.stream().limit(interopTexts).map(LabeledExample::text).toList();
        Map<String, Object> serve = new LinkedHashMap<>();
        try (PretrainedModel encoder = PretrainedModel.load(model, target);
             AdaptedClassifier classifier = AdaptedClassifier.create(encoder, LABELS,
                     AdapterMethods.create("lora", hyperparameters()), 1)) {
            TrainingConfig config = new TrainingConfig(1, batch, seq, learningRate, 0.0, 0.06, 1.0, serveSteps, 1);
            new AdapterTrainer(p -> { }).train(classifier, train, config);
            StoredVersionFiles.write(classifier, BASE_MODEL, version);
            if (checks.contains("peft")) {
                PeftAdapterFiles.write(classifier, BASE_MODEL, peft);
            }
        }
        Map<String, float[]> probabilities = new LinkedHashMap<>();
        for (Device on : target.isGpu() ? List.of(target, Device.cpu()) : List.of(target)) {
            for (String mode : List.of(VersionLoader.UNMERGED, VersionLoader.MERGED)) {
                try (PretrainedModel encoder = PretrainedModel.load(model, on);
                     AdaptedClassifier restored = StoredVersionFiles.load(encoder, version)) {
                    if (VersionLoader.MERGED.equals(mode)) {
                        restored.merge();
                    }
                    ServedModel served = new ServedModel("device-check", "v1", mode, restored.labels(), encoder,
                            b -> restored.logits(b, false), () -> { });
                    List<ServedModel.Scores> scores = served.predict(texts, seq);
                    float[] flat = new float[scores.size() * LABELS.size()];
                    for (int i = 0; i < scores.size(); i++) {
                        System.arraycopy(scores.get(i).probabilities(), 0, flat, i * LABELS.size(), LABELS.size());
                    }
                    probabilities.put((on.isGpu() ? "gpu" : "cpu") + "_" + mode, flat);
                }
            }
        }
        String reference = (target.isGpu() ? "gpu" : "cpu") + "_" + VersionLoader.UNMERGED;
        float[] ref = probabilities.get(reference);
        Map<String, Object> diffs = new LinkedHashMap<>();
        probabilities.forEach((name, p) -> diffs.put(name, maxAbsDiff(ref, p)));
        serve.put("reference", reference);
        serve.put("texts", texts.size());
        serve.put("max_abs_diff_vs_reference", diffs);
        serve.put("first_probabilities", Map.of("labels", LABELS, "values",
                Arrays.copyOf(ref, Math.min(ref.length, 6))));
        result.put("serve", serve);
        diffs.forEach((name, d) -> {
            log.printf("serve %s vs %s: max |diff| %.3g over %d texts%n", name, reference, (double) d, texts.size());
            if ((double) d > 1e-3) {
                failures.add("serve " + name + ": max |diff| " + d + " > 1e-3");
            }
        });
        if (checks.contains("peft")) {
            ObjectNode interop = new ObjectMapper().createObjectNode();
            interop.put("base_model", model.toAbsolutePath().toString());
            interop.put("peft_dir", peft.toAbsolutePath().toString());
            interop.put("seq", seq);
            interop.putPOJO("labels", LABELS);
            interop.putPOJO("texts", texts);
            List<float[]> rows = new ArrayList<>();
            for (int i = 0; i < texts.size(); i++) {
                rows.add(Arrays.copyOfRange(ref, i * LABELS.size(), (i + 1) * LABELS.size()));
            }
            interop.putPOJO("probabilities", rows);
            Path file = work.resolve("peft-interop.json");
            new ObjectMapper().writeValue(file.toFile(), interop);
            result.put("peft", Map.of("dir", peft.toString(), "interop_file", file.toString()));
            log.printf("peft: exported to %s, %d served probabilities in %s%n", peft, texts.size(), file);
        }
    }

    private SharedHyperparameters hyperparameters() {
        return new SharedHyperparameters(8, 16, 0.0, TargetModules.of("query", "value"));
    }

    private static List<LabeledExample> read(Path file) throws IOException {
        return new JsonlDatasetReader(Long.MAX_VALUE, MalformedLinePolicy.REJECT_DATASET).read(file).examples();
    }

    /** Deletes {@code dir} and everything in it, if it exists (also for the kit's dry-run test). */
    static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (var paths = Files.walk(dir)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    private static double mean(List<Float> values) {
        return values.stream().mapToDouble(Float::doubleValue).average().orElse(Double.NaN);
    }

    static double maxAbsDiff(float[] a, float[] b) {
        if (a.length != b.length) {
            throw new IllegalStateException("lengths differ: " + a.length + " vs " + b.length);
        }
        double max = 0;
        for (int i = 0; i < a.length; i++) {
            double d = Math.abs((double) a[i] - b[i]);
            if (Double.isNaN(d)) {
                return Double.NaN;
            }
            max = Math.max(max, d);
        }
        return max;
    }
}
