package dev.adapterloop.serving;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * Per task: the versions served and any problem (an alias naming a version that failed to load, no champion yet).
 * Always UP: a task without a champion answers 503 itself, and taking the whole replica out of rotation would stop
 * the tasks that do serve.
 */
@Readiness
@ApplicationScoped
public class ServingHealthCheck implements HealthCheck {
    static final String NAME = "serving";

    private final ServedModels models;

    ServingHealthCheck(ServedModels models) {
        this.models = models;
    }

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder health = HealthCheckResponse.named(NAME).up();
        models.all().forEach((task, slots) -> {
            health.withData(task + ".champion", slots.championVersion().orElse("none"));
            health.withData(task + ".challenger", slots.challengerVersion().orElse("none"));
            if (slots.problem() != null) {
                health.withData(task + ".problem", slots.problem());
            }
        });
        return health.build();
    }
}
