package dev.adapterloop.cli;

import dev.adapterloop.embedded.EmbeddedInfrastructure;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;

/**
 * Entry point. Before Quarkus starts (and its Kafka connector reads {@code kafka.bootstrap.servers}), it starts an
 * embedded Kafka broker and S3 server for whichever endpoint is not configured, and hands their addresses to the
 * application as system properties. With both endpoints configured nothing embedded starts.
 */
@QuarkusMain
public final class AdapterloopMain {

    public static void main(String... args) {
        EngineDefaults.apply();
        int[] exitCode = {0};
        try (EmbeddedInfrastructure infrastructure = EmbeddedInfrastructure.start(LauncherConfig::get)) {
            infrastructure.systemProperties().forEach(System::setProperty);
            Quarkus.run(QuickstartCommand.class, (code, failure) -> {
                exitCode[0] = code;
                if (failure != null) {
                    failure.printStackTrace();
                }
            }, args);
        }
        System.exit(exitCode[0]);
    }
}
