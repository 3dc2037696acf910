package dev.adapterloop.process;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.adapterloop.bundled.BundledAssets;
import dev.adapterloop.embedded.EmbeddedKafka;
import dev.adapterloop.embedded.EmbeddedS3;
import dev.adapterloop.events.AdapterManifest;
import dev.adapterloop.events.LabeledDataEvent;
import dev.adapterloop.registry.AdapterRegistry;
import dev.adapterloop.registry.AliasStore;
import dev.adapterloop.registry.ObjectStore;
import dev.adapterloop.registry.PipelineRecords;
import dev.adapterloop.testing.KafkaTestClient;
import dev.adapterloop.training.JobRecord;
import dev.adapterloop.training.JobStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.utils.Utils;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.Timeout;

/**
 * The packaged service as separate processes over a real Kafka broker and a real S3 server (both in this JVM, so
 * they outlive the processes): a {@code kill -9} mid-training loses nothing and the restarted service finishes the
 * job, once, and no alias names an incomplete version; two replicas in one consumer group process several tasks'
 * events once each, and when one is killed mid-job the other finishes its work. Prints the latency and recovery
 * figures it measures. The two tests share the infrastructure and replica a, in either order.
 */
class ServiceProcessIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String BUCKET = "adapterloop-it";
    private static final String GROUP = "adapterloop";
    private static final int PARTITIONS = EmbeddedKafka.DEFAULT_PARTITIONS;
    private static final Duration START_TIMEOUT = Duration.ofMinutes(2);

    private static Path root;
    private static EmbeddedKafka kafka;
    private static EmbeddedS3 s3;
    private static ObjectStore store;
    private static AdapterRegistry registry;
    private static JobStore jobs;
    /** One task per partition, "spam" first, so two replicas are bound to split them. */
    private static List<String> tasks;
    private static ServiceProcess replicaA;
    private static final List<ServiceProcess> processes = new ArrayList<>();
    private static final Map<String, String> figures = new LinkedHashMap<>();

    @BeforeAll
    static void startInfrastructure() throws IOException {
        root = Path.of("target", "it-service-process").toAbsolutePath();
        deleteRecursively(root);
        kafka = EmbeddedKafka.start(root.resolve("kafka"));
        s3 = EmbeddedS3.start(EmbeddedS3.Settings.of(root.resolve("s3"), "it-access-key", "it-secret-key-123"));
        store = ObjectStore.create(s3.endpoint(), "it-access-key", "it-secret-key-123", BUCKET);
        store.ensureBucket();
        registry = new AdapterRegistry(store);
        jobs = new JobStore(new PipelineRecords(store));
        tasks = oneTaskPerPartition();
        BundledAssets.ensureModel(registry, root.resolve("import"));
        for (String task : tasks) {
            BundledAssets.ensureDatasets(registry, task, trainKey(task, 1), heldOutKey(task), 160, 60);
        }
        kafka.createTopics("labeled-data", "labeled-data-dlq", "adapter-training", "adapter-evaluations");
    }

    @AfterEach
    void showLogsOnFailure(TestInfo test) {
        for (ServiceProcess process : processes) {
            System.out.printf("---- %s (%s) after %s:%n%s%n", process.name(), process.isAlive() ? "alive" : "dead",
                    test.getDisplayName(), process.tail());
        }
    }

    @AfterAll
    static void stopEverything() throws Exception {
        for (ServiceProcess process : processes) {
            process.close();
        }
        figures.forEach((name, value) -> System.out.printf("ServiceProcessIT figure: %s = %s%n", name, value));
        if (s3 != null) {
            s3.close();
        }
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    @Timeout(600)
    void killedMidTrainingTheRestartedServiceFinishesTheJobOnce() throws Exception {
        startReplicaAUnlessUp();
        Instant published = Instant.now();
        String eventId = publish("spam", 1);
        JobRecord running = awaitJob("spam", eventId, job -> job.state() == JobRecord.State.RUNNING,
                Duration.ofMinutes(2));
        Instant started = startedAt(running.jobId(), 1);
        figures.put("event publish -> training started (first job, cold process)",
                millis(Duration.between(published, started)));

        awaitCheckpoint(replicaA);
        Instant killed = replicaA.kill();
        JobRecord interrupted = jobs.find("spam", running.jobId()).orElseThrow();
        assertThat(interrupted.state()).isEqualTo(JobRecord.State.RUNNING);
        assertThat(versionsOfJob("spam", running.jobId())).as("nothing published by the killed run").isEmpty();

        replicaA.start(START_TIMEOUT);
        JobRecord again = awaitJob("spam", eventId, job -> job.attempts() == 2, Duration.ofMinutes(2));
        Instant restartedJob = Instant.now();
        JobRecord done = awaitJob("spam", eventId, job -> job.state().isFinished(), Duration.ofMinutes(4));
        Instant finished = Instant.now();
        assertThat(done.state()).as("failure: %s", done.failure()).isEqualTo(JobRecord.State.SUCCEEDED);
        assertThat(done.attempts()).isEqualTo(2);
        assertThat(again.jobId()).isEqualTo(running.jobId());
        assertThat(replicaA.logText()).as("the restarted job resumed from the killed run's checkpoint")
                .contains("resumed training from the checkpoint at step");
        assertThat(versionsOfJob("spam", done.jobId())).containsExactly(done.version());
        assertThat(store.list("tasks/spam/checkpoints/")).as("checkpoints in the bucket, once the job is done")
                .isEmpty();
        assertThat(jobs.list(Optional.of("spam")).stream().filter(job -> job.sourceEventIds().contains(eventId)))
                .as("one job for the event").hasSize(1);
        // The offline gate may have made it champion: an alias only ever names a complete version.
        new AliasStore(registry, java.time.Clock.systemUTC()).read("spam").aliases().forEach((alias, target) ->
                assertThat(registry.hasAdapter("spam", target.version())).as(alias).isTrue());
        assertThat(completedEvents(done.jobId())).as("one completed event").hasSize(1);

        figures.put("kill -9 -> job running again (restart + rejoin)", millis(Duration.between(killed, restartedJob)));
        figures.put("kill -9 -> job succeeded", millis(Duration.between(killed, finished)));
    }

    @Test
    @Timeout(900)
    void twoReplicasProcessEveryTaskOnceAndTheSurvivorFinishesAKilledReplicasJob() throws Exception {
        startReplicaAUnlessUp();
        ServiceProcess replicaB = replica("b").start(START_TIMEOUT);
        awaitGroupOf(2);
        BundledAssets.ensureDatasets(registry, "spam", trainKey("spam", 2), heldOutKey("spam"), 200, 60);

        Map<String, Instant> published = new LinkedHashMap<>();
        Map<String, String> events = new LinkedHashMap<>();
        for (String task : tasks) {
            published.put(task, Instant.now());
            events.put(task, publish(task, task.equals("spam") ? 2 : 1));
        }

        // Kill whichever replica is training a job once that job has checkpointed, and copied it to the bucket.
        ServiceProcess victim = null;
        JobRecord victimsJob = null;
        long deadline = System.nanoTime() + Duration.ofMinutes(4).toNanos();
        while (victim == null && System.nanoTime() < deadline) {
            for (String task : tasks) {
                Optional<JobRecord> job = find(task, events.get(task));
                if (job.isEmpty() || job.get().state() != JobRecord.State.RUNNING) {
                    continue;
                }
                for (ServiceProcess replica : List.of(replicaA, replicaB)) {
                    if (replica.logText().contains("job " + job.get().jobId() + ": training")
                            && hasCheckpoint(replica) && hasCheckpointInBucket(task)) {
                        victim = replica;
                        victimsJob = job.get();
                    }
                }
            }
            Thread.sleep(200);
        }
        assertThat(victim).as("a replica training a job with a checkpoint").isNotNull();
        ServiceProcess survivor = victim == replicaA ? replicaB : replicaA;
        Instant killed = victim.kill();
        processes.remove(victim);
        if (victim == replicaA) {
            replicaA = replicaB;
        }

        Map<String, JobRecord> done = new LinkedHashMap<>();
        for (String task : tasks) {
            done.put(task, awaitJob(task, events.get(task), job -> job.state().isFinished(), Duration.ofMinutes(8)));
        }
        Instant allDone = Instant.now();
        for (String task : tasks) {
            JobRecord job = done.get(task);
            assertThat(job.state()).as("%s: %s", task, job.failure()).isEqualTo(JobRecord.State.SUCCEEDED);
            assertThat(jobs.list(Optional.of(task)).stream().filter(j -> j.sourceEventIds()
                    .contains(events.get(task)))).as("one job for %s's event", task).hasSize(1);
            assertThat(completedEvents(job.jobId())).as("one completed event for %s", task).hasSize(1);
            AdapterManifest manifest = registry.manifest(task, job.version()).orElseThrow();
            recordOverhead(task, published.get(task), manifest);
        }
        for (String task : tasks.subList(1, tasks.size())) {
            assertThat(versions(task)).as("versions of %s", task).containsExactly(done.get(task).version());
        }
        assertThat(versions("spam")).as("spam: one version per succeeded job (the other test's too, if it ran first)")
                .hasSize((int) jobs.list(Optional.of("spam")).stream()
                        .filter(job -> job.state() == JobRecord.State.SUCCEEDED).count())
                .contains(done.get("spam").version());
        JobRecord taken = done.get(victimsJob.task());
        assertThat(taken.attempts()).as("the killed replica's job ran again on the survivor").isEqualTo(2);
        assertThat(survivor.logText()).contains("job " + taken.jobId() + ": training");
        assertThat(survivor.logText()).as("the survivor resumed from the bucket's copy of the killed run's checkpoint")
                .contains("copied from bucket " + BUCKET).contains("resumed training from the checkpoint at step");
        for (String task : tasks) {
            assertThat(store.list("tasks/" + task + "/checkpoints/")).as("%s's checkpoints, once its job is done",
                    task).isEmpty();
        }
        figures.put("two replicas: kill -9 of one -> all " + tasks.size() + " tasks' jobs succeeded",
                millis(Duration.between(killed, allDone)));
    }

    // ---- set-up -------------------------------------------------------------------------------------------------

    private static ServiceProcess replica(String name) {
        Map<String, String> config = new LinkedHashMap<>();
        config.put("kafka.bootstrap.servers", kafka.bootstrapServers());
        config.put("adapterloop.s3.endpoint", s3.endpoint());
        config.put("adapterloop.s3.access-key", "it-access-key");
        config.put("adapterloop.s3.secret-key", "it-secret-key-123");
        config.put("adapterloop.s3.bucket", BUCKET);
        // A dead replica's partitions move after this long (the broker's minimum).
        config.put("mp.messaging.incoming.labeled-data.session.timeout.ms", "6000");
        config.put("mp.messaging.incoming.labeled-data.heartbeat.interval.ms", "1000");
        for (String task : tasks) {
            String prefix = "adapterloop.tasks." + task + ".";
            config.put(prefix + "labels", "ham,spam");
            config.put(prefix + "held-out-key", heldOutKey(task));
            config.put(prefix + "training.max-steps", "16");
            config.put(prefix + "training.batch-size", "8");
            config.put(prefix + "training.max-sequence-length", "32");
            config.put(prefix + "training.learning-rate", "3e-3");
            config.put(prefix + "training.checkpoint-every-steps", "3");
        }
        ServiceProcess process = new ServiceProcess(name, root.resolve("replica-" + name), config);
        processes.add(process);
        return process;
    }

    /** "spam" plus task names whose Kafka keys land on each other partition of labeled-data. */
    private static List<String> oneTaskPerPartition() {
        Map<Integer, String> byPartition = new LinkedHashMap<>();
        byPartition.put(partitionOf("spam"), "spam");
        for (int i = 0; byPartition.size() < PARTITIONS; i++) {
            byPartition.putIfAbsent(partitionOf("spam-" + i), "spam-" + i);
        }
        return List.copyOf(byPartition.values());
    }

    /** The producer's default partitioner for a keyed record. */
    private static int partitionOf(String key) {
        return Utils.toPositive(Utils.murmur2(key.getBytes(StandardCharsets.UTF_8))) % PARTITIONS;
    }

    private static String trainKey(String task, int n) {
        return "datasets/" + task + "/it-train-" + n + ".jsonl";
    }

    private static String heldOutKey(String task) {
        return "datasets/" + task + "/it-heldout.jsonl";
    }

    // ---- actions and observations -------------------------------------------------------------------------------

    private static String publish(String task, int dataset) throws Exception {
        var train = registry.statDataset(task, trainKey(task, dataset)).orElseThrow();
        String body = "{\"task\":\"" + task + "\",\"datasets\":[{\"key\":\"" + trainKey(task, dataset) + "\"}],"
                + "\"heldOut\":{\"key\":\"" + heldOutKey(task) + "\"}}";
        assertThat(train.size()).isPositive();
        try (KafkaTestClient client = new KafkaTestClient(kafka.bootstrapServers())) {
            return client.sendCloudEvent("labeled-data", task, LabeledDataEvent.TYPE, body);
        }
    }

    private static Optional<JobRecord> find(String task, String eventId) {
        return jobs.list(Optional.of(task)).stream().filter(job -> job.sourceEventIds().contains(eventId))
                .findFirst();
    }

    private static JobRecord awaitJob(String task, String eventId, java.util.function.Predicate<JobRecord> condition,
                                      Duration timeout) {
        return Awaitility.await().atMost(timeout).pollInterval(Duration.ofMillis(200))
                .until(() -> find(task, eventId).filter(condition).orElse(null), java.util.Objects::nonNull);
    }

    private static void awaitCheckpoint(ServiceProcess replica) {
        Awaitility.await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(100))
                .until(() -> hasCheckpoint(replica));
    }

    /**
     * A complete checkpoint: a {@code step-*} folder, which appears by an atomic rename once its files are written. A
     * file under the temporary {@code .partial-*} folder would be a checkpoint still being written, which a kill at
     * that moment loses (as it should: the restarted job then starts over, and the resume assertion would fail).
     */
    private static boolean hasCheckpoint(ServiceProcess replica) throws IOException {
        Path checkpoints = replica.dataDir().resolve("work").resolve("checkpoints");
        if (!Files.isDirectory(checkpoints)) {
            return false;
        }
        try (Stream<Path> files = Files.walk(checkpoints)) {
            return files.anyMatch(file -> file.getFileName().toString().equals("state.json")
                    && file.getParent().getFileName().toString().startsWith("step-"));
        }
    }

    private static boolean hasCheckpointInBucket(String task) {
        return store.list("tasks/" + task + "/checkpoints/").stream().anyMatch(key -> key.endsWith("/state.json"));
    }

    private static void awaitGroupOf(int members) {
        Properties config = new Properties();
        config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        try (Admin admin = Admin.create(config)) {
            Awaitility.await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(500)).until(() -> {
                ConsumerGroupDescription group = admin.describeConsumerGroups(List.of(GROUP)).all().get().get(GROUP);
                return group.groupState() == GroupState.STABLE && group.members().size() == members
                        && group.members().stream().allMatch(m -> !m.assignment().topicPartitions().isEmpty());
            });
        }
    }

    private static List<String> versions(String task) {
        return registry.listVersions(task);
    }

    private static List<String> versionsOfJob(String task, String jobId) throws IOException {
        List<String> published = new ArrayList<>();
        for (String version : versions(task)) {
            if (jobId.equals(registry.manifest(task, version).map(AdapterManifest::jobId).orElse(null))) {
                published.add(version);
            }
        }
        return published;
    }

    /**
     * Replica a is started by whichever test runs first, and the other goes on with it (the survivor of the
     * two-replica test, if that ran first): starting a service costs tens of seconds, and no test counts on the
     * other having run.
     */
    private static void startReplicaAUnlessUp() throws IOException, InterruptedException {
        if (replicaA == null) {
            replicaA = replica("a").start(START_TIMEOUT);
        }
    }

    private static Instant startedAt(String jobId, int nth) throws Exception {
        List<ConsumerRecord<String, String>> started = trainingEvents(jobId, "started", nth);
        return Instant.parse(KafkaTestClient.header(started.get(nth - 1), "ce_time"));
    }

    private static List<ConsumerRecord<String, String>> completedEvents(String jobId) throws Exception {
        return trainingEvents(jobId, "completed", 1);
    }

    private static List<ConsumerRecord<String, String>> trainingEvents(String jobId, String phase, int atLeast)
            throws Exception {
        try (KafkaTestClient client = new KafkaTestClient(kafka.bootstrapServers())) {
            List<ConsumerRecord<String, String>> seen = client.readUntil("adapter-training", Duration.ofSeconds(30),
                    records -> matching(records, jobId, phase).size() >= atLeast);
            return matching(seen, jobId, phase);
        }
    }

    private static List<ConsumerRecord<String, String>> matching(List<ConsumerRecord<String, String>> records,
                                                                String jobId, String phase) {
        return records.stream().filter(r -> KafkaTestClient.header(r, "ce_type").endsWith("." + phase))
                .filter(r -> {
                    try {
                        return jobId.equals(JSON.readTree(r.value()).path("jobId").asText());
                    } catch (IOException e) {
                        return false;
                    }
                }).toList();
    }

    /**
     * Pipeline overhead: everything from the event's publish to the version's manifest but training and evaluation
     * (intake, queueing, model and data loading, storing), as a share of that whole time.
     */
    private static void recordOverhead(String task, Instant published, AdapterManifest manifest) {
        JsonNode training = JSON.valueToTree(manifest.training());
        long trainingMillis = training.path("trainingMillis").asLong();
        long evaluationMillis = training.path("evaluationMillis").asLong();
        long total = Duration.between(published, Instant.parse(manifest.createdAt())).toMillis();
        figures.put("two replicas, " + task + ": event -> manifest / training / evaluation / overhead share",
                total + " ms / " + trainingMillis + " ms / " + evaluationMillis + " ms / "
                        + String.format(java.util.Locale.ROOT, "%.1f %%",
                        100.0 * (total - trainingMillis - evaluationMillis) / total));
    }

    private static String millis(Duration duration) {
        return duration.toMillis() + " ms";
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
    }
}
