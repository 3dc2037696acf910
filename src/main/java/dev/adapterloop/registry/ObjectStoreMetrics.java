package dev.adapterloop.registry;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import jakarta.inject.Singleton;

/**
 * {@code adapterloop_s3_retries_total}: S3 calls retried by {@link ObjectStore}, all operations together;
 * {@code adapterloop_s3_calls_total}: every S3 call made, retries included.
 */
@Singleton
public class ObjectStoreMetrics implements MeterBinder {
    private final ObjectStore store;

    ObjectStoreMetrics(ObjectStore store) {
        this.store = store;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        FunctionCounter.builder("adapterloop.s3.retries", store, ObjectStore::retryCount)
                .description("S3 calls retried after a failure that may pass").register(registry);
        FunctionCounter.builder("adapterloop.s3.calls", store, ObjectStore::callCount)
                .description("S3 calls made, retries included").register(registry);
    }
}
