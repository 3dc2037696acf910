package dev.adapterloop.benchmark;

import ai.djl.Device;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.ParameterStore;
import dev.adapterloop.bundled.BundledAssets;
import dev.adapterloop.dataset.LabeledExample;
import dev.adapterloop.embedded.EmbeddedS3;
import dev.adapterloop.events.PredictionId;
import dev.adapterloop.model.PretrainedModel;
import dev.adapterloop.model.SequenceClassifier;
import dev.adapterloop.registry.AdapterRegistry;
import dev.adapterloop.registry.AliasStore;
import dev.adapterloop.registry.ObjectStore;
import dev.adapterloop.serving.ServedModel;
import dev.adapterloop.serving.ServedModels;
import dev.adapterloop.serving.ServingConfig;
import dev.adapterloop.serving.ServingFixtures;
import dev.adapterloop.serving.VersionLoader;
import dev.adapterloop.testing.BundledModel;
import dev.adapterloop.testing.SpamSample;
import dev.adapterloop.testing.TestServingConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Serving's benchmark command, one run over a real (embedded) S3 server and the real engine: prediction latency
 * (median, p99) and throughput for the base model alone (its encoder and an untrained head, no adapter), a champion
 * merged and the same champion unmerged, interleaved by round; then the swap latency of the real
 * {@link ServedModels} over {@code --swaps} alias moves, as load + switch (refresh) and as alias change to the first
 * answer of the new version (alias polling, a client asking continuously). Prints the figures and writes
 * {@code target/benchmarks/serving-<time>.md}. Run: {@code ./mvnw -Pserving-benchmark verify} (docs/serving.md).
 */
@Command(name = "serving-benchmark", mixinStandardHelpOptions = true,
        description = "Prediction latency/throughput (base, merged, unmerged) and adapter swap latency.")
public final class ServingBenchmark implements Callable<Integer> {

    private static final String TASK = BundledAssets.TASK;

    @Option(names = "--rounds", defaultValue = "3")
    int rounds;
    @Option(names = "--requests", defaultValue = "60", description = "Sequential requests per config and round.")
    int requests;
    @Option(names = "--throughput-seconds", defaultValue = "5", description = "Per config and round.")
    int throughputSeconds;
    @Option(names = "--clients", defaultValue = "2", description = "Concurrent clients for throughput.")
    int clients;
    @Option(names = "--seq", defaultValue = "128", description = "Max sequence length (serving's default).")
    int sequenceLength;
    @Option(names = "--swaps", defaultValue = "20")
    int swaps;
    @Option(names = "--poll", defaultValue = "2s", description = "Alias poll interval for the alias-to-answer swaps.")
    String poll;
    @Option(names = "--out", defaultValue = "target/benchmarks")
    Path out;

    public static void main(String[] args) {
        System.exit(new CommandLine(new ServingBenchmark()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        Path root = Files.createTempDirectory("serving-benchmark-");
        StringBuilder report = new StringBuilder();
        try (EmbeddedS3 s3 = EmbeddedS3.start(EmbeddedS3.Settings.of(root.resolve("s3"), "bench-access",
                "bench-secret-0123456789"));
             ObjectStore store = new ObjectStore(ObjectStore.Settings.of(s3.endpoint(), "bench-access",
                     "bench-secret-0123456789", "serving-benchmark"))) {
            store.ensureBucket();
            AdapterRegistry registry = new AdapterRegistry(store);
            ServingFixtures.ensureBaseModel(registry);
            List<String> versions = List.of("v0", "v1", "v2", "v3");
            for (int i = 0; i < versions.size(); i++) {
                ServingFixtures.publishVersion(registry, BundledModel.encoder(), TASK, versions.get(i), i + 1);
            }
            VersionLoader loader = new VersionLoader(registry, root.resolve("cache"), root.resolve("work"),
                    Device.cpu(), DataType.FLOAT32);
            List<String> texts = SpamSample.heldOut(200).stream().map(LabeledExample::text).toList();

            report.append(String.format(Locale.ROOT, "Machine: %d cores visible to the JVM, PyTorch intra-op threads"
                    + " %s; max sequence length %d, one text per request.%n%n",
                    Runtime.getRuntime().availableProcessors(),
                    System.getProperty("ai.djl.pytorch.num_threads", "default"), sequenceLength));
            report.append(predictionTable(registry, loader, root, texts));
            report.append(swapTable(registry, loader, versions, texts));
        }
        String text = report.toString();
        System.out.println(text);
        Files.createDirectories(out);
        Path file = out.resolve("serving-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"))
                + ".md");
        Files.writeString(file, text);
        System.out.println("written to " + file);
        return 0;
    }

