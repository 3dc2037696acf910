package dev.adapterloop.registry;

import java.time.Clock;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** The bucket client, the registry and the alias store on top of it, one of each per application. */
@ApplicationScoped
public class RegistryProducer {

    @Produces
    @Singleton
    ObjectStore objectStore(S3Config config) {
        ObjectStore store = new ObjectStore(ObjectStore.Settings
                .of(config.endpoint(), config.accessKey(), config.secretKey(), config.bucket())
                .withRegion(config.region())
                .withRetry(config.retry().settings())
                .withTrust(config.tls().trust()));
        store.ensureBucket();
        return store;
    }

    void close(@Disposes ObjectStore store) {
        store.close();
    }

    @Produces
    @Singleton
    AdapterRegistry registry(ObjectStore store) {
        return new AdapterRegistry(store);
    }

    @Produces
    @Singleton
    PipelineRecords pipelineRecords(ObjectStore store) {
        return new PipelineRecords(store);
    }

    @Produces
    @Singleton
    AliasStore aliases(AdapterRegistry registry) {
        return new AliasStore(registry, Clock.systemUTC());
    }
}
