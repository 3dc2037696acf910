package dev.adapterloop.adapters;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.adapterloop.model.decoder.DecoderModel;
import dev.adapterloop.model.decoder.ReferenceFixture;
import dev.adapterloop.model.safetensors.Tensor;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Language-model adapters (no head) written as PEFT CAUSAL_LM folders and read back give the same logits; GPT-2's
 * Conv1D targets are marked {@code fan_in_fan_out}; PiSSA reads back as the LoRA it exports; a method without a PEFT
 * form is refused with the way out.
 */
class LanguageModelAdapterFilesTest {

    @TempDir
    Path dir;

    @ParameterizedTest
    @CsvSource({"gpt2-tiny, lora, c_attn, true, lora", "llama-tiny, dora, q_proj;v_proj, false, dora",
            "qwen2-tiny, pissa, q_proj;down_proj, false, lora"})
    void aCausalLmAdapterRoundTripsThroughThePeftFolder(String fixtureName, String method, String targets,
                                                         boolean fanInFanOut, String readsBackAs) throws Exception {
        ReferenceFixture fixture = ReferenceFixture.of(fixtureName);
        Map<String, Tensor> expected = fixture.expected();
        try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
            DecoderModel model = fixture.load(manager);
            ParameterStore ps = new ParameterStore(manager, false);
            NDArray ids = ReferenceFixture.array(expected.get("input_ids"), manager);
            NDArray mask = ReferenceFixture.array(expected.get("attention_mask"), manager);
            AdapterMethod config = AdapterMethods.create(method,
                    new SharedHyperparameters(4, 8, 0, TargetModules.of(targets.split(";"))));
            NDArray before;
            try (AdaptedLanguageModel adapted = AdaptedLanguageModel.create(model, config, manager, 9)) {
                perturb(adapted, manager);
                before = model.logits(ps, model.run(ps, ids, mask, null, null, false, null), false);
                PeftAdapterFiles.writeLanguageModel(adapted, fixtureName, dir.resolve(method));
            }
            JsonNode json = new ObjectMapper().readTree(dir.resolve(method).resolve(PeftAdapterFiles.CONFIG).toFile());
            assertThat(json.path("task_type").asText()).isEqualTo("CAUSAL_LM");
            assertThat(json.path("fan_in_fan_out").asBoolean()).isEqualTo(fanInFanOut);
            assertThat(json.path("modules_to_save").isNull()).isTrue();
            try (AdaptedLanguageModel read = PeftAdapterFiles.readLanguageModel(dir.resolve(method), model,
                    manager)) {
                // PiSSA's PEFT form is the plain LoRA delta from W0, as PEFT converts it for sharing.
                assertThat(read.method().name()).isEqualTo(readsBackAs);
                NDArray after = model.logits(ps, model.run(ps, ids, mask, null, null, false, null), false);
                assertThat(ReferenceFixture.maxDiffAtRealPositions(after, before, mask)).isLessThanOrEqualTo(1e-5);
            }
        }
    }

    @ParameterizedTest
    @CsvSource("llama-tiny")
    void aMethodWithoutAPeftFormIsRefusedWithTheWayOut(String fixtureName) throws Exception {
        try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
            DecoderModel model = ReferenceFixture.of(fixtureName).load(manager);
            try (AdaptedLanguageModel adapted = AdaptedLanguageModel.create(model, AdapterMethods.create("lorma-pi",
                    new SharedHyperparameters(4, 8, 0, TargetModules.of("q_proj"))), manager, 1)) {
                assertThatThrownBy(() -> PeftAdapterFiles.writeLanguageModel(adapted, fixtureName, dir.resolve("pi")))
                        .isInstanceOf(UnsupportedOperationException.class).hasMessageContaining("no PEFT form")
                        .hasMessageContaining("MergedModelFiles");
            }
        }
    }

    @ParameterizedTest
    @CsvSource({"lora", "dora"})
    void aFreshAdapterWarmStartsFromAStoredPeftFolderAndComputesWhatItComputed(String method) throws Exception {
        ReferenceFixture fixture = ReferenceFixture.of("llama-tiny");
        Map<String, Tensor> expected = fixture.expected();
        try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
            DecoderModel model = fixture.load(manager);
            ParameterStore ps = new ParameterStore(manager, false);
            NDArray ids = ReferenceFixture.array(expected.get("input_ids"), manager);
            NDArray mask = ReferenceFixture.array(expected.get("attention_mask"), manager);
            AdapterMethod config = AdapterMethods.create(method,
                    new SharedHyperparameters(4, 8, 0, TargetModules.of("q_proj", "down_proj")));
            NDArray before;
            try (AdaptedLanguageModel trained = AdaptedLanguageModel.create(model, config, manager, 9)) {
                perturb(trained, manager);
                before = model.logits(ps, model.run(ps, ids, mask, null, null, false, null), false);
                PeftAdapterFiles.writeLanguageModel(trained, "llama-tiny", dir.resolve(method));
            }
            try (AdaptedLanguageModel fresh = AdaptedLanguageModel.create(model, config, manager, 10)) {
                Map<String, NDArray> parameters = fresh.trainableParameters();
                PeftAdapterFiles.warmStart(fresh, dir.resolve(method));
                assertThat(fresh.trainableParameters()).isEqualTo(parameters); // the same arrays, loaded in place
                assertThat(parameters.values()).allMatch(NDArray::hasGradient);
                NDArray after = model.logits(ps, model.run(ps, ids, mask, null, null, false, null), false);
                assertThat(ReferenceFixture.maxDiffAtRealPositions(after, before, mask)).isLessThanOrEqualTo(1e-6);
            }
            // Another rank, or a method whose PEFT form is derived (PiSSA's is a LoRA from W0), does not warm-start.
            try (AdaptedLanguageModel otherRank = AdaptedLanguageModel.create(model, AdapterMethods.create(method,
                    new SharedHyperparameters(8, 16, 0, TargetModules.of("q_proj", "down_proj"))), manager, 1)) {
                assertThatThrownBy(() -> PeftAdapterFiles.warmStart(otherRank, dir.resolve(method)))
                        .isInstanceOf(IncompatibleAdapterException.class).hasMessageContaining("r");
            }
            try (AdaptedLanguageModel pissa = AdaptedLanguageModel.create(model, AdapterMethods.create("pissa",
                    new SharedHyperparameters(4, 8, 0, TargetModules.of("q_proj", "down_proj"))), manager, 1)) {
                PeftAdapterFiles.writeLanguageModel(pissa, "llama-tiny", dir.resolve("pissa"));
                assertThatThrownBy(() -> PeftAdapterFiles.warmStart(pissa, dir.resolve("pissa")))
                        .isInstanceOf(AdapterFormatException.class).hasMessageContaining("method");
            }
        }
    }

    private static void perturb(AdaptedLanguageModel adapted, NDManager manager) {
        Random random = new Random(4);
        for (NDArray factor : adapted.trainableParameters().values()) {
            float[] noise = new float[(int) factor.size()];
            for (int i = 0; i < noise.length; i++) {
                noise[i] = (float) (random.nextGaussian() * 0.05);
            }
            factor.addi(manager.create(noise, factor.getShape()));
        }
    }
}
