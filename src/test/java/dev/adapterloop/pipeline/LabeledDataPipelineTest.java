package dev.adapterloop.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.adapterloop.adapters.PeftAdapterFiles;
import dev.adapterloop.bundled.BundledAssets;
import dev.adapterloop.events.AdapterEvaluatedEvent;
import dev.adapterloop.events.AdapterManifest;
import dev.adapterloop.events.LabeledDataEvent;
import dev.adapterloop.events.TrainingCurve;
import dev.adapterloop.model.safetensors.SafetensorsFile;
import dev.adapterloop.bundled.CorpusEmail;
import dev.adapterloop.bundled.SpamAssassinCorpus;
import dev.adapterloop.dataset.DatasetDigest;
import dev.adapterloop.dataset.JsonlDatasetWriter;
import dev.adapterloop.dataset.LabeledExample;
import dev.adapterloop.events.DatasetRef;
import dev.adapterloop.intake.IntakeLedger;
import dev.adapterloop.registry.AdapterRegistry;
import dev.adapterloop.registry.AliasSnapshot;
import dev.adapterloop.registry.AliasStore;
import dev.adapterloop.registry.PipelineRecords;
import dev.adapterloop.testing.EmbeddedInfraResource;
import dev.adapterloop.training.JobRecord;
import dev.adapterloop.training.JobStore;
import dev.adapterloop.training.TrainingScheduler;
import dev.adapterloop.testing.KafkaTestClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.awaitility.Awaitility;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The whole loop over a real Kafka broker and a real S3 server: malformed events go to the dead-letter topic with
 * their reason; the good event behind them, delivered twice and its data announced once more, trains once and
 * produces one adapter in the bucket and an evaluation event whose accuracy beats the held-out set's majority
 * baseline; the consumer keeps taking events in during the job and stays ready. The tests run in any order: the
 * recovery tests train another task than spam's.
 */
@QuarkusTest
@Tag("quarkus")
@QuarkusTestResource(value = EmbeddedInfraResource.class, restrictToAnnotatedClass = true)
class LabeledDataPipelineTest {

    private static final String TRAIN_KEY = "datasets/spam/sample-train.jsonl";
    private static final String HELD_OUT_KEY = "datasets/spam/sample-heldout.jsonl";
    /**
     * The recovery tests' task: a job of theirs on spam would publish a version there, and the spam test counts on
     * training that task's first adapter, whichever test runs first.
     */
    private static final String OTHER_TASK = "abtest";
    private static final String OTHER_HELD_OUT_KEY = "datasets/abtest/heldout.jsonl";
    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    AdapterRegistry registry;

    @Inject
    JobStore jobs;

    @Inject
    AliasStore aliases;

    @Inject
    TrainingScheduler scheduler;

    @Inject
    RecordedIntakeDecisions decisions;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    @TestHTTPResource("/q/health/ready")
    URL health;

    /**
     * The good event's adapter becomes the champion, and the next data builds on it: one test, because the second
     * half needs what the first trained (no test may count on another having run first).
     */
    @Test
    @Timeout(1200)
    void badEventsGoToTheDeadLetterTopicTheGoodOneTrainsTheChampionAndTheNextJobBuildsOnIt() throws Exception {
        String champion = badEventsGoToTheDeadLetterTopicAndTheGoodOneTrainsTheChampion();
        theNextJobBuildsOnTheChampionWithAReplaySample(champion);
    }

