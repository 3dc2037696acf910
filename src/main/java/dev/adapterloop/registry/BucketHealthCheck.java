package dev.adapterloop.registry;

import java.time.Duration;

import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

import io.smallrye.health.api.AsyncHealthCheck;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;

/**
 * Ready when the bucket answers within {@code adapterloop.s3.health-timeout}: one {@link ObjectStore#probe()}, no
 * retries, on a worker thread so a hanging S3 never holds the health endpoint longer than the timeout.
 */
@Readiness
@ApplicationScoped
public class BucketHealthCheck implements AsyncHealthCheck {
    static final String NAME = "s3-bucket";

    private final Instance<ObjectStore> store; // resolved on the worker: creating it may itself wait for S3
    private final Duration timeout;

    BucketHealthCheck(Instance<ObjectStore> store, S3Config config) {
        this.store = store;
        this.timeout = config.healthTimeout();
    }

    @Override
    public Uni<HealthCheckResponse> call() {
        return Uni.createFrom().item(this::probe)
                .runSubscriptionOn(Infrastructure.getDefaultWorkerPool())
                .ifNoItem().after(timeout)
                .recoverWithItem(() -> HealthCheckResponse.named(NAME).down()
                        .withData("error", "no answer within " + timeout.toMillis() + " ms").build());
    }

    private HealthCheckResponse probe() {
        HealthCheckResponseBuilder response = HealthCheckResponse.named(NAME);
        try {
            ObjectStore objects = store.get();
            response.withData("bucket", objects.bucket()).withData("endpoint", objects.settings().endpoint());
            return (objects.probe() ? response.up() : response.down().withData("error", "the bucket does not exist"))
                    .build();
        } catch (RuntimeException e) { // ObjectStoreException, or the store could not be created
            return response.down().withData("error", String.valueOf(e.getMessage())).build();
        }
    }
}
