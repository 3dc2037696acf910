package dev.adapterloop.cli;

import dev.adapterloop.bundled.BundledAssets;
import dev.adapterloop.embedded.EmbeddedInfrastructure;
import dev.adapterloop.engine.EngineConfig;
import dev.adapterloop.registry.AdapterRegistry;
import io.quarkus.arc.Unremovable;
import io.quarkus.runtime.Quarkus;
import jakarta.enterprise.context.Dependent;
import jakarta.inject.Inject;
import java.io.IOException;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.eclipse.microprofile.config.ConfigProvider;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import picocli.CommandLine.Command;

/**
 * The service alone: the labeled-data consumers, the training scheduler and the REST API run as soon as Quarkus has
 * started, so this command only announces that and waits for SIGTERM. It publishes nothing and imports no data, which
 * is what a Deployment wants (the bundled job is {@code quickstart}'s); on the embedded default only, it imports the
 * bundled base model when the bucket lacks it ({@link EmbeddedDefaultModel}).
 */
@Dependent
@Unremovable // looked up by CdiFactory, which Quarkus cannot see at build time
@Command(name = ServeCommand.NAME, mixinStandardHelpOptions = true,
        description = "Runs the service only (Kafka consumers, training scheduler, REST API) until SIGTERM or "
                + "Ctrl-C; imports no data and publishes no event. On the embedded default (no S3 configured) it "
                + "imports the bundled base model when the bucket has none.")
public class ServeCommand implements Callable<Integer> {

    static final String NAME = "serve";

    @Inject
    AdapterRegistry registry;

    @Inject
    EngineConfig engine;

    @ConfigProperty(name = EmbeddedInfrastructure.STARTED)
    Optional<String> embeddedStarted;

    @ConfigProperty(name = "quarkus.http.port")
    int httpPort;

    @Override
    public Integer call() throws IOException {
        if (EmbeddedDefaultModel.ensure(embeddedStarted, registry, engine.workDir())
                == EmbeddedDefaultModel.Outcome.IMPORTED) {
            System.out.printf("base model   %s (imported from the bundled ONNX file)%n",
                    AdapterRegistry.modelPrefix(BundledAssets.MODEL_ID));
        }
        String bootstrapServers = ConfigProvider.getConfig().getValue("kafka.bootstrap.servers", String.class);
        System.out.printf("adapterloop: serving (Kafka %s, bucket '%s' at %s, HTTP port %d)%n", bootstrapServers,
                registry.store().bucket(), registry.store().settings().endpoint(), httpPort);
        System.out.flush();
        Quarkus.waitForExit();
        return 0;
    }
}
