package dev.adapterloop.registry;

import java.time.Clock;

import jakarta.enterprise.context.ApplicationScoped;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** The bucket client, the registry and the alias store on top of it, one of each per application. */
@ApplicationScoped
public class RegistryProducer {

    @Produces
    @Singleton
    ObjectStore objectStore(S3Config config) {
        ObjectStore store = new ObjectStore(settings(config));
        store.ensureBucket();
        return store;
    }

    /**
     * The bucket client is created on first use, which may be well after the start (or never, in a batch command
     * that fails first): so the settings, and the CA files of {@code adapterloop.s3.tls.*}, are checked at start, and a
     * missing or wrong file stops the process naming its key rather than failing the first S3 call.
     */
    void checkAtStart(@Observes StartupEvent started, S3Config config) {
        check(config);
    }

    static void check(S3Config config) {
        S3Trust trust = settings(config).trust();
        if (!trust.isSystem()) {
            trust.trustManager(); // reads the files
        }
    }

    static ObjectStore.Settings settings(S3Config config) {
        return ObjectStore.Settings
                .of(config.endpoint(), config.accessKey(), config.secretKey(), config.bucket())
                .withRegion(config.region())
                .withRetry(config.retry().settings())
                .withTrust(config.tls().trust());
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
