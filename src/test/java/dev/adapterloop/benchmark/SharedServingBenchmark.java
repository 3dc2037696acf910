package dev.adapterloop.benchmark;

import ai.djl.Device;
import ai.djl.ndarray.types.DataType;
import dev.adapterloop.dataset.LabeledExample;
import dev.adapterloop.embedded.EmbeddedS3;
import dev.adapterloop.events.PredictionId;
import dev.adapterloop.registry.AdapterRegistry;
import dev.adapterloop.registry.AliasStore;
import dev.adapterloop.registry.ObjectStore;
import dev.adapterloop.serving.MixedBatch;
import dev.adapterloop.serving.ServedModel;
import dev.adapterloop.serving.ServedModels;
import dev.adapterloop.serving.ServingFixtures;
import dev.adapterloop.serving.VersionLoader;
import dev.adapterloop.testing.BundledModel;
import dev.adapterloop.testing.SpamSample;
import dev.adapterloop.testing.TestServingConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
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
import java.util.function.Supplier;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Shared-base serving (issue 19), one run over a real (embedded) S3 server and the real engine: resident memory of a
 * serving process with 1, 10, 100 and 200 adapter versions on one shared base against one version on a copy of its
 * own (each a fresh JVM, so nothing else is resident); the cost of loading a version onto the loaded base and of a
 * swap through {@link ServedModels}; throughput of 32-text batches that mix 1, 8 and 32 versions against the same batch
 * on one merged version; and single-text latency. Versions are LoRA r=4 on query and value with random factors
 * (10 tasks × 20 versions). Run: {@code ./mvnw -Pshared-serving-benchmark verify} (docs/serving.md).
 */
@Command(name = "shared-serving-benchmark", mixinStandardHelpOptions = true,
        description = "Many adapters on one shared base: memory, swap latency, mixed-batch throughput, latency.")
public final class SharedServingBenchmark implements Callable<Integer> {

    private static final int TASKS = 10;
    private static final String ACCESS = "bench-access";
    private static final String SECRET = "bench-secret-0123456789";
    private static final String BUCKET = "shared-serving-benchmark";

    @Option(names = "--versions", defaultValue = "200")
    int versions;
    @Option(names = "--rounds", defaultValue = "5", description = "Interleaved rounds of the throughput configs.")
    int rounds;
    @Option(names = "--batches", defaultValue = "6", description = "32-text batches per config and round.")
    int batches;
    @Option(names = "--requests", defaultValue = "200", description = "Sequential single-text requests per model.")
    int requests;
    @Option(names = "--swaps", defaultValue = "40")
    int swaps;
    @Option(names = "--seq", defaultValue = "128")
    int sequenceLength;
    @Option(names = "--out", defaultValue = "target/benchmarks")
    Path out;
    @Option(names = "--rss-worker", hidden = true, description = "endpoint: load versions there and print the RSS")
    String rssWorkerEndpoint;
    @Option(names = "--rss-mode", hidden = true, defaultValue = "shared")
    String rssMode;
    @Option(names = "--rss-count", hidden = true, defaultValue = "1")
    int rssCount;

