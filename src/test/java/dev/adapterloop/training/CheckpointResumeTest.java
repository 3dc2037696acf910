package dev.adapterloop.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.adapterloop.adapters.AdaptedClassifier;
import dev.adapterloop.adapters.AdapterMethods;
import dev.adapterloop.adapters.TargetModules;
import dev.adapterloop.dataset.LabeledExample;
import dev.adapterloop.testing.BundledModel;
import dev.adapterloop.testing.SpamSample;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
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
 */
class CheckpointResumeTest {

    private static final List<String> LABELS = List.of("ham", "spam");
    private static final TrainingConfig CONFIG = new TrainingConfig(1, 8, 32, 3e-3, 0.01, 0.1, 1.0, 12, 17);
    private static final List<LabeledExample> DATA = SpamSample.train(120);

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

    private record Run(TrainingResult result, Map<String, float[]> parameters) {
    }

    private static Run train(String method, TrainingConfig config, EarlyStopping stopping,
                             Checkpointing checkpointing, int crashAtStep) {
        try (AdaptedClassifier model = AdaptedClassifier.create(BundledModel.encoder(), LABELS,
                AdapterMethods.of(method, 4, 8, 0.1, TargetModules.of("query", "value"), false), 23)) {
            TrainingResult result = new AdapterTrainer(progress -> {
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
