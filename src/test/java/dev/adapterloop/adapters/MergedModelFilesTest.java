package dev.adapterloop.adapters;

import static dev.adapterloop.adapters.StoredAdapterFixtures.LABELS;
import static dev.adapterloop.adapters.StoredAdapterFixtures.QUERY_VALUE;
import static dev.adapterloop.adapters.StoredAdapterFixtures.batch;
import static dev.adapterloop.adapters.StoredAdapterFixtures.logits;
import static dev.adapterloop.adapters.StoredAdapterFixtures.maxAbsDiff;
import static dev.adapterloop.adapters.StoredAdapterFixtures.perturb;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.adapterloop.adapters.lorma.LormaConfig;
import dev.adapterloop.adapters.lorma.LormaConfig.Placement;
import dev.adapterloop.adapters.lorma.LormaConfig.Variant;
import dev.adapterloop.model.PretrainedModel;
import dev.adapterloop.model.safetensors.SafetensorsFile;
import dev.adapterloop.model.safetensors.Tensor;
import dev.adapterloop.testing.BundledModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The merged-weights export: for every method, the folder loads through {@link PretrainedModel#load} as a plain
 * encoder, and that encoder with the stored head gives the adapted model's logits.
 */
class MergedModelFilesTest {

    @TempDir
    Path tmp;

    static Stream<Arguments> everyMethodAndPlacement() {
        return StoredAdapterFixtures.everyMethodAndPlacement();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("everyMethodAndPlacement")
    void theMergedFolderLoadsAsAPlainEncoderWithTheAdaptedModelsLogits(String label, AdapterMethod method)
            throws IOException {
        PretrainedModel base = BundledModel.encoder();
        Path dir = tmp.resolve(label.replace(' ', '-'));
        float[] expected;
        try (NDManager manager = base.manager().newSubManager()) {
            try (AdaptedClassifier model = AdaptedClassifier.create(base, LABELS, method, 5)) {
                perturb(model, 13);
                expected = logits(model, manager);
                MergedModelFiles.write(model, BundledModel.folder(), dir);
            }
        }
        try (MergedClassifier merged = MergedModelFiles.read(dir, Device.cpu());
             NDManager manager = merged.base().manager().newSubManager()) {
            assertThat(merged.labels()).isEqualTo(LABELS);
            assertThat(merged.base().backbone().linearLayers().values()).allMatch(l -> l.adapter() == null);
            float[] actual = merged.logits(batch(merged.base(), manager)).toFloatArray();
            double diff = maxAbsDiff(actual, expected);
            System.out.printf("merged export %s: max |logit difference| vs the adapted model %.3g%n", label, diff);
            assertThat(diff).isLessThanOrEqualTo(3e-5);
        }
    }

    @Test
    void theFolderIsAHuggingFaceBertModelWithLabelsAndTheTokenizer() throws IOException {
        PretrainedModel base = BundledModel.encoder();
        Path dir = tmp.resolve("pi");
        String query = "encoder.layer.2.attention.self.query.weight";
        String key = "encoder.layer.2.attention.self.key.weight";
        try (AdaptedClassifier model = AdaptedClassifier.create(base, LABELS,
                new LormaConfig(Variant.PI, 8, 16, 0.0, QUERY_VALUE, Placement.PRE), 5)) {
            perturb(model, 3);
            // Written while merged: the export starts from the original W0 all the same.
            model.merge();
            MergedModelFiles.write(model, BundledModel.folder(), dir);
            model.unmerge();
            Map<String, Tensor> tensors = SafetensorsFile.read(dir.resolve(PretrainedModel.WEIGHTS));
            Map<String, Tensor> original = SafetensorsFile.read(BundledModel.folder()
                    .resolve(PretrainedModel.WEIGHTS));
            assertThat(tensors.keySet()).containsExactlyInAnyOrderElementsOf(base.backbone().namedParameters().keySet());
            assertThat(Arrays.equals(tensors.get(key).toFloats(), original.get(key).toFloats()))
                    .as("a layer without adapter keeps its weight").isTrue();
            try (NDManager scope = base.manager().newSubManager()) {
                float[] mergedQuery = model.layers().get("encoder.layer.2.attention.self.query")
                        .effectiveWeight(base.backbone().linearLayers().get("encoder.layer.2.attention.self.query")
                                .weight().getArray(), scope).toFloatArray();
                assertThat(Arrays.equals(tensors.get(query).toFloats(), mergedQuery)).isTrue();
            }
        }
        JsonNode config = new ObjectMapper().readTree(dir.resolve(PretrainedModel.CONFIG).toFile());
        assertThat(config.get("model_type").asText()).isEqualTo("bert");
        assertThat(config.get("id2label").get("2").asText()).isEqualTo("phishing");
        assertThat(config.get("label2id").get("spam").asInt()).isEqualTo(1);
        assertThat(Files.mismatch(dir.resolve(PretrainedModel.TOKENIZER),
                BundledModel.folder().resolve(PretrainedModel.TOKENIZER))).isEqualTo(-1);
        assertThat(SafetensorsFile.read(dir.resolve(MergedModelFiles.HEAD_WEIGHTS)).keySet())
                .containsExactlyInAnyOrder("classifier.weight", "classifier.bias");
        assertThat(SafetensorsFile.metadata(dir.resolve(MergedModelFiles.HEAD_WEIGHTS))).containsEntry("pooling",
                "mean");
    }

    @Test
    void aMissingOrCorruptHeadIsRefused() throws IOException {
        PretrainedModel base = BundledModel.encoder();
        Path dir = tmp.resolve("plus");
        try (AdaptedClassifier model = AdaptedClassifier.create(base, LABELS,
                new LormaConfig(Variant.PLUS, 8, 16, 0.0, QUERY_VALUE, Placement.POST), 5)) {
            MergedModelFiles.write(model, BundledModel.folder(), dir);
        }
        Path head = dir.resolve(MergedModelFiles.HEAD_WEIGHTS);
        SafetensorsFile.write(head, List.of(Tensor.ofFloats("classifier.weight", new long[] {3, 384},
                new float[3 * 384])), Map.of());
        assertThatThrownBy(() -> MergedModelFiles.read(dir, Device.cpu())).isInstanceOf(AdapterFormatException.class)
                .hasMessageContaining("must hold exactly [classifier.weight, classifier.bias]");
        Files.delete(head);
        assertThatThrownBy(() -> MergedModelFiles.read(dir, Device.cpu())).isInstanceOf(AdapterFormatException.class)
                .hasMessageContaining("has no " + MergedModelFiles.HEAD_WEIGHTS);
    }

    @Test
    void aBaseFolderOfAnotherModelIsRefused() throws IOException {
        Path other = Files.createDirectories(tmp.resolve("other-base"));
        String config = Files.readString(BundledModel.folder().resolve(PretrainedModel.CONFIG))
                .replace("\"num_hidden_layers\" : 6", "\"num_hidden_layers\" : 12");
        Files.writeString(other.resolve(PretrainedModel.CONFIG), config);
        Files.copy(BundledModel.folder().resolve(PretrainedModel.TOKENIZER),
                other.resolve(PretrainedModel.TOKENIZER));
        try (AdaptedClassifier model = AdaptedClassifier.create(BundledModel.encoder(), LABELS,
                new LormaConfig(Variant.PLUS, 8, 16, 0.0, QUERY_VALUE), 5)) {
            assertThatThrownBy(() -> MergedModelFiles.write(model, other, tmp.resolve("out")))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("does not describe");
        }
    }
}