    private String predictionTable(AdapterRegistry registry, VersionLoader loader, Path root, List<String> texts)
            throws Exception {
        Map<String, ServedModel> models = new LinkedHashMap<>();
        models.put("base model alone (no adapter)", baseAlone(registry, root));
        models.put("champion, merged", loader.load(TASK, "v0", VersionLoader.MERGED));
        models.put("champion, unmerged", loader.load(TASK, "v0", VersionLoader.UNMERGED));
        Map<String, List<Double>> latencies = new LinkedHashMap<>();
        Map<String, List<Double>> throughputs = new LinkedHashMap<>();
        models.forEach((name, model) -> {
            for (int i = 0; i < 10; i++) {
                model.predict(List.of(texts.get(i)), sequenceLength); // warm-up: kernels per shape
            }
        });
        for (int round = 0; round < rounds; round++) { // interleaved: a slow spell hits every config
            for (Map.Entry<String, ServedModel> entry : models.entrySet()) {
                List<Double> ms = latencies.computeIfAbsent(entry.getKey(), k -> new ArrayList<>());
                for (int i = 0; i < requests; i++) {
                    long started = System.nanoTime();
                    entry.getValue().predict(List.of(texts.get((round * requests + i) % texts.size())),
                            sequenceLength);
                    ms.add((System.nanoTime() - started) / 1e6);
                }
                throughputs.computeIfAbsent(entry.getKey(), k -> new ArrayList<>())
                        .add(throughput(entry.getValue(), texts));
            }
        }
        models.values().forEach(ServedModel::release);
        StringBuilder table = new StringBuilder("| model | latency median (ms) | latency p99 (ms) | throughput, "
                + clients + " clients (req/s, median of rounds) |\n|---|---|---|---|\n");
        latencies.forEach((name, ms) -> table.append(String.format(Locale.ROOT, "| %s | %.1f | %.1f | %.1f |%n",
                name, percentile(ms, 50), percentile(ms, 99), percentile(throughputs.get(name), 50))));
        return table.append(String.format(Locale.ROOT, "%n%d rounds x %d sequential requests per model; throughput"
                + " %d s per model and round.%n%n", rounds, requests, throughputSeconds)).toString();
    }

    /** The base encoder with an untrained head: what serving costs without any adapter. */
    private ServedModel baseAlone(AdapterRegistry registry, Path root) throws Exception {
        PretrainedModel encoder = PretrainedModel.load(registry.fetchModel(BundledAssets.MODEL_ID,
                root.resolve("cache")), Device.cpu());
        SequenceClassifier classifier = new SequenceClassifier(encoder.backbone(), ServingFixtures.LABELS);
        classifier.initializeHead(encoder.manager(), 1);
        ParameterStore parameters = new ParameterStore(encoder.manager(), false);
        return new ServedModel(TASK, "base", "base", ServingFixtures.LABELS, encoder,
                batch -> classifier.forward(parameters, batch.get(0), batch.get(1), batch.get(2), false), () -> {
                });
    }

