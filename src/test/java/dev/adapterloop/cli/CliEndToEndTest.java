package dev.adapterloop.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.adapterloop.dataset.DatasetDigest;
import dev.adapterloop.dataset.JsonlDatasetWriter;
import dev.adapterloop.events.DatasetRef;
import dev.adapterloop.training.JobRecord;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import dev.adapterloop.embedded.EmbeddedInfrastructure;
import dev.adapterloop.registry.ObjectStore;
import dev.adapterloop.testing.BundledModel;
import dev.adapterloop.testing.SpamSample;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.main.LaunchResult;
import io.quarkus.test.junit.main.QuarkusMainLauncher;
import io.quarkus.test.junit.main.QuarkusMainTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The batch mode end to end, through the real launcher ({@link AdapterloopMain}), the real engine, a real Kafka
 * broker and a real S3 server: import the base model, train a small adapter from a local JSONL file with overridden
 * hyperparameters, promote it, export the champion as a PEFT folder, and evaluate the exported folder (imported back
 * from disk) on the held-out file, which must give the figures the training job reported. Every launch starts the
 * application anew (some 15 s on a loaded 2-core machine), so the session is kept to the launches that prove something.
 * Then the error paths: a stale compare-and-set (6), a missing version (3), a malformed JSONL naming its line (4);
 * usage errors (2) are answered before anything starts and tested in {@link LaunchPlanTest}.
 */
@QuarkusMainTest
@Tag("quarkus")
@QuarkusTestResource(value = CliInfraResource.class, restrictToAnnotatedClass = true)
class CliEndToEndTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void trainExportImportBackAndEvaluate(QuarkusMainLauncher launcher, @TempDir Path tmp) throws Exception {
        Path train = tmp.resolve("train.jsonl");
        Path heldOut = tmp.resolve("heldout.jsonl");
        JsonlDatasetWriter.write(SpamSample.train(24), train);
        JsonlDatasetWriter.write(SpamSample.heldOut(16), heldOut);

        LaunchResult imported = launcher.launch("import-model", "--id", "all-minilm-l6-v2", "--hf",
                BundledModel.folder().toString());
        assertThat(imported.exitCode()).as(imported.getErrorOutput()).isZero();

        LaunchResult trained = launcher.launch("train", "--task", "spam", "--data", train.toString(), "--held-out",
                heldOut.toString(), "--method", "dora", "--option", "use-rslora=true", "--rank", "4", "--max-steps",
                "3", "--batch-size", "4", "--max-seq-len", "16", "--lr", "3e-3", "--json");
        assertThat(trained.exitCode()).as(trained.getErrorOutput()).isZero();
        // a batch run is no service replica: it never joined the labeled-data consumer group
        assertThat(trained.getOutput() + trained.getErrorOutput()).doesNotContain("partitions assigned");
        JsonNode result = lastJson(trained);
        String version = result.path("version").asText();
        assertThat(version).startsWith("v-");

        JsonNode manifest = JSON.readTree(store().get("adapters/spam/" + version + "/manifest.json"));
        assertThat(manifest.path("method").asText()).isEqualTo("dora");
        assertThat(manifest.path("hyperparameters").path("rank").asInt()).isEqualTo(4);
        assertThat(manifest.path("hyperparameters").path("options").path("use_rslora").asBoolean()).isTrue();
        assertThat(manifest.path("hyperparameters").path("maxSequenceLength").asInt()).isEqualTo(16);
        assertThat(manifest.path("hyperparameters").path("maxSteps").asInt()).isEqualTo(3);
        assertThat(manifest.path("training").path("steps").asInt()).isEqualTo(3);
        String datasetKey = manifest.path("datasets").get(0).path("key").asText();
        assertThat(datasetKey).startsWith("datasets/spam/cli-");
        assertThat(store().get(datasetKey)).isEqualTo(Files.readAllBytes(train)); // the lineage names the file

