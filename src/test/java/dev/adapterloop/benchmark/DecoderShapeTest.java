package dev.adapterloop.benchmark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.adapterloop.adapters.AdaptedLanguageModel;
import dev.adapterloop.adapters.AdapterMethods;
import dev.adapterloop.adapters.SharedHyperparameters;
import dev.adapterloop.adapters.TargetModules;
import dev.adapterloop.model.AdaptableLinear;
import dev.adapterloop.model.PretrainedModel;
import dev.adapterloop.model.decoder.DecoderConfig;
import dev.adapterloop.model.decoder.DecoderFamily;
import dev.adapterloop.model.decoder.DecoderModel;
import dev.adapterloop.model.safetensors.SafetensorsFile;
import dev.adapterloop.model.safetensors.Tensor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The benchmark's decoder: the counts it reports are the loaded model's, and its files are the same on every run. */
class DecoderShapeTest {

    /** Small enough for a test, with grouped-query attention and an untied head like the benchmark's default. */
    static final DecoderShape TINY = new DecoderShape(64, 2, 4, 2, 96, 300, 10000, false);

    @TempDir
    Path dir;

    @Test
    void theReportedCountsAreTheLoadedModelsParameters() throws Exception {
        Path folder = dir.resolve("tiny");
        RandomDecoder.writeFolder(TINY, 7, folder);
        DecoderConfig config = DecoderConfig.read(new ObjectMapper().readTree(
                folder.resolve(PretrainedModel.CONFIG).toFile()));
        try (NDManager manager = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
            DecoderModel decoder = DecoderFamily.loadWeights(folder, config, manager);
            assertThat(decoder.namedParameters().values().stream().mapToLong(p -> p.getArray().size()).sum())
                    .isEqualTo(TINY.parameters());
            assertThat(decoder.linearLayers().values().stream().map(AdaptableLinear::weight)
                    .mapToLong(p -> p.getArray().size()).sum())
                    .isEqualTo(TINY.layers() * TINY.projectionWeightsPerLayer());
            try (AdaptedLanguageModel lora = AdaptedLanguageModel.create(decoder, AdapterMethods.create("lora",
                    new SharedHyperparameters(8, 16, 0, TargetModules.of("q_proj", "v_proj"))), manager, 1)) {
                assertThat(lora.trainableParameters().values().stream().mapToLong(NDArray::size).sum())
                        .isEqualTo(TINY.loraParameters(8));
            }
        }
        // The default shape of the benchmark, counted by hand: 2 × 32000 × 512 embedding and head, 8 layers of
        // 2 × 512² + 2 × 512 × 256 + 3 × 512 × 1408 projection weights and 2 × 512 norm weights, the final norm.
        DecoderShape benchmark = new DecoderShape(512, 8, 8, 4, 1408, 32000, 10000, false);
        assertThat(benchmark.parameters()).isEqualTo(56_369_664L);
        assertThat(benchmark.loraStepFlops(8, 256, 8) / 1e9).isCloseTo(354.67, within(0.01));
    }

    @Test
    void theFilesAreTheSameOnEveryRunAndDrawnAsTransformersInitialisesLlama() throws Exception {
        assertThat(RandomDecoder.writeFolder(TINY, 7, dir.resolve("a"))).isTrue();
        assertThat(RandomDecoder.writeFolder(TINY, 7, dir.resolve("a"))).as("kept when shape and seed match").isFalse();
        assertThat(RandomDecoder.writeFolder(TINY, 8, dir.resolve("b"))).isTrue();
        RandomDecoder.writeFolder(TINY, 7, dir.resolve("c"));
        byte[] first = Files.readAllBytes(dir.resolve("a").resolve(PretrainedModel.WEIGHTS));
        assertThat(Files.readAllBytes(dir.resolve("c").resolve(PretrainedModel.WEIGHTS))).isEqualTo(first);
        assertThat(Files.readAllBytes(dir.resolve("b").resolve(PretrainedModel.WEIGHTS))).isNotEqualTo(first);

        var tensors = SafetensorsFile.read(dir.resolve("a").resolve(PretrainedModel.WEIGHTS));
        float[] embedding = tensors.get("model.embed_tokens.weight").toFloats();
        double mean = 0;
        double square = 0;
        for (float v : embedding) {
            mean += v / embedding.length;
            square += (double) v * v / embedding.length;
        }
        assertThat(Math.sqrt(square - mean * mean)).isCloseTo(RandomDecoder.INIT_STD, within(0.001));
        assertThat(tensors.get("model.norm.weight").toFloats()).containsOnly(1f);
        assertThat(tensors.get("model.layers.0.self_attn.q_proj.weight").toFloats())
                .as("each tensor draws its own numbers")
                .isNotEqualTo(tensors.get("model.layers.0.self_attn.o_proj.weight").toFloats());

        Path ids = dir.resolve("ids.safetensors");
        RandomDecoder.writeIds(ids, 3, 5, 300, 11);
        long[][] read = RandomDecoder.readIds(ids);
        assertThat(read).hasNumberOfRows(3);
        assertThat(Arrays.stream(read).flatMapToLong(Arrays::stream)).allMatch(id -> id >= 0 && id < 300);
        assertThat(read[2]).hasSize(5);
        Tensor stored = SafetensorsFile.read(ids).get(RandomDecoder.IDS_TENSOR);
        assertThat(stored.shape()).containsExactly(3, 5);
    }
}
