package dev.adapterloop.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Device;
import ai.djl.ndarray.types.DataType;
import org.junit.jupiter.api.Test;

/** {@code adapterloop.engine.precision}: auto picks fp16 on a GPU only; a bad value is named in the error. */
class PrecisionSettingTest {

    @Test
    void autoIsFp16OnAGpuAndFp32OnTheCpu() {
        // fp32 on a GPU too until fp16 training reaches the adapter factors (docs/engine.md, "Mixed precision").
        assertThat(BaseModels.computeType("auto", Device.gpu())).isEqualTo(DataType.FLOAT32);
        assertThat(BaseModels.computeType("auto", Device.cpu())).isEqualTo(DataType.FLOAT32);
        assertThat(BaseModels.computeType("fp16", Device.cpu())).isEqualTo(DataType.FLOAT16);
        assertThat(BaseModels.computeType("fp32", Device.gpu())).isEqualTo(DataType.FLOAT32);
    }

    @Test
    void anUnknownPrecisionIsRefusedByName() {
        assertThatThrownBy(() -> BaseModels.computeType("bf16", Device.cpu()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("adapterloop.engine.precision must be auto, fp32 or fp16, got bf16");
    }
}
