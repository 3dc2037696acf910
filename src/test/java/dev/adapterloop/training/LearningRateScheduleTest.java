package dev.adapterloop.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.data.Offset.offset;

import org.junit.jupiter.api.Test;

class LearningRateScheduleTest {

    @Test
    void warmsUpLinearlyThenDecaysLinearlyToZero() {
        LearningRateSchedule schedule = new LearningRateSchedule(1e-3, 10, 110, TrainingConfig.Decay.LINEAR);
        assertThat(schedule.at(5)).isCloseTo(5e-4, offset(1e-12));
        assertThat(schedule.at(10)).isCloseTo(1e-3, offset(1e-12));
        assertThat(schedule.at(60)).isCloseTo(5e-4, offset(1e-12));
        assertThat(schedule.at(110)).isZero();
    }

    @Test
    void cosineHalvesAtTheMidpointAndEndsAtZero() {
        LearningRateSchedule schedule = new LearningRateSchedule(1e-3, 10, 110, TrainingConfig.Decay.COSINE);
        assertThat(schedule.at(10)).isCloseTo(1e-3, offset(1e-12));
        assertThat(schedule.at(35)).as("a quarter of the way it is still above linear's 7.5e-4")
                .isCloseTo(1e-3 * 0.5 * (1 + Math.cos(Math.PI / 4)), offset(1e-12)).isGreaterThan(7.5e-4);
        assertThat(schedule.at(60)).isCloseTo(5e-4, offset(1e-12));
        assertThat(schedule.at(110)).isCloseTo(0, offset(1e-15));
        for (int step = 11; step <= 110; step++) {
            assertThat(schedule.at(step)).isLessThanOrEqualTo(schedule.at(step - 1));
        }
    }

    @Test
    void configNamesABadDecay() {
        assertThat(TrainingConfig.Decay.parse("Cosine")).isEqualTo(TrainingConfig.Decay.COSINE);
        assertThatThrownBy(() -> TrainingConfig.Decay.parse("step"))
                .hasMessage("learning-rate decay must be linear or cosine, got 'step'");
    }
}
