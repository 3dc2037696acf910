package dev.adapterloop.training;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LossScalerTest {

    @Test
    void anOverflowSkipsTheStepAndHalvesTheScale() {
        try (NDManager manager = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
            LossScaler scaler = new LossScaler(1024, 2, 3);
            NDArray overflowed = manager.create(new float[] {1f, Float.POSITIVE_INFINITY});
            assertThat(scaler.unscale(Map.of("a", overflowed))).isFalse();
            assertThat(scaler.currentScale()).isEqualTo(512);
            assertThat(scaler.skippedSteps()).isEqualTo(1);

            NDArray nan = manager.create(new float[] {Float.NaN});
            assertThat(scaler.unscale(Map.of("a", nan))).isFalse();
            assertThat(scaler.currentScale()).isEqualTo(256);
        }
    }

    @Test
    void cleanStepsUnscaleTheGradientsAndGrowTheScaleAfterTheInterval() {
        try (NDManager manager = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
            LossScaler scaler = new LossScaler(1024, 2, 3);
            NDArray gradient = manager.create(new float[] {2048f, -512f});
            assertThat(scaler.unscale(Map.of("a", gradient))).isTrue();
            assertThat(gradient.toFloatArray()).containsExactly(2f, -0.5f);
            scaler.unscale(Map.of("a", manager.create(new float[] {1f})));
            assertThat(scaler.currentScale()).isEqualTo(1024);
            scaler.unscale(Map.of("a", manager.create(new float[] {1f})));
            assertThat(scaler.currentScale()).isEqualTo(2048);
        }
    }

    @Test
    void withoutScalingNothingChanges() {
        try (NDManager manager = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
            NDArray gradient = manager.create(new float[] {3f});
            assertThat(LossScaler.NONE.isActive()).isFalse();
            assertThat(LossScaler.NONE.unscale(Map.of("a", gradient))).isTrue();
            assertThat(gradient.toFloatArray()).containsExactly(3f);
        }
    }
}