    private String badEventsGoToTheDeadLetterTopicAndTheGoodOneTrainsTheChampion() throws Exception {
        BundledAssets.ensureModel(registry, Path.of("target", "test-data", "work"));
        BundledAssets.Datasets data = BundledAssets.ensureDatasets(registry, "spam", TRAIN_KEY, HELD_OUT_KEY,
                384, 300);
        String good = JSON.writeValueAsString(new LabeledDataEvent("spam", List.of(data.train()), data.heldOut()));

        try (KafkaTestClient kafka = new KafkaTestClient(bootstrapServers)) {
            Map<String, String> rejected = Map.of(
                    kafka.sendCloudEvent("labeled-data", "spam", LabeledDataEvent.TYPE, "{not json"),
                    "not valid JSON",
                    kafka.sendCloudEvent("labeled-data", "spam", LabeledDataEvent.TYPE, "{\"task\":\"spam\"}"),
                    "no 'datasets'",
                    kafka.sendCloudEvent("labeled-data", "fraud", LabeledDataEvent.TYPE,
                            "{\"task\":\"fraud\",\"datasets\":[{\"key\":\"datasets/fraud/a.jsonl\"}]}"),
                    "unknown task 'fraud'",
                    kafka.sendCloudEvent("labeled-data", "spam", LabeledDataEvent.TYPE,
                            "{\"task\":\"spam\",\"datasets\":[{\"key\":\"models/all-minilm-l6-v2/config.json\"}]}"),
                    "datasets/spam/",
                    kafka.sendCloudEvent("labeled-data", "spam", LabeledDataEvent.TYPE,
                            "{\"task\":\"spam\",\"datasets\":[{\"key\":\"datasets/spam/../../models/x\"}]}"),
                    "..",
                    kafka.sendCloudEvent("labeled-data", "spam", LabeledDataEvent.TYPE,
                            "{\"task\":\"spam\",\"datasets\":[{\"key\":\"datasets/spam/missing.jsonl\"}]}"),
                    "does not exist");
            String goodId = kafka.sendCloudEvent("labeled-data", "spam", LabeledDataEvent.TYPE, good);
            // The same event delivered again, and the same data announced by another event: neither trains.
            kafka.sendCloudEvent("labeled-data", "spam", LabeledDataEvent.TYPE, good, goodId);
            String sameDataId = kafka.sendCloudEvent("labeled-data", "spam", LabeledDataEvent.TYPE, good);
            // The consumer keeps taking events in while the job trains: jobs never hold a record.
            Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> registry.store()
                    .exists(PipelineRecords.eventMarkerKey("spam", sameDataId)));
            // What a caller in the same process is told (the bundled job stops waiting on a duplicate).
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> !decisions.outcomes(sameDataId).isEmpty());
            assertThat(decisions.outcomes(goodId)).containsExactly(IntakeLedger.Outcome.TRIGGERED,
                    IntakeLedger.Outcome.DUPLICATE_EVENT);
            assertThat(decisions.outcomes(sameDataId)).containsExactly(IntakeLedger.Outcome.DUPLICATE_DATA);

            List<ConsumerRecord<String, String>> dlq = kafka.readUntil("labeled-data-dlq", Duration.ofSeconds(60),
                    seen -> seen.size() >= rejected.size());
            Map<String, String> reasons = dlq.stream().collect(Collectors.toMap(
                    r -> KafkaTestClient.header(r, "ce_id"), r -> KafkaTestClient.header(r, "dead-letter-reason")));
            assertThat(reasons).containsOnlyKeys(rejected.keySet());
            rejected.forEach((id, expected) -> assertThat(reasons.get(id)).as("reason for event " + id)
                    .contains(expected));

            List<ConsumerRecord<String, String>> evaluations = kafka.readUntil("adapter-evaluations",
                    Duration.ofMinutes(8), seen -> seen.stream().anyMatch(r -> r.value().contains(goodId)));
            ConsumerRecord<String, String> record = evaluations.stream().filter(r -> r.value().contains(goodId))
                    .findFirst().orElseThrow(() -> new AssertionError("no evaluation event for " + goodId));
            assertThat(record.key()).isEqualTo("spam");
            assertThat(KafkaTestClient.header(record, "ce_type")).isEqualTo(AdapterEvaluatedEvent.TYPE);
            JsonNode evaluation = JSON.readTree(record.value());
            double accuracy = evaluation.at("/metrics/accuracy").asDouble();
            double baseline = evaluation.at("/metrics/majorityBaseline").asDouble();
            System.out.printf("end to end: held-out accuracy %.4f vs majority baseline %.4f%n", accuracy, baseline);
            assertThat(evaluation.at("/metrics/examples").asInt()).isEqualTo(300);
            assertThat(accuracy).isGreaterThan(baseline);