        LaunchResult promoted = launcher.launch("promote", "--alias", "champion", "--version", version, "--reason",
                "CLI test");
        assertThat(promoted.exitCode()).as(promoted.getErrorOutput()).isZero();
        // the alias history names who moved it: the CLI's principal is the operating-system user
        assertThat(JSON.readTree(store().get("tasks/spam/aliases.json")).path("updatedBy").asText())
                .isEqualTo("cli:" + System.getProperty("user.name"));
        LaunchResult stale = launcher.launch("promote", "--alias", "challenger", "--version", version, "--reason",
                "based on an old read", "--expected-generation", "0");
        assertThat(stale.exitCode()).isEqualTo(ExitCodes.CONFLICT);

        Path exported = tmp.resolve("exported");
        LaunchResult export = launcher.launch("export", "--version", "champion", "--output", exported.toString());
        assertThat(export.exitCode()).as(export.getErrorOutput()).isZero();
        assertThat(JSON.readTree(exported.resolve("adapter_config.json").toFile()).path("r").asInt()).isEqualTo(4);
        assertThat(Files.readAllBytes(exported.resolve("adapter_model.safetensors")))
                .isEqualTo(store().get("adapters/spam/" + version + "/adapter_model.safetensors"));

        LaunchResult fromFolder = launcher.launch("evaluate", "--adapter-dir", exported.toString(), "--data",
                heldOut.toString(), "--json");
        assertThat(fromFolder.exitCode()).as(fromFolder.getErrorOutput()).isZero();
        // the training job's own held-out figures (from the model in memory), reproduced from the exported files
        assertThat(lastJson(fromFolder).path("metrics")).isEqualTo(result.path("metrics"));
        assertThat(result.path("metrics").path("examples").asInt()).isEqualTo(16);
    }

    /**
     * A generation task trained from local prompt/completion files on a tiny decoder (the reference oracle's Llama
     * with a word-level tokenizer): its held-out loss is printed against the base model's and the version is a
     * generation one; a labeled file given to it is refused naming the line.
     */
    @Test
    void trainsAGenerationTaskFromLocalRecords(QuarkusMainLauncher launcher, @TempDir Path tmp) throws Exception {
        Path model = dev.adapterloop.testing.TinyDecoders.folder("llama-tiny", tmp.resolve("model"));
        LaunchResult imported = launcher.launch("import-model", "--id", "tiny-decoder", "--hf", model.toString());
        assertThat(imported.exitCode()).as(imported.getErrorOutput()).isZero();
        Path train = tmp.resolve("train.jsonl");
        Path heldOut = tmp.resolve("heldout.jsonl");
        Files.writeString(train, completions(48, 1));
        Files.writeString(heldOut, completions(16, 2));

        LaunchResult trained = launcher.launch("train", "--task", "decoder-gen", "--data", train.toString(),
                "--held-out", heldOut.toString(), "--max-steps", "12", "--batch-size", "8", "--lr", "1e-2", "--json");
        assertThat(trained.exitCode()).as(trained.getErrorOutput()).isZero();
        JsonNode generation = lastJson(trained).path("generation");
        assertThat(generation.path("examples").asInt()).isEqualTo(16);
        assertThat(generation.path("meanLoss").asDouble()).isLessThan(generation.path("baseMeanLoss").asDouble());
        String version = lastJson(trained).path("version").asText();
        JsonNode manifest = JSON.readTree(store().get("adapters/decoder-gen/" + version + "/manifest.json"));
        assertThat(manifest.path("kind").asText()).isEqualTo("generation");
        assertThat(JSON.readTree(store().get("adapters/decoder-gen/" + version + "/adapter_config.json"))
                .path("task_type").asText()).isEqualTo("CAUSAL_LM");

        Path labeled = tmp.resolve("labeled.jsonl");
        JsonlDatasetWriter.write(SpamSample.train(4), labeled);
        LaunchResult refused = launcher.launch("train", "--task", "decoder-gen", "--data", labeled.toString(),
                "--held-out", heldOut.toString());
        assertThat(refused.exitCode()).isNotZero();
        assertThat(refused.getErrorOutput()).contains("line 1").contains("`prompt` is missing");
    }

    /** Prompts of word tokens whose completion is a function of their last word: learnable in a few steps. */
    private static String completions(int n, long seed) {
        java.util.Random random = new java.util.Random(seed);
        StringBuilder jsonl = new StringBuilder();
        for (int i = 0; i < n; i++) {
            int last = 17 + random.nextInt(16);
            jsonl.append("{\"prompt\": \"t").append(20 + random.nextInt(100)).append(" t").append(last)
                    .append("\", \"completion\": \" t").append(3 + last % 8).append("\"}\n");
        }
        return jsonl.toString();
    }

    @Test
    void errorsHaveTheirExitCodesAndSayWhatIsWrong(QuarkusMainLauncher launcher, @TempDir Path tmp)
            throws Exception {
        LaunchResult missing = launcher.launch("evaluate", "--task", "spam", "--version", "v-0123456789abcdef");
        assertThat(missing.exitCode()).as(missing.getErrorOutput()).isEqualTo(ExitCodes.NOT_FOUND);
        assertThat(missing.getErrorOutput()).contains("v-0123456789abcdef");

        Path malformed = tmp.resolve("malformed.jsonl");
        Files.write(malformed, List.of("{\"text\": \"fine\", \"label\": \"ham\"}", "",
                "{\"text\": \"no closing brace\", \"label\": \"spam\"", "{\"text\": \"fine\", \"label\": \"spam\"}"));
        LaunchResult bad = launcher.launch("train", "--data", malformed.toString(), "--held-out",
                malformed.toString());
        assertThat(bad.exitCode()).as(bad.getErrorOutput()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(bad.getErrorOutput()).contains("malformed.jsonl: line 3");
    }

    /**
     * {@code retry} queues a FAILED job in the bucket for the service (partition 0: this batch process owns none, so
     * it never runs the job itself), records who asked, and refuses an unknown job (3) and a second retry (6).
     */
    @Test
    void retryQueuesAFailedJobOnceAndRefusesWhatItCannotRetry(QuarkusMainLauncher launcher) throws Exception {
        // First, as the launch starts the infrastructure the store below talks to.
        LaunchResult unknown = launcher.launch("retry", "--task", "spam", "--job", "job-cli-none");
        assertThat(unknown.exitCode()).as(unknown.getErrorOutput()).isEqualTo(ExitCodes.NOT_FOUND);
        assertThat(unknown.getErrorOutput()).contains("job-cli-none");
        byte[] jsonl = "{\"text\": \"win money\", \"label\": \"spam\"}\n".getBytes(StandardCharsets.UTF_8);
        store().put("datasets/spam/cli-retry.jsonl", jsonl, "application/x-ndjson");
        DatasetRef data = new DatasetRef("datasets/spam/cli-retry.jsonl", 1L, DatasetDigest.sha256Hex(jsonl));
        String then = Instant.now().toString();
        JobRecord failed = new JobRecord(JobRecord.SCHEMA_VERSION, "job-cli-retry", "spam", JobRecord.State.FAILED,
                List.of(data), data, List.of("event-cli-retry"), 0, 1, then, then, null, "no base model", null,
                "base-model-missing", List.of());
        store().put("jobs/spam/job-cli-retry.json", JSON.writeValueAsBytes(failed), "application/json");

        LaunchResult retried = launcher.launch("retry", "--task", "spam", "--job", "job-cli-retry");
        assertThat(retried.exitCode()).as(retried.getErrorOutput()).isZero();
        assertThat(retried.getOutput()).contains("job-cli-retry", "queued again");
        JsonNode record = JSON.readTree(store().get("jobs/spam/job-cli-retry.json"));
        assertThat(record.path("state").asText()).isEqualTo("QUEUED");
        assertThat(record.at("/history/0/failureKind").asText()).isEqualTo("base-model-missing");
        assertThat(record.at("/history/0/retriedBy").asText()).startsWith("cli:");
        assertThat(store().exists("retries/spam/job-cli-retry.json")).as("the request for the service").isTrue();

        LaunchResult again = launcher.launch("retry", "--task", "spam", "--job", "job-cli-retry");
        assertThat(again.exitCode()).as(again.getErrorOutput()).isEqualTo(ExitCodes.CONFLICT);
        assertThat(again.getErrorOutput()).contains("QUEUED");
    }

    /**
     * {@code task put} creates a definition in the bucket that {@code task get} shows and {@code train} resolves (it
     * stops at the missing data, past the task); a second put without {@code --if-match} and one that names no task
     * setting are refused (6, 4), and an unknown task is not found (3).
     */
    @Test
    void taskPutCreatesADefinitionThatGetShowsAndTrainKnows(QuarkusMainLauncher launcher, @TempDir Path tmp)
            throws Exception {
        Path definition = tmp.resolve("task.json");
        Files.writeString(definition, "{\"labels\": [\"billing\", \"bug\"], \"adapter\": {\"rank\": 4}}");
        LaunchResult created = launcher.launch("task", "put", "--task", "cli-task", "--file", definition.toString());
        assertThat(created.exitCode()).as(created.getErrorOutput()).isZero();
        assertThat(created.getOutput()).contains("task cli-task: definition version 1 written");

        LaunchResult shown = launcher.launch("task", "get", "--task", "cli-task");
        assertThat(shown.exitCode()).as(shown.getErrorOutput()).isZero();
        List<String> out = shown.getOutputStream();
        JsonNode got = JSON.readTree(String.join("\n", out.subList(out.indexOf("{"), out.size())));
        assertThat(got.path("version").asInt()).isEqualTo(1);
        assertThat(got.path("source").asText()).isEqualTo("bucket");
        assertThat(got.path("updatedBy").asText()).startsWith("cli:");
        assertThat(got.at("/settings/adapter/rank").asInt()).isEqualTo(4);

        LaunchResult trainKnowsIt = launcher.launch("train", "--task", "cli-task");
        assertThat(trainKnowsIt.exitCode()).as(trainKnowsIt.getErrorOutput()).isEqualTo(ExitCodes.USAGE);
        assertThat(trainKnowsIt.getErrorOutput()).contains("give training data");

        LaunchResult unversioned = launcher.launch("task", "put", "--task", "cli-task", "--file",
                definition.toString());
        assertThat(unversioned.exitCode()).as(unversioned.getErrorOutput()).isEqualTo(ExitCodes.CONFLICT);
        assertThat(unversioned.getErrorOutput()).contains("--if-match 1");

        Files.writeString(definition, "{\"labels\": [\"billing\", \"bug\"], \"adapter\": {\"rnak\": 4}}");
        LaunchResult invalid = launcher.launch("task", "put", "--task", "cli-task", "--file", definition.toString(),
                "--if-match", "1");
        assertThat(invalid.exitCode()).as(invalid.getErrorOutput()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(invalid.getErrorOutput()).contains("adapter.rnak").contains("not a task setting");
        assertThat(JSON.readTree(store().get("tasks/cli-task/task.json")).path("version").asInt()).isEqualTo(1);

        LaunchResult unknown = launcher.launch("task", "get", "--task", "no-such-task");
        assertThat(unknown.exitCode()).as(unknown.getErrorOutput()).isEqualTo(ExitCodes.NOT_FOUND);
    }

    private static JsonNode lastJson(LaunchResult result) throws Exception {
        List<String> lines = result.getOutputStream().stream().filter(line -> line.startsWith("{")).toList();
        assertThat(lines).as(result.getOutput()).isNotEmpty();
        return JSON.readTree(lines.getLast());
    }

    private static ObjectStore store() {
        return ObjectStore.create(CliInfraResource.config(EmbeddedInfrastructure.S3_ENDPOINT),
                CliInfraResource.config(EmbeddedInfrastructure.S3_ACCESS_KEY),
                CliInfraResource.config(EmbeddedInfrastructure.S3_SECRET_KEY), CliInfraResource.BUCKET);
    }
}
