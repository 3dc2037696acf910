package dev.adapterloop.process;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.adapterloop.bundled.BundledAssets;
import dev.adapterloop.dataset.JsonlDatasetWriter;
import dev.adapterloop.dataset.LabeledExample;
import dev.adapterloop.embedded.EmbeddedKafka;
import dev.adapterloop.embedded.EmbeddedS3;
import dev.adapterloop.events.AdapterManifest;
import dev.adapterloop.events.LabeledDataEvent;
import dev.adapterloop.registry.AdapterRegistry;
import dev.adapterloop.registry.ObjectStore;
import dev.adapterloop.registry.PipelineRecords;
import dev.adapterloop.training.JobRecord;
import dev.adapterloop.training.JobStore;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The pipeline's own measures (issue 5), on the packaged service as a separate process over the embedded Kafka and
 * S3 servers: intake throughput in events/s with a real Kafka client ({@code kcat}), and for a realistic training job
 * the latency from event publish to training start and the pipeline overhead (everything but training and
 * evaluation) as a share of the job's time. Run: {@code ./mvnw -Pprocess-benchmark verify
 * [-Dbenchmark.args="--help"]}; writes {@code target/benchmarks/pipeline-<time>.json}.
 */
@Command(name = "pipeline-benchmark", mixinStandardHelpOptions = true,
        description = "Intake throughput with kcat, event-to-training latency and pipeline overhead share.")
public final class PipelineBenchmark implements java.util.concurrent.Callable<Integer> {

    private static final String BUCKET = "adapterloop-bench";
    private static final String TASK = "spam";
    private static final ObjectMapper JSON = new ObjectMapper();

    @Option(names = "--events", defaultValue = "400", description = "Events per intake round (default ${DEFAULT-VALUE}).")
    int events;

    @Option(names = "--rounds", defaultValue = "3", description = "Intake rounds (default ${DEFAULT-VALUE}).")
    int rounds;

    @Option(names = "--records", defaultValue = "20", description = "Records per announced dataset (default "
            + "${DEFAULT-VALUE}).")
    int records;

    @Option(names = "--job-steps", defaultValue = "120", description = "Steps of the overhead job, batch 16 at 128 "
            + "tokens (0 skips it; default ${DEFAULT-VALUE}).")
    int jobSteps;

    @Option(names = "--kcat", defaultValue = "kcat", description = "The kcat executable (Debian package kcat).")
    String kcat;

    private EmbeddedKafka kafka;
    private EmbeddedS3 s3;
    private ObjectStore store;
    private AdapterRegistry registry;
    private final Map<String, Object> results = new LinkedHashMap<>();

