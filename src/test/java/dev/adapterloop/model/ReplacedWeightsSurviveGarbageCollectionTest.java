package dev.adapterloop.model;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.adapterloop.testing.BundledModel;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Weights replaced in place from Java data (MiLoRA residuals, restored heads) must not point into a Java buffer that
 * the garbage collector frees: before {@link TorchArrays} such a weight read back whatever was allocated next.
 */
class ReplacedWeightsSurviveGarbageCollectionTest {

    private static final int ROWS = 384;
    private static final int COLUMNS = 384;

    @Test
    void aReplacedLinearWeightKeepsItsValuesAcrossGarbageCollection() throws InterruptedException {
        try (NDManager manager = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
            AdaptableLinear linear = new AdaptableLinear("probe", COLUMNS, ROWS);
            linear.weight().setArray(manager.zeros(new Shape(ROWS, COLUMNS)));
            linear.replaceWeight(manager.create(filled(1.5f), new Shape(ROWS, COLUMNS)));

            collectGarbageAndReuseMemory(manager);

            assertThat(Arrays.equals(linear.weight().getArray().toFloatArray(), filled(1.5f)))
                    .as("weight still holds the values it was given").isTrue();
        }
    }

    @Test
    void aReinstalledHeadKeepsItsValuesAcrossGarbageCollection() throws InterruptedException {
        try (NDManager manager = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
            SequenceClassifier classifier = new SequenceClassifier(BundledModel.encoder().backbone(), List.of("a", "b"));
            classifier.initializeHead(manager, 1);
            float[] weights = new float[2 * 384];
            Arrays.fill(weights, 0.25f);
            classifier.setHead(manager.create(weights, new Shape(2, 384)), manager.create(new float[] {1f, 2f}));

            collectGarbageAndReuseMemory(manager);

            assertThat(Arrays.equals(classifier.headWeight().getArray().toFloatArray(), weights)).isTrue();
            assertThat(classifier.headBias().getArray().toFloatArray()).containsExactly(1f, 2f);
        }
    }

    private static void collectGarbageAndReuseMemory(NDManager manager) throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(50);
        }
        for (int i = 0; i < 50; i++) {
            manager.create(filled(7f), new Shape(ROWS, COLUMNS));
        }
    }

    private static float[] filled(float value) {
        float[] values = new float[ROWS * COLUMNS];
        Arrays.fill(values, value);
        return values;
    }
}