    public static void main(String[] args) {
        System.exit(new CommandLine(new SharedServingBenchmark()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        if (rssWorkerEndpoint != null) {
            return rssWorker();
        }
        Path root = Files.createTempDirectory("shared-serving-benchmark-");
        StringBuilder report = new StringBuilder();
        try (EmbeddedS3 s3 = EmbeddedS3.start(EmbeddedS3.Settings.of(root.resolve("s3"), ACCESS, SECRET));
             ObjectStore store = new ObjectStore(ObjectStore.Settings.of(s3.endpoint(), ACCESS, SECRET, BUCKET))) {
            store.ensureBucket();
            AdapterRegistry registry = new AdapterRegistry(store);
            ServingFixtures.ensureBaseModel(registry);
            long publishing = System.nanoTime();
            for (int i = 0; i < versions; i++) {
                ServingFixtures.publishVersion(registry, BundledModel.encoder(), task(i), version(i), 1000 + i);
            }
            System.out.printf(Locale.ROOT, "published %d versions in %.0f s%n", versions,
                    (System.nanoTime() - publishing) / 1e9);
            report.append(String.format(Locale.ROOT, "Machine: %d cores visible to the JVM, PyTorch intra-op threads"
                    + " %s; max sequence length %d; %d versions of %d tasks, LoRA r=4 on query and value.%n%n",
                    Runtime.getRuntime().availableProcessors(),
                    System.getProperty("ai.djl.pytorch.num_threads", "default"), sequenceLength, versions, TASKS));
            report.append(memoryTable(s3.endpoint().toString()));
            VersionLoader loader = new VersionLoader(registry, root.resolve("cache"), root.resolve("work"),
                    Device.cpu(), DataType.FLOAT32);
            List<String> texts = SpamSample.heldOut(200).stream().map(LabeledExample::text).toList();
            List<ServedModel> shared = new ArrayList<>();
            report.append(loadTable(loader, shared));
            report.append(swapTable(registry, loader));
            ServedModel merged = loader.load(task(0), version(0), VersionLoader.MERGED);
            try {
                report.append(throughputTable(merged, shared, texts));
                report.append(latencyTable(merged, shared.getFirst(), texts));
            } finally {
                merged.release();
                shared.forEach(ServedModel::release);
            }
        }
        String text = report.toString();
        System.out.println(text);
        Files.createDirectories(out);
        Path file = out.resolve("shared-serving-" + LocalDateTime.now()
                .format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")) + ".md");
        Files.writeString(file, text);
        System.out.println("written to " + file);
        return 0;
    }

    private static String task(int i) {
        return "task" + (i % TASKS);
    }

    private static String version(int i) {
        return "v" + i;
    }

    /** RSS of a fresh JVM serving 1 version merged, then 1, 10, 100 and all versions shared. */
    private String memoryTable(String endpoint) throws Exception {
        StringBuilder table = new StringBuilder("| serving process | versions | RSS (MiB) | × one version merged"
                + " | Java heap used/committed (MiB) |\n|---|---|---|---|---|\n");
        double baseline = rssOfWorker(endpoint, VersionLoader.MERGED, 1);
        table.append(String.format(Locale.ROOT, "| one version, merged (a base copy of its own) | 1 | %.0f | 1.00"
                + " | %s |%n", baseline, lastHeap));
        for (int count : new int[] {1, 10, 100, versions}) {
            if (count > versions) {
                continue;
            }
            double rss = rssOfWorker(endpoint, VersionLoader.SHARED, count);
            table.append(String.format(Locale.ROOT, "| shared base | %d | %.0f | %.2f | %s |%n", count, rss,
                    rss / baseline, lastHeap));
        }
        return table.append("\nEach row a fresh JVM (same flags) that loads the versions, answers one text with each,"
                + " runs a GC and reads VmRSS.\n\n").toString();
    }

    private double rssOfWorker(String endpoint, String mode, int count) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString()));
        command.addAll(java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .filter(arg -> arg.startsWith("-D") || arg.startsWith("-X")).toList());
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), SharedServingBenchmark.class.getName(),
                "--rss-worker", endpoint, "--rss-mode", mode, "--rss-count", Integer.toString(count)));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (process.waitFor() != 0) {
            throw new IllegalStateException("RSS worker failed:\n" + output);
        }
        String heap = "?";
        for (String line : output.lines().toList()) {
            if (line.startsWith("HEAP_MIB=")) {
                heap = line.substring("HEAP_MIB=".length());
            }
            if (line.startsWith("RSS_MIB=")) {
                lastHeap = heap;
                return Double.parseDouble(line.substring("RSS_MIB=".length()));
            }
        }
        throw new IllegalStateException("RSS worker printed no RSS:\n" + output);
    }

    /** Java heap used/committed after GC (MiB) of the last RSS worker. */
    private String lastHeap = "?";

    private int rssWorker() throws Exception {
        Path root = Files.createTempDirectory("shared-serving-rss-");
        try (ObjectStore store = new ObjectStore(ObjectStore.Settings.of(rssWorkerEndpoint,
                ACCESS, SECRET, BUCKET))) {
            VersionLoader loader = new VersionLoader(new AdapterRegistry(store), root.resolve("cache"),
                    root.resolve("work"), Device.cpu(), DataType.FLOAT32);
            List<ServedModel> models = new ArrayList<>();
            for (int i = 0; i < rssCount; i++) {
                ServedModel model = loader.load(task(i), version(i), rssMode);
                model.predict(List.of("Claim your FREE gift card today"), sequenceLength);
                models.add(model);
            }
            System.gc();
            Thread.sleep(500);
            var heap = java.lang.management.ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
            System.out.printf(Locale.ROOT, "HEAP_MIB=%.1f/%.1f%n", heap.getUsed() / 1048576.0,
                    heap.getCommitted() / 1048576.0);
            System.out.printf(Locale.ROOT, "RSS_MIB=%.1f%n", BenchmarkWorker.statusMib("VmRSS:"));
            models.forEach(ServedModel::release);
        }
        return 0;
    }

    /** Loading each version onto the loaded base: what a swap costs before its atomic switch. */
    private String loadTable(VersionLoader loader, List<ServedModel> shared) {
        long first = System.nanoTime();
        shared.add(loader.load(task(0), version(0), VersionLoader.SHARED));
        double firstMs = (System.nanoTime() - first) / 1e6;
        List<Double> ms = new ArrayList<>();
        for (int i = 1; i < versions; i++) {
            long started = System.nanoTime();
            shared.add(loader.load(task(i), version(i), VersionLoader.SHARED));
            ms.add((System.nanoTime() - started) / 1e6);
        }
        return String.format(Locale.ROOT, "| load onto the shared base | median (ms) | p99 (ms) |%n|---|---|---|%n"
                + "| first version (loads the base) | %.0f | |%n"
                + "| each further version (%d): fetch from S3, read, build, detach | %.1f | %.1f |%n%n",
                firstMs, ms.size(), ServingBenchmark.percentile(ms, 50), ServingBenchmark.percentile(ms, 99));
    }

    /**
     * Swaps through the real {@link ServedModels}: move the alias, refresh, until the new version serves. Twice: with
     * an adapter cache too small to keep a version that left its slot (every swap loads), and with the default budget
     * (after the first round through the task's versions every swap finds its version loaded).
     */
    private String swapTable(AdapterRegistry registry, VersionLoader loader) throws Exception {
        List<Double> cold = swaps(registry, loader, 1);
        List<Double> cached = swaps(registry, loader, 512L << 20);
        return String.format(Locale.ROOT, "| swap (shared, %d swaps each) | median (ms) | p99 (ms) |%n|---|---|---|%n"
                + "| to a version not loaded: alias read + load + switch | %.1f | %.1f |%n"
                + "| to a version in the adapter cache: alias read + switch | %.1f | %.1f |%n%n", swaps,
                ServingBenchmark.percentile(cold, 50), ServingBenchmark.percentile(cold, 99),
                ServingBenchmark.percentile(cached, 50), ServingBenchmark.percentile(cached, 99));
    }

    private List<Double> swaps(AdapterRegistry registry, VersionLoader loader, long cacheBudget) throws Exception {
        AliasStore aliases = new AliasStore(registry, Clock.systemUTC());
        String task = task(0);
        List<String> candidates = new ArrayList<>();
        for (int i = 0; i < versions; i++) {
            if (task(i).equals(task)) {
                candidates.add(version(i));
            }
        }
        List<Double> refreshMs = new ArrayList<>();
        ServedModels served = new ServedModels(aliases, registry, TestServingConfig.of(Duration.ofHours(1),
                VersionLoader.SHARED, cacheBudget), new SimpleMeterRegistry(), Set.of(task), loader);
        try {
            // The first round through the versions fills a cache that can hold them; only what follows is timed.
            int warm = cacheBudget > 1 ? candidates.size() : 1;
            for (int i = 0; i < warm + swaps; i++) {
                String next = candidates.get(i % candidates.size());
                aliases.compareAndSet(aliases.read(task), PredictionId.CHAMPION, next, "benchmark", "test");
                long started = System.nanoTime();
                String now = served.refresh(task).get(120, TimeUnit.SECONDS).championVersion().orElse("none");
                if (!now.equals(next)) {
                    throw new IllegalStateException("refresh left " + now + " serving, not " + next);
                }
                if (i >= warm) {
                    refreshMs.add((System.nanoTime() - started) / 1e6);
                }
            }
        } finally {
            served.close();
        }
        return refreshMs;
    }

    /** Texts per second for 32-text batches: one merged version, and 1, 8 and 32 shared versions per batch. */
    private String throughputTable(ServedModel merged, List<ServedModel> shared, List<String> texts) {
        int size = 32;
        Map<String, Supplier<List<ServedModel>>> mixes = new LinkedHashMap<>();
        Map<String, List<Double>> rates = new LinkedHashMap<>();
        Map<String, Runnable> configs = new LinkedHashMap<>();
        int[] next = {0};
        configs.put("one version, merged", () -> merged.predict(batchTexts(texts, next[0]++, size), sequenceLength));
        for (int distinct : new int[] {1, 8, 32}) {
            if (distinct > shared.size()) {
                continue;
            }
            configs.put(distinct + " version" + (distinct == 1 ? "" : "s") + " per batch, shared base", () -> {
                List<ServedModel> models = new ArrayList<>(size);
                for (int i = 0; i < size; i++) {
                    models.add(shared.get((next[0] * 7 + i % distinct) % shared.size()));
                }
                MixedBatch.predict(models, batchTexts(texts, next[0]++, size), sequenceLength);
            });
        }
        configs.values().forEach(Runnable::run); // warm-up: kernels per shape
        for (int round = 0; round < rounds; round++) {
            for (Map.Entry<String, Runnable> config : configs.entrySet()) {
                long started = System.nanoTime();
                for (int b = 0; b < batches; b++) {
                    config.getValue().run();
                }
                rates.computeIfAbsent(config.getKey(), k -> new ArrayList<>())
                        .add(batches * size / ((System.nanoTime() - started) / 1e9));
            }
        }
        double mergedRate = ServingBenchmark.percentile(rates.get("one version, merged"), 50);
        StringBuilder table = new StringBuilder("| 32-text batch | texts/s (median of rounds) | × merged |\n"
                + "|---|---|---|\n");
        rates.forEach((name, values) -> table.append(String.format(Locale.ROOT, "| %s | %.1f | %.2f |%n", name,
                ServingBenchmark.percentile(values, 50), ServingBenchmark.percentile(values, 50) / mergedRate)));
        return table.append(String.format(Locale.ROOT, "%n%d interleaved rounds × %d batches per config, one"
                + " caller thread.%n%n", rounds, batches)).toString();
    }

    private String latencyTable(ServedModel merged, ServedModel shared, List<String> texts) {
        Map<String, ServedModel> models = new LinkedHashMap<>();
        models.put("one version, merged", merged);
        models.put("one version on the shared base", shared);
        Map<String, List<Double>> ms = new LinkedHashMap<>();
        models.values().forEach(model -> {
            for (int i = 0; i < 10; i++) {
                model.predict(List.of(texts.get(i)), sequenceLength);
            }
        });
        for (int i = 0; i < requests; i++) { // interleaved
            for (Map.Entry<String, ServedModel> entry : models.entrySet()) {
                long started = System.nanoTime();
                entry.getValue().predict(List.of(texts.get(i % texts.size())), sequenceLength);
                ms.computeIfAbsent(entry.getKey(), k -> new ArrayList<>()).add((System.nanoTime() - started) / 1e6);
            }
        }
        StringBuilder table = new StringBuilder("| single text | median (ms) | p99 (ms) |\n|---|---|---|\n");
        ms.forEach((name, values) -> table.append(String.format(Locale.ROOT, "| %s | %.1f | %.1f |%n", name,
                ServingBenchmark.percentile(values, 50), ServingBenchmark.percentile(values, 99))));
        return table.append(String.format(Locale.ROOT, "%n%d sequential requests each, interleaved.%n", requests))
                .toString();
    }

    private static List<String> batchTexts(List<String> texts, int offset, int size) {
        List<String> batch = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            batch.add(texts.get((offset * size + i) % texts.size()));
        }
        return batch;
    }
}