    public static void main(String[] args) {
        System.exit(new CommandLine(new PipelineBenchmark()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        Path root = Path.of("target", "pipeline-benchmark").toAbsolutePath();
        deleteRecursively(root);
        kafka = EmbeddedKafka.start(root.resolve("kafka"));
        s3 = EmbeddedS3.start(EmbeddedS3.Settings.of(root.resolve("s3"), "bench-access-key", "bench-secret-key-1"));
        store = ObjectStore.create(s3.endpoint(), "bench-access-key", "bench-secret-key-1", BUCKET);
        store.ensureBucket();
        registry = new AdapterRegistry(store);
        kafka.createTopics("labeled-data", "labeled-data-dlq", "adapter-training", "adapter-evaluations");
        BundledAssets.ensureModel(registry, root.resolve("import"));
        BundledAssets.ensureDatasets(registry, TASK, "datasets/spam/bench-train.jsonl",
                "datasets/spam/bench-heldout.jsonl", 16 * Math.max(jobSteps, 1), 300);
        try {
            results.put("machine", Map.of("cores", Runtime.getRuntime().availableProcessors(),
                    "os", System.getProperty("os.name") + " " + System.getProperty("os.arch"),
                    "java", System.getProperty("java.version")));
            measureIntake(root);
            if (jobSteps > 0) {
                measureJob(root);
            }
        } finally {
            s3.close();
            kafka.close();
        }
        Path out = Path.of("target", "benchmarks", "pipeline-"
                + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")) + ".json");
        Files.createDirectories(out.getParent());
        JSON.writerWithDefaultPrettyPrinter().writeValue(out.toFile(), results);
        System.out.println("wrote " + out);
        return 0;
    }

    /**
     * Each round: the service is stopped, kcat publishes {@code events} labeled-data events (one process per event,
     * each with its own ce_id header, each naming a dataset of its own), the service starts, and the rate is taken
     * between the first and the last event the intake has durably recorded (its per-event marker in the bucket).
     * No job starts: the trigger needs more examples than the round brings.
     */
    private void measureIntake(Path root) throws Exception {
        Map<String, String> config = baseConfig();
        config.put("adapterloop.tasks.spam.intake.min-new-examples", "100000000");
        config.put("adapterloop.tasks.spam.intake.max-wait", "P30D");
        ServiceProcess service = new ServiceProcess("intake", root.resolve("intake-replica"), config);
        List<Double> rates = new ArrayList<>();
        List<Map<String, Object>> detail = new ArrayList<>();
        for (int round = 1; round <= rounds; round++) {
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < events; i++) {
                String key = "datasets/spam/bench-r" + round + "-" + i + ".jsonl";
                registry.putDataset(TASK, key, dataset(round, i));
                ids.add(UUID.randomUUID().toString());
            }
            long produceStart = System.nanoTime();
            for (int i = 0; i < events; i++) {
                publishWithKcat(ids.get(i), "{\"task\":\"spam\",\"datasets\":[{\"key\":\"datasets/spam/bench-r" + round
                        + "-" + i + ".jsonl\"}],\"heldOut\":{\"key\":\"datasets/spam/bench-heldout.jsonl\"}}");
            }
            double produceSeconds = (System.nanoTime() - produceStart) / 1e9;

            service.start(Duration.ofMinutes(2));
            List<String> markers = ids.stream().map(id -> PipelineRecords.eventMarkerKey(TASK, id)).toList();
            long first = 0;
            long last = 0;
            int seen = 0;
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(10);
            while (seen < events && System.nanoTime() < deadline) {
                int now = (int) store.list(PipelineRecords.intakePrefix(TASK) + "events/").stream()
                        .filter(markers::contains).count();
                long t = System.nanoTime();
                if (now > 0 && first == 0) {
                    first = t;
                }
                if (now > seen) {
                    last = t;
                    seen = now;
                }
                Thread.sleep(50);
            }
            service.close();
            double seconds = (last - first) / 1e9;
            double rate = seen > 1 && seconds > 0 ? (seen - 1) / seconds : Double.NaN;
            rates.add(rate);
            detail.add(Map.of("round", round, "recorded", seen, "seconds", seconds, "eventsPerSecond", rate,
                    "kcatPublishSeconds", produceSeconds));
            System.out.printf(Locale.ROOT, "intake round %d: %d of %d events recorded in %.2f s: %.1f events/s "
                    + "(kcat published them in %.1f s, one process each)%n", round, seen, events, seconds, rate,
                    produceSeconds);
        }
        double median = median(rates);
        results.put("intake", Map.of("events", events, "recordsPerDataset", records, "rounds", detail,
                "medianEventsPerSecond", median));
        System.out.printf(Locale.ROOT, "intake: median %.1f events/s over %d rounds of %d events%n", median, rounds,
                events);
    }

    /** One realistic job: event published → training started → version stored, against training and evaluation. */
    private void measureJob(Path root) throws Exception {
        Map<String, String> config = baseConfig();
        config.put("adapterloop.tasks.spam.training.max-steps", String.valueOf(jobSteps));
        config.put("adapterloop.tasks.spam.training.max-sequence-length", "128");
        config.put("adapterloop.tasks.spam.training.batch-size", "16");
        ServiceProcess service = new ServiceProcess("job", root.resolve("job-replica"), config);
        service.start(Duration.ofMinutes(2));
        try {
            String id = UUID.randomUUID().toString();
            Instant published = Instant.now();
            publishWithKcat(id, "{\"task\":\"spam\",\"datasets\":[{\"key\":\"datasets/spam/bench-train.jsonl\"}],"
                    + "\"heldOut\":{\"key\":\"datasets/spam/bench-heldout.jsonl\"}}");
            JobStore jobs = new JobStore(new PipelineRecords(store));
            Instant started = null;
            JobRecord done = null;
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(30);
            while (done == null && System.nanoTime() < deadline) {
                Optional<JobRecord> job = jobs.list(Optional.of(TASK)).stream()
                        .filter(j -> j.sourceEventIds().contains(id)).findFirst();
                if (started == null && job.isPresent() && job.get().state() != JobRecord.State.QUEUED) {
                    started = Instant.now();
                }
                if (job.isPresent() && job.get().state().isFinished()) {
                    done = job.get();
                }
                Thread.sleep(100);
            }
            if (done == null || done.state() != JobRecord.State.SUCCEEDED) {
                throw new IllegalStateException("the job did not succeed: " + done + "\n" + service.tail());
            }
            AdapterManifest manifest = registry.manifest(TASK, done.version()).orElseThrow();
            JsonNode training = JSON.valueToTree(manifest.training());
            long total = Duration.between(published, Instant.parse(manifest.createdAt())).toMillis();
            long trainingMillis = training.path("trainingMillis").asLong();
            long evaluationMillis = training.path("evaluationMillis").asLong();
            long startLatency = Duration.between(published, started).toMillis();
            double share = (double) (total - trainingMillis - evaluationMillis) / total;
            results.put("job", Map.of("steps", jobSteps, "eventToTrainingStartMillis", startLatency,
                    "eventToVersionMillis", total, "trainingMillis", trainingMillis,
                    "evaluationMillis", evaluationMillis, "overheadShare", share,
                    "jobMillisInRunner", manifest.durationMillis()));
            System.out.printf(Locale.ROOT, "job: event -> training started %d ms (record polled every 100 ms); event "
                            + "-> version stored %d ms, of which training %d ms and evaluation %d ms: pipeline overhead "
                            + "%.1f %%%n", startLatency, total, trainingMillis, evaluationMillis, 100 * share);
        } finally {
            service.close();
        }
    }

    private Map<String, String> baseConfig() {
        Map<String, String> config = new LinkedHashMap<>();
        config.put("kafka.bootstrap.servers", kafka.bootstrapServers());
        config.put("adapterloop.s3.endpoint", s3.endpoint());
        config.put("adapterloop.s3.access-key", "bench-access-key");
        config.put("adapterloop.s3.secret-key", "bench-secret-key-1");
        config.put("adapterloop.s3.bucket", BUCKET);
        config.put("adapterloop.tasks.spam.held-out-key", "datasets/spam/bench-heldout.jsonl");
        return config;
    }

    private void publishWithKcat(String id, String body) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(kcat, "-P", "-b", kafka.bootstrapServers(), "-t", "labeled-data",
                "-k", TASK, "-H", "ce_id=" + id, "-H", "ce_specversion=1.0", "-H", "ce_type=" + LabeledDataEvent.TYPE,
                "-H", "ce_source=/benchmark/kcat", "-H", "content-type=application/json")
                .redirectErrorStream(true).start();
        process.getOutputStream().write(body.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        process.getOutputStream().close();
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IllegalStateException("kcat failed: " + new String(process.getInputStream().readAllBytes(),
                    java.nio.charset.StandardCharsets.UTF_8) + " (install it: apt-get install kcat)");
        }
    }

    private byte[] dataset(int round, int index) throws IOException {
        List<LabeledExample> examples = new ArrayList<>();
        for (int i = 0; i < records; i++) {
            examples.add(new LabeledExample("round " + round + " dataset " + index + " message " + i
                    + ": please confirm your account details", i % 3 == 0 ? "spam" : "ham"));
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        JsonlDatasetWriter.write(examples, out);
        return out.toByteArray();
    }

    private static double median(List<Double> values) {
        double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return sorted.length == 0 ? Double.NaN : sorted.length % 2 == 1 ? sorted[sorted.length / 2]
                : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2;
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (Files.exists(dir)) {
            try (var paths = Files.walk(dir)) {
                paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