            String version = evaluation.at("/candidate/version").asText();
            // The first adapter of a task passes the offline gate's value thresholds and becomes champion.
            assertThat(evaluation.get("verdict").asText()).as("%s", evaluation).isEqualTo("promote-to-champion");
            assertThat(evaluation.at("/evidence/candidateMetrics/accuracy").asDouble()).isEqualTo(accuracy);
            assertThat(aliases.read("spam").alias(AliasStore.CHAMPION)).map(a -> a.version()).contains(version);
            String prefix = AdapterRegistry.adapterPrefix("spam", version);
            assertThat(registry.store().list(prefix)).containsExactlyInAnyOrder(prefix + PeftAdapterFiles.CONFIG,
                    prefix + PeftAdapterFiles.WEIGHTS, prefix + "native/" + PeftAdapterFiles.CONFIG,
                    prefix + "native/" + PeftAdapterFiles.WEIGHTS, prefix + TrainingCurve.FILE,
                    prefix + AdapterManifest.FILE);
            AdapterManifest manifest = registry.manifest("spam", version).orElseThrow();
            assertThat(manifest.sourceEventId()).isEqualTo(goodId);
            assertThat(manifest.datasets()).extracting("key").containsExactly(TRAIN_KEY);
            assertThat(manifest.baseModelSha256()).hasSize(64);

