package dev.adapterloop.training;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;

/** Live while the training worker thread is: a dead worker leaves jobs queued forever, which a restart fixes. */
@Liveness
@ApplicationScoped
public class TrainingWorkerHealthCheck implements HealthCheck {
    static final String NAME = "training-worker";

    private final Instance<TrainingWorkerStatus> worker;

    TrainingWorkerHealthCheck(Instance<TrainingWorkerStatus> worker) {
        this.worker = worker;
    }

    @Override
    public HealthCheckResponse call() {
        if (!worker.isResolvable()) {
            return HealthCheckResponse.named(NAME).up().withData("worker", "not reported").build();
        }
        return of(worker.get());
    }

    static HealthCheckResponse of(TrainingWorkerStatus status) {
        boolean alive = status.workerAlive();
        return HealthCheckResponse.named(NAME).status(alive).withData("worker", alive ? "alive" : "dead")
                .withData("queue-depth", status.queueDepth()).build();
    }
}