    private double throughput(ServedModel model, List<String> texts) {
        AtomicInteger done = new AtomicInteger();
        AtomicBoolean stop = new AtomicBoolean();
        List<Thread> threads = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            int offset = c * 31;
            threads.add(Thread.ofPlatform().start(() -> {
                for (int i = offset; !stop.get(); i++) {
                    model.predict(List.of(texts.get(i % texts.size())), sequenceLength);
                    done.incrementAndGet();
                }
            }));
        }
        long started = System.nanoTime();
        sleep(Duration.ofSeconds(throughputSeconds));
        stop.set(true);
        threads.forEach(ServingBenchmark::join);
        return done.get() / ((System.nanoTime() - started) / 1e9);
    }

    private String swapTable(AdapterRegistry registry, VersionLoader loader, List<String> versions,
            List<String> texts) throws Exception {
        AliasStore aliases = new AliasStore(registry, Clock.systemUTC());
        // 1. load + switch: move the alias, then refresh (what the promotion code calls) until it is served.
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        List<Double> refreshMs = new ArrayList<>();
        ServedModels served = new ServedModels(aliases, registry, config(Duration.ofHours(1)), meters,
                Set.of(TASK), loader);
        try {
            for (int i = 0; i <= swaps; i++) {
                String next = versions.get(i % versions.size());
                aliases.compareAndSet(aliases.read(TASK), PredictionId.CHAMPION, next, "benchmark", "test");
                long started = System.nanoTime();
                String now = served.refresh(TASK).get(120, TimeUnit.SECONDS).championVersion().orElse("none");
                if (!now.equals(next)) {
                    throw new IllegalStateException("refresh left " + now + " serving, not " + next);
                }
                if (i > 0) { // the first is the initial load, not a swap
                    refreshMs.add((System.nanoTime() - started) / 1e6);
                }
            }
        } finally {
            served.close();
        }
        double meanSwitchMs = meters.find("adapterloop.serving.swap.duration").timer().mean(TimeUnit.MILLISECONDS);

        // 2. alias change to the first answer of the new version: alias polling, a client asking all the time.
        Duration interval = Duration.parse("PT" + poll.toUpperCase(Locale.ROOT));
        ServedModels polled = new ServedModels(aliases, registry, config(interval), new SimpleMeterRegistry(),
                Set.of(TASK), loader);
        List<Double> toAnswerMs = new ArrayList<>();
        AtomicReference<String> lastVersion = new AtomicReference<>("none");
        AtomicInteger failures = new AtomicInteger();
        AtomicInteger answered = new AtomicInteger();
        AtomicBoolean stop = new AtomicBoolean();
        polled.startPolling();
        Thread client = Thread.ofPlatform().start(() -> {
            for (int i = 0; !stop.get(); i++) {
                ServedModel model = polled.slots(TASK).champion();
                if (model == null || !model.tryAcquire()) {
                    continue;
                }
                try {
                    model.predict(List.of(texts.get(i % texts.size())), sequenceLength);
                    lastVersion.set(model.version());
                    answered.incrementAndGet();
                } catch (RuntimeException e) {
                    failures.incrementAndGet();
                } finally {
                    model.release();
                }
            }
        });
        try {
            String current = aliases.read(TASK).alias(PredictionId.CHAMPION).orElseThrow().version();
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (!lastVersion.get().equals(current) && System.nanoTime() < deadline) {
                sleep(Duration.ofMillis(5));
            }
            for (int i = 0; i < swaps; i++) {
                String next = versions.get((versions.indexOf(current) + 1) % versions.size());
                aliases.compareAndSet(aliases.read(TASK), PredictionId.CHAMPION, next, "benchmark", "test");
                long started = System.nanoTime();
                while (!lastVersion.get().equals(next)) {
                    if (System.nanoTime() - started > Duration.ofSeconds(120).toNanos()) {
                        throw new IllegalStateException("no answer from " + next + " after 120 s");
                    }
                    Thread.onSpinWait();
                }
                toAnswerMs.add((System.nanoTime() - started) / 1e6);
                current = next;
            }
        } finally {
            stop.set(true);
            join(client);
            polled.close();
        }
        return String.format(Locale.ROOT, "| swap (merged, %d swaps) | median (ms) | p99 (ms) |%n|---|---|---|%n"
                        + "| refresh: alias read + load + switch | %.0f | %.0f |%n"
                        + "| alias change to first answer (poll every %s) | %.0f | %.0f |%n%n"
                        + "Mean load + switch alone (swap timer): %.0f ms. Requests answered during the polled swaps:"
                        + " %d, failed: %d.%n", swaps, percentile(refreshMs, 50), percentile(refreshMs, 99),
                poll, percentile(toAnswerMs, 50), percentile(toAnswerMs, 99), meanSwitchMs, answered.get(),
                failures.get());
    }

    /**
     * Merged mode with an adapter cache that keeps nothing but the served versions, so that every swap this benchmark
     * times loads its version (SharedServingBenchmark times swaps to cached versions too).
     */
    private static ServingConfig config(Duration poll) {
        return TestServingConfig.of(poll, VersionLoader.MERGED, 1);
    }

    /** Nearest-rank percentile. */
    static double percentile(List<Double> values, double p) {
        if (values.isEmpty()) {
            return Double.NaN;
        }
        double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        int rank = (int) Math.ceil(p / 100 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void join(Thread thread) {
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
