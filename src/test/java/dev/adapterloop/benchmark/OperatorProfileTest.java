package dev.adapterloop.benchmark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.adapterloop.benchmark.OperatorProfile.Family;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OperatorProfileTest {

    @TempDir
    Path folder;

    @Test
    void countsSelfTimeOncePerFamilyAndTheGapsBetweenOperatorsAsOutside() throws IOException {
        // Two steps on one thread (microseconds): an addmm of 100 whose bias copy takes 30, a flash-attention backward
        // of 50 that zeroes its buffers for 10, a GELU of 20 with a view of 5 inside, and gaps of 10 and 15.
        Path trace = write("""
                {"traceEvents": [
                  {"ph": "X", "tid": 1, "name": "aten::addmm", "ts": 0, "dur": 100},
                  {"ph": "X", "tid": 1, "name": "aten::copy_", "ts": 0, "dur": 30},
                  {"ph": "X", "tid": 1, "name": "aten::_scaled_dot_product_flash_attention_for_cpu_backward",
                   "ts": 110, "dur": 50},
                  {"ph": "X", "tid": 1, "name": "aten::zeros", "ts": 112, "dur": 10},
                  {"ph": "X", "tid": 1, "name": "aten::zero_", "ts": 113, "dur": 8},
                  {"ph": "X", "tid": 1, "name": "aten::gelu", "ts": 175, "dur": 20},
                  {"ph": "X", "tid": 1, "name": "aten::view", "ts": 180, "dur": 5},
                  {"ph": "i", "tid": 1, "name": "marker", "ts": 190}
                ]}
                """);

        OperatorProfile profile = OperatorProfile.read(trace, 2);

        assertThat(profile.secondsPerStep().get(Family.DENSE_PRODUCTS)).isCloseTo(35e-6, within(1e-12));
        assertThat(profile.secondsPerStep().get(Family.COPIES)).isCloseTo(15e-6, within(1e-12));
        assertThat(profile.secondsPerStep().get(Family.ATTENTION)).isCloseTo(25e-6, within(1e-12));
        assertThat(profile.secondsPerStep().get(Family.GELU)).isCloseTo(7.5e-6, within(1e-12));
        assertThat(profile.secondsPerStep().get(Family.BOOKKEEPING)).isCloseTo(2.5e-6, within(1e-12));
        assertThat(profile.secondsPerStep().get(Family.FILLS)).isZero();
        assertThat(profile.secondsPerStep().get(Family.OUTSIDE_OPERATORS)).isCloseTo(12.5e-6, within(1e-12));
        assertThat(profile.secondsPerStep().values().stream().mapToDouble(Double::doubleValue).sum())
                .as("the families add up to the profiled wall time per step").isCloseTo(97.5e-6, within(1e-12));
        assertThat(profile.topOperators()).containsKeys("aten::addmm", "aten::copy_").hasSizeLessThanOrEqualTo(12);
    }

    @Test
    void namesTheFamiliesOfTheOperatorsATrainingStepRuns() {
        assertThat(OperatorProfile.familyOf("aten::mm")).isEqualTo(Family.DENSE_PRODUCTS);
        assertThat(OperatorProfile.familyOf("aten::bmm")).isEqualTo(Family.ATTENTION);
        assertThat(OperatorProfile.familyOf("aten::_softmax_backward_data")).isEqualTo(Family.ATTENTION);
        assertThat(OperatorProfile.familyOf("aten::gelu_backward")).isEqualTo(Family.GELU);
        assertThat(OperatorProfile.familyOf("aten::native_layer_norm_backward")).isEqualTo(Family.LAYER_NORM);
        assertThat(OperatorProfile.familyOf("aten::add_")).isEqualTo(Family.ELEMENTWISE);
        assertThat(OperatorProfile.familyOf("aten::fill_")).isEqualTo(Family.FILLS);
        assertThat(OperatorProfile.familyOf("aten::bernoulli_")).isEqualTo(Family.DROPOUT_MASKS);
        assertThat(OperatorProfile.familyOf("AddmmBackward0")).isEqualTo(Family.BOOKKEEPING);
    }

    private Path write(String json) throws IOException {
        Path trace = folder.resolve("trace.json");
        Files.writeString(trace, json);
        return trace;
    }
}
