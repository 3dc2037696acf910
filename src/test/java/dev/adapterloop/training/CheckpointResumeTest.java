package dev.adapterloop.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.adapterloop.adapters.AdaptedClassifier;
import dev.adapterloop.adapters.AdapterMethods;
import dev.adapterloop.adapters.SharedHyperparameters;
import dev.adapterloop.adapters.TargetModules;
import dev.adapterloop.dataset.LabeledExample;
import dev.adapterloop.embedded.EmbeddedS3;
import dev.adapterloop.registry.ObjectStore;
import dev.adapterloop.registry.RetrySettings;
import dev.adapterloop.testing.BundledModel;
import dev.adapterloop.testing.SpamSample;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A run interrupted after a checkpoint and resumed in a fresh model ends bit for bit where an uninterrupted run ends:
 * same factors, same head, same loss curve. Adapter dropout is on, so the resumed run must also draw the same masks.
 * With a bucket (a real S3 server), a run on another machine's empty disk resumes from the bucket's copy.
 */
class CheckpointResumeTest {

    private static final List<String> LABELS = List.of("ham", "spam");
    private static final TrainingConfig CONFIG = new TrainingConfig(1, 8, 32, 3e-3, 0.01, 0.1, 1.0, 12, 17);
    private static final List<LabeledExample> DATA = SpamSample.train(120);
    private static final String ACCESS_KEY = "checkpoint-access";
    private static final String SECRET_KEY = "checkpoint-secret-0123456789";

    private static Run uninterruptedLora;

    @TempDir
    Path temp;

    private static synchronized Run uninterruptedLora() {
        if (uninterruptedLora == null) {
            uninterruptedLora = train("lora", CONFIG, EarlyStopping.NONE, Checkpointing.NONE, -1);
        }
        return uninterruptedLora;
    }

    @ParameterizedTest
    @ValueSource(strings = {"lora", "milora"})
    void aResumedRunEqualsAnUninterruptedOne(String method) {
        Run uninterrupted = method.equals("lora") ? uninterruptedLora()
                : train(method, CONFIG, EarlyStopping.NONE, Checkpointing.NONE, -1);

        Checkpointing checkpointing = new Checkpointing(temp.resolve("ckpt"), 4);
        assertThatThrownBy(() -> train(method, CONFIG, EarlyStopping.NONE, checkpointing, 6))
                .hasMessageContaining("crash at step 6");
        Run resumed = train(method, CONFIG, EarlyStopping.NONE, checkpointing, -1);

        assertIdentical(resumed, uninterrupted);
        // The steps before the checkpoint keep the throughput they were measured at (the training curve's).
        assertThat(resumed.result.stepRates()).hasSameSizeAs(resumed.result.lossCurve()).doesNotContainNull()
                .allSatisfy(r -> assertThat(r.tokensPerSecond()).isPositive());
    }

    @Test
    void earlyStoppingStateSurvivesTheResume() {
        EarlyStopping stopping = new EarlyStopping(SpamSample.heldOut(16), 3, 10);
        Run uninterrupted = train("lora", CONFIG, stopping, Checkpointing.NONE, -1);
        Checkpointing checkpointing = new Checkpointing(temp.resolve("ckpt"), 4);
        assertThatThrownBy(() -> train("lora", CONFIG, stopping, checkpointing, 10)).hasMessageContaining("crash");
        Run resumed = train("lora", CONFIG, stopping, checkpointing, -1);

        assertIdentical(resumed, uninterrupted);
        assertThat(resumed.result.bestStep()).isEqualTo(uninterrupted.result.bestStep());
        assertThat(resumed.result.bestValidationLoss()).isEqualTo(uninterrupted.result.bestValidationLoss());
    }

