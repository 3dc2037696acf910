package dev.adapterloop.adapters;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import dev.adapterloop.adapters.lora.LoraConfig;
import dev.adapterloop.adapters.lorma.LormaConfig;
import dev.adapterloop.adapters.milora.MiloraConfig;
import dev.adapterloop.model.PretrainedModel;
import dev.adapterloop.model.TextTokenizer;
import dev.adapterloop.testing.BundledModel;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * LoRMA₊ (rank r) and MiLoRA / PiSSA (rank 2r, relative to the original weights) export as plain PEFT LoRA folders
 * that, loaded back as LoRA, reproduce the adapted model's outputs after its factors have moved (as in training).
 */
class PeftConversionTest {

    private static final TargetModules TARGETS = TargetModules.of("query", "value");
    private static final List<String> LABELS = List.of("ham", "spam");
    private static final List<String> TEXTS = List.of("Claim your FREE gift card today", "Lunch at noon?",
            "Re: patch for the build script", "Lowest mortgage rates guaranteed!!!");

    @TempDir
    Path tmp;

    static Stream<AdapterMethod> exportable() {
        return Stream.of(new LormaConfig(LormaConfig.Variant.PLUS, 8, 16, 0.0, TARGETS),
                MiloraConfig.milora(8, 16, 0.0, TARGETS), MiloraConfig.pissa(8, 16, 0.0, TARGETS));
    }

    @ParameterizedTest
    @MethodSource("exportable")
    void convertedAdapterReloadedAsLoraReproducesTheOutputs(AdapterMethod method) throws IOException {
        PretrainedModel base = BundledModel.encoder();
        Path dir = tmp.resolve(method.name());
        float[] expected;
        try (NDManager manager = base.manager().newSubManager()) {
            try (AdaptedClassifier model = AdaptedClassifier.create(base, LABELS, method, 5)) {
                perturbFactors(model, 11);
                expected = model.logits(batch(base, manager), false).toFloatArray();
                PeftAdapterFiles.write(model, "models/all-minilm-l6-v2/", dir);
            }
            LoraConfig written = (LoraConfig) PeftAdapterFiles.readConfig(dir);
            int expectedRank = method instanceof MiloraConfig ? 16 : 8;
            assertThat(written.rank()).isEqualTo(expectedRank);
            assertThat(written.scaling()).isCloseTo(2.0, org.assertj.core.data.Offset.offset(1e-12));
            try (AdaptedClassifier reloaded = PeftAdapterFiles.read(dir, base, LABELS)) {
                float[] actual = reloaded.logits(batch(base, manager), false).toFloatArray();
                double maxDiff = 0;
                for (int i = 0; i < actual.length; i++) {
                    maxDiff = Math.max(maxDiff, Math.abs(actual[i] - expected[i]));
                }
                System.out.printf("%s -> PEFT LoRA r=%d: max |logit difference| %.2e%n", method.name(),
                        written.rank(), maxDiff);
                assertThat(maxDiff).isLessThanOrEqualTo(3e-5);
            }
        }
    }

    @Test
    void lormaPiHasNoLoraFormAndIsRefusedClearly() {
        PretrainedModel base = BundledModel.encoder();
        try (AdaptedClassifier model = AdaptedClassifier.create(base, LABELS,
                new LormaConfig(LormaConfig.Variant.PI, 8, 16, 0.0, TARGETS), 5)) {
            assertThatThrownBy(() -> PeftAdapterFiles.write(model, "models/x/", tmp.resolve("pi")))
                    .isInstanceOf(UnsupportedOperationException.class)
                    .hasMessageContaining("lorma-pi adapters have no PEFT form");
        }
    }

    /** Moves every factor away from its initial value, as training would. */
    private static void perturbFactors(AdaptedClassifier model, long seed) {
        Random random = new Random(seed);
        model.trainableParameters().forEach((name, array) -> {
            if (name.endsWith("lora_A.weight") || name.endsWith("lora_B.weight")) {
                float[] values = array.toFloatArray();
                for (int i = 0; i < values.length; i++) {
                    values[i] += (float) (random.nextGaussian() * 0.02);
                }
                array.set(values);
            }
        });
    }

    private static NDList batch(PretrainedModel base, NDManager manager) {
        return TextTokenizer.collate(base.tokenizer().encode(TEXTS), manager, 64);
    }
}