            List<ConsumerRecord<String, String>> training = kafka.readUntil("adapter-training", Duration.ofSeconds(30),
                    seen -> seen.stream().anyMatch(r -> KafkaTestClient.header(r, "ce_type").endsWith("completed")));
            assertThat(training.stream().filter(r -> "spam".equals(r.key())
                    && KafkaTestClient.header(r, "ce_type").endsWith("started")))
                    .as("one job started for three deliveries of the data").hasSize(1);
            assertThat(registry.store().list("adapters/spam/").stream().map(k -> k.split("/")[2]).distinct())
                    .containsExactly(version);
            List<String> jobKeys = registry.store().list("jobs/spam/");
            assertThat(jobKeys).hasSize(1);
            JsonNode job = JSON.readTree(registry.store().get(jobKeys.get(0)));
            assertThat(job.get("state").asText()).isEqualTo("SUCCEEDED");
            assertThat(job.get("version").asText()).isEqualTo(version);
            assertThat(job.get("attempts").asInt()).isEqualTo(1);
            HttpResponse<String> ready = HttpClient.newHttpClient().send(HttpRequest.newBuilder(health.toURI())
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertThat(ready.statusCode()).as("readiness after a job: %s",
                    ready.body()).isEqualTo(200);

            Path dir = Files.createTempDirectory("adapter");
            registry.fetchAdapter("spam", version, dir);
            Set<String> keys = SafetensorsFile.read(dir.resolve(PeftAdapterFiles.WEIGHTS)).keySet();
            assertThat(keys).contains("base_model.model.encoder.layer.0.attention.self.query.lora_A.weight",
                    "base_model.model.encoder.layer.5.attention.self.value.lora_B.weight",
                    "base_model.model.classifier.weight", "base_model.model.classifier.bias").hasSize(6 * 2 * 2 + 2);
            return version;
        }
    }

    /**
     * What a restarted replica (or the one that inherits a dead replica's partitions) does: a job whose record says
     * RUNNING, interrupted mid-training, is found on partition assignment and run to the end, once.
     */
    @Test
    @Timeout(600)
    void anInterruptedJobFoundOnPartitionAssignmentRunsToTheEnd() throws Exception {
        BundledAssets.ensureModel(registry, Path.of("target", "test-data", "work"));
        BundledAssets.Datasets data = BundledAssets.ensureDatasets(registry, OTHER_TASK,
                "datasets/abtest/interrupted-train.jsonl", OTHER_HELD_OUT_KEY, 96, 300);
        String now = java.time.Instant.now().toString();
        JobRecord interrupted = new JobRecord(JobRecord.SCHEMA_VERSION, "job-interrupted-0001", OTHER_TASK,
                JobRecord.State.RUNNING, List.of(data.train()), data.heldOut(), List.of("event-before-the-crash"),
                0, 1, now, now, null, null, null, null, List.of());
        jobs.save(interrupted);

        scheduler.partitionsAssigned(List.of(0));

        Awaitility.await().atMost(Duration.ofMinutes(8)).pollInterval(Duration.ofSeconds(2)).until(() ->
                jobs.find(OTHER_TASK, interrupted.jobId()).orElseThrow().state().isFinished());
        JobRecord ended = jobs.find(OTHER_TASK, interrupted.jobId()).orElseThrow();
        assertThat(ended.state()).as("failure: %s", ended.failure()).isEqualTo(JobRecord.State.SUCCEEDED);
        assertThat(ended.attempts()).isEqualTo(2);
        AdapterManifest manifest = registry.manifest(OTHER_TASK, ended.version()).orElseThrow();
        assertThat(manifest.jobId()).isEqualTo(interrupted.jobId());
        assertThat(manifest.datasets()).extracting("key").containsExactly("datasets/abtest/interrupted-train.jsonl");

        // Assigned again (another rebalance): a finished job is not run a second time.
        scheduler.partitionsAssigned(List.of(0));
        Thread.sleep(2_000);
        assertThat(jobs.find(OTHER_TASK, interrupted.jobId()).orElseThrow()).isEqualTo(ended);
    }

    /**
     * Incremental training: with a champion in place, the next job pins it as its base, warm-starts from it and
     * replays a sample of the data it was trained on; the new version names it as parent.
     */
    private void theNextJobBuildsOnTheChampionWithAReplaySample(String champion) throws Exception {
        AliasSnapshot aliases = this.aliases.read("spam");
        if (!aliases.alias(AliasStore.CHAMPION).map(a -> a.version()).orElse("").equals(champion)) {
            assertThat(this.aliases.compareAndSet(aliases, AliasStore.CHAMPION, champion, "test: champion", "test")).isTrue();
        }

        // 128 emails the champion never saw: the next 128 of the same seeded shuffle its 384 came from.
        List<LabeledExample> shuffled = new java.util.ArrayList<>(SpamAssassinCorpus.loadBundled().splits().train()
                .stream().map(CorpusEmail::example).toList());
        java.util.Collections.shuffle(shuffled, new java.util.Random(20021231L));
        java.io.ByteArrayOutputStream jsonl = new java.io.ByteArrayOutputStream();
        JsonlDatasetWriter.write(shuffled.subList(384, 512), jsonl);
        String key = "datasets/spam/increment-train.jsonl";
        registry.putDataset("spam", key, jsonl.toByteArray());
        DatasetRef increment = new DatasetRef(key, 128L, DatasetDigest.sha256Hex(jsonl.toByteArray()));
        DatasetRef heldOut = registry.manifest("spam", champion).orElseThrow().heldOut();

        String eventId;
        try (KafkaTestClient kafka = new KafkaTestClient(bootstrapServers)) {
            eventId = kafka.sendCloudEvent("labeled-data", "spam", LabeledDataEvent.TYPE,
                    JSON.writeValueAsString(new LabeledDataEvent("spam", List.of(increment), heldOut)));
        }
        JobRecord job = Awaitility.await().atMost(Duration.ofMinutes(8)).pollInterval(Duration.ofSeconds(2))
                .until(() -> jobs.list(java.util.Optional.of("spam")).stream()
                        .filter(j -> j.sourceEventIds().contains(eventId) && j.state().isFinished()).findFirst()
                        .orElse(null), java.util.Objects::nonNull);
        assertThat(job.state()).as("failure: %s", job.failure()).isEqualTo(JobRecord.State.SUCCEEDED);
        assertThat(job.base()).isEqualTo(new JobRecord.Base(champion));

        AdapterManifest manifest = manifestOf(job.version());
        assertThat(manifest.parentVersion()).isEqualTo(champion);
        assertThat(manifest.datasets()).extracting("key").containsExactly(key);
        JsonNode incremental = JSON.valueToTree(manifest.training()).get("incremental");
        assertThat(incremental.get("warmStarted").asBoolean()).as("%s", incremental).isTrue();
        assertThat(incremental.get("newExamples").asInt()).isEqualTo(128);
        // replay-ratio 0.5 of 128 new examples, from the champion's 384 (none of which is among the new ones)
        assertThat(incremental.get("replayedExamples").asInt()).isEqualTo(64);
        assertThat(incremental.get("replayedFrom")).extracting(JsonNode::asText).containsExactly(TRAIN_KEY);
        assertThat(registry.store().exists(AdapterRegistry.adapterPrefix("spam", job.version())
                + "native/" + PeftAdapterFiles.WEIGHTS)).isTrue();
    }

    /**
     * A replica cut off from the consumer group but not from S3 goes on training a job another replica has taken
     * over (its record shows a later attempt): it must not publish a version.
     */
    @Test
    @Timeout(600)
    void aJobTakenOverByAnotherReplicaIsNotPublishedByTheFirst() throws Exception {
        BundledAssets.ensureModel(registry, Path.of("target", "test-data", "work"));
        BundledAssets.Datasets data = BundledAssets.ensureDatasets(registry, OTHER_TASK,
                "datasets/abtest/zombie-train.jsonl", OTHER_HELD_OUT_KEY, 48, 300);
        String now = java.time.Instant.now().toString();
        JobRecord queued = new JobRecord(JobRecord.SCHEMA_VERSION, "job-zombie-0001", OTHER_TASK,
                JobRecord.State.QUEUED, List.of(data.train()), data.heldOut(), List.of("event-zombie"), 0, 0, now, now,
                null, null, null, null, List.of());
        jobs.save(queued);
        scheduler.submit(queued);
        JobRecord running = Awaitility.await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(200))
                .until(() -> jobs.find(OTHER_TASK, queued.jobId()).orElseThrow(),
                        job -> job.state() == JobRecord.State.RUNNING);

        // Another replica takes the job over: its record now shows attempt 2.
        JobRecord takenOver = new JobRecord(running.schemaVersion(), running.jobId(), running.task(),
                JobRecord.State.RUNNING, running.datasets(), running.heldOut(), running.sourceEventIds(),
                running.partition(), running.attempts() + 1, running.createdAt(), java.time.Instant.now().toString(),
                null, null, running.base(), null, running.history());
        jobs.save(takenOver);

        Awaitility.await().atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofSeconds(1))
                .until(() -> scheduler.runningJob().isEmpty());
        assertThat(registry.listVersions(OTHER_TASK).stream().map(v -> manifestOf(OTHER_TASK, v))
                .filter(m -> queued.jobId().equals(m.jobId()))).as("versions published by the taken-over run")
                .isEmpty();
        assertThat(jobs.find(OTHER_TASK, queued.jobId()).orElseThrow()).as("the new owner's record is left alone")
                .isEqualTo(takenOver);
    }

    private AdapterManifest manifestOf(String version) {
        return manifestOf("spam", version);
    }

    private AdapterManifest manifestOf(String task, String version) {
        try {
            return registry.manifest(task, version).orElseThrow();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