    @Test
    void onlyTheLastTwoAreKeptAndADamagedLatestOneIsSkippedForThePreviousOne() throws IOException {
        Checkpointing checkpointing = new Checkpointing(temp.resolve("ckpt"), 4);
        assertThatThrownBy(() -> train("lora", CONFIG, EarlyStopping.NONE, checkpointing, 10))
                .hasMessageContaining("crash");
        try (Stream<Path> entries = Files.list(checkpointing.dir())) {
            assertThat(entries.map(p -> p.getFileName().toString()).sorted().toList())
                    .containsExactly("step-00000004", "step-00000008");
        }
        Path latest = checkpointing.dir().resolve("step-00000008").resolve("tensors.safetensors");
        byte[] bytes = Files.readAllBytes(latest);
        Files.write(latest, Arrays.copyOf(bytes, bytes.length / 2));

        Run resumed = train("lora", CONFIG, EarlyStopping.NONE, checkpointing, -1);

        assertIdentical(resumed, uninterruptedLora());
    }

    @Test
    void aCheckpointOfAnotherConfigurationIsRefused() {
        Checkpointing checkpointing = new Checkpointing(temp.resolve("ckpt"), 4);
        assertThatThrownBy(() -> train("lora", CONFIG, EarlyStopping.NONE, checkpointing, 5))
                .hasMessageContaining("crash");
        TrainingConfig otherRate = new TrainingConfig(1, 8, 32, 1e-3, 0.01, 0.1, 1.0, 12, 17);

        assertThatThrownBy(() -> train("lora", otherRate, EarlyStopping.NONE, checkpointing, -1))
                .isInstanceOf(TrainingFailedException.class)
                .hasMessageContaining("another configuration or data set");
    }

    @Test
    void anEmptyCheckpointFolderStartsFromScratch() throws IOException {
        Checkpointing checkpointing = new Checkpointing(Files.createDirectories(temp.resolve("ckpt")), 4);

        assertIdentical(train("lora", CONFIG, EarlyStopping.NONE, checkpointing, -1), uninterruptedLora());
    }

    @Test
    void aRunOnAnotherMachineResumesFromTheBucketsCopy() {
        try (EmbeddedS3 s3 = startS3(); ObjectStore store = bucket(s3.endpoint(), RetrySettings.DEFAULT)) {
            BucketCheckpoints bucket = new BucketCheckpoints(store, "spam", "run-1");
            crashOn("machine-a", bucket, 2, 5);
            assertThat(store.list(bucket.prefix())).as("steps 2 and 4, two files each").containsExactly(
                    "tasks/spam/checkpoints/run-1/step-00000002/state.json",
                    "tasks/spam/checkpoints/run-1/step-00000002/tensors.safetensors",
                    "tasks/spam/checkpoints/run-1/step-00000004/state.json",
                    "tasks/spam/checkpoints/run-1/step-00000004/tensors.safetensors");

            Resumed resumed = runOn("machine-b", bucket, 2);

            assertThat(resumed.firstStep).as("machine B's first step").isEqualTo(5);
            assertIdentical(resumed.run, uninterruptedLora());
            assertThat(bucket.steps()).as("the last two are kept").containsExactly("step-00000008", "step-00000010");
        }
    }

    @Test
    void aDamagedCopyInTheBucketIsSkippedForThePreviousOne() {
        try (EmbeddedS3 s3 = startS3(); ObjectStore store = bucket(s3.endpoint(), RetrySettings.DEFAULT)) {
            BucketCheckpoints bucket = new BucketCheckpoints(store, "spam", "run-2");
            crashOn("machine-a", bucket, 4, 10);
            String tensors = bucket.prefix() + "step-00000008/tensors.safetensors";
            byte[] bytes = store.get(tensors);
            store.put(tensors, Arrays.copyOf(bytes, bytes.length / 2), "application/octet-stream");

            Resumed resumed = runOn("machine-b", bucket, 4);

            assertThat(resumed.firstStep).as("resumed from step 4, not the damaged 8").isEqualTo(5);
            assertIdentical(resumed.run, uninterruptedLora());
        }
    }

