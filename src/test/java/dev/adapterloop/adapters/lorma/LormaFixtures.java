package dev.adapterloop.adapters.lorma;

import static org.assertj.core.api.Assertions.assertThat;

import dev.adapterloop.adapters.AdaptedClassifier;
import dev.adapterloop.adapters.TargetModules;
import dev.adapterloop.adapters.lorma.LormaConfig.Variant;
import java.util.List;
import java.util.Random;

/** Shared setup of the LoRMA tests on the bundled model. */
final class LormaFixtures {

    static final TargetModules TARGETS = TargetModules.parse("re:.*(query|value|intermediate\\.dense)");
    static final int RANK = 8;
    static final double ALPHA = 16;
    static final float TOLERANCE = 3e-5f;
    static final List<String> LABELS = List.of("ham", "spam");

    private LormaFixtures() {
    }

    static LormaConfig config(Variant variant) {
        return new LormaConfig(variant, RANK, ALPHA, 0.0, TARGETS);
    }

    /**
     * Moves the factors away from their init so the adapters do something: LoRMA₊ gets a random B (A is already
     * random); LoRMA_π gets small noise on A and B, keeping M near the identity as after a few training steps.
     */
    static void perturb(AdaptedClassifier model, Variant variant, long seed) {
        Random random = new Random(seed);
        model.layers().values().forEach(layer -> layer.factors().forEach((suffix, array) -> {
            boolean isB = suffix.equals(LormaPlusLayer.B_KEY);
            if (variant == Variant.PLUS && !isB) {
                return;
            }
            double std = variant == Variant.PLUS ? 0.05 : 0.01;
            float[] values = array.toFloatArray();
            for (int i = 0; i < values.length; i++) {
                values[i] += (float) (random.nextGaussian() * std);
            }
            array.set(values);
        }));
    }

    static float maxAbsDiff(float[] a, float[] b) {
        assertThat(a).hasSameSizeAs(b);
        float max = 0;
        for (int i = 0; i < a.length; i++) {
            max = Math.max(max, Math.abs(a[i] - b[i]));
        }
        return max;
    }

}
