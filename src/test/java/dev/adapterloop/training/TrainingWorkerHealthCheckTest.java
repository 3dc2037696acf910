package dev.adapterloop.training;

import static org.assertj.core.api.Assertions.assertThat;

import org.eclipse.microprofile.health.HealthCheckResponse;
import org.junit.jupiter.api.Test;

class TrainingWorkerHealthCheckTest {

    @Test
    void upWhileTheWorkerIsAliveDownWhenItIsNot() {
        HealthCheckResponse alive = TrainingWorkerHealthCheck.of(status(true, 2));
        assertThat(alive.getStatus()).isEqualTo(HealthCheckResponse.Status.UP);
        assertThat(alive.getData()).hasValueSatisfying(data -> assertThat(data)
                .containsEntry("worker", "alive").containsEntry("queue-depth", 2L));

        HealthCheckResponse dead = TrainingWorkerHealthCheck.of(status(false, 5));
        assertThat(dead.getStatus()).isEqualTo(HealthCheckResponse.Status.DOWN);
        assertThat(dead.getData()).hasValueSatisfying(data -> assertThat(data).containsEntry("worker", "dead"));
    }

    private static TrainingWorkerStatus status(boolean alive, int depth) {
        return new TrainingWorkerStatus() {
            @Override
            public boolean workerAlive() {
                return alive;
            }

            @Override
            public int queueDepth() {
                return depth;
            }
        };
    }
}