    @Test
    void anUnreachableBucketLeavesTheRunOnItsLocalCheckpoints() throws IOException {
        int closedPort;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        try (ObjectStore store = bucket("http://127.0.0.1:" + closedPort, RetrySettings.NONE)) {
            BucketCheckpoints bucket = new BucketCheckpoints(store, "spam", "run-3");
            crashOn("machine-a", bucket, 4, 6);
            assertThat(temp.resolve("machine-a").resolve("step-00000004").resolve("state.json")).exists();

            Resumed resumed = runOn("machine-a", bucket, 4);

            assertThat(resumed.firstStep).isEqualTo(5);
            assertIdentical(resumed.run, uninterruptedLora());
        }
    }

    private EmbeddedS3 startS3() {
        return EmbeddedS3.start(EmbeddedS3.Settings.of(temp.resolve("s3"), ACCESS_KEY, SECRET_KEY));
    }

    /** LoRA trained on {@code machine}'s disk (a folder of its own) with the bucket, crashing at {@code crashAt}. */
    private void crashOn(String machine, BucketCheckpoints bucket, int every, int crashAt) {
        assertThatThrownBy(() -> train("lora", CONFIG, EarlyStopping.NONE,
                new Checkpointing(temp.resolve(machine), every, bucket), crashAt)).hasMessageContaining("crash");
    }

    private record Resumed(Run run, int firstStep) {
    }

    /** LoRA trained to the end on {@code machine}'s disk with the bucket, and the first step it trained itself. */
    private Resumed runOn(String machine, BucketCheckpoints bucket, int every) {
        List<Integer> steps = new ArrayList<>();
        Run run = train("lora", CONFIG, EarlyStopping.NONE, new Checkpointing(temp.resolve(machine), every, bucket), -1,
                steps);
        return new Resumed(run, steps.getFirst());
    }

    private static ObjectStore bucket(String endpoint, RetrySettings retry) {
        ObjectStore store = new ObjectStore(ObjectStore.Settings.of(endpoint, ACCESS_KEY, SECRET_KEY, "checkpoints")
                .withRetry(retry));
        if (retry.retries()) {
            store.ensureBucket();
        }
        return store;
    }

    private record Run(TrainingResult result, Map<String, float[]> parameters) {
    }

    private static Run train(String method, TrainingConfig config, EarlyStopping stopping,
                             Checkpointing checkpointing, int crashAtStep) {
        return train(method, config, stopping, checkpointing, crashAtStep, new ArrayList<>());
    }

    /** @param steps receives the step number of every step this run trains */
    private static Run train(String method, TrainingConfig config, EarlyStopping stopping,
                             Checkpointing checkpointing, int crashAtStep, List<Integer> steps) {
        try (AdaptedClassifier model = AdaptedClassifier.create(BundledModel.encoder(), LABELS,
                AdapterMethods.create(method,
                        new SharedHyperparameters(4, 8, 0.1, TargetModules.of("query", "value"))), 23)) {
            TrainingResult result = new AdapterTrainer(progress -> {
                steps.add(progress.step());
                if (progress.step() == crashAtStep) {
                    throw new IllegalStateException("simulated crash at step " + crashAtStep);
                }
            }).train(model, DATA, config, stopping, checkpointing);
            Map<String, float[]> parameters = new LinkedHashMap<>();
            model.trainableParameters().forEach((name, array) -> parameters.put(name, array.toFloatArray()));
            return new Run(result, parameters);
        }
    }

    private static void assertIdentical(Run actual, Run expected) {
        assertThat(actual.result.lossCurve()).isEqualTo(expected.result.lossCurve());
        assertThat(actual.parameters.keySet()).isEqualTo(expected.parameters.keySet());
        expected.parameters.forEach((name, values) -> assertThat(Arrays.equals(actual.parameters.get(name), values))
                .as("parameter %s is bit-identical", name).isTrue());
    }
}
