package dev.adapterloop.cli;

import java.time.Duration;
import picocli.CommandLine.Option;

/** The bundled job's options, accepted by {@code quickstart} and by the bare {@code adapterloop} that defaults to it. */
public class QuickstartOptions {

    @Option(names = "--serve", description = "Keep the service running after the job (Ctrl-C or SIGTERM stops it).")
    boolean serve;

    @Option(names = "--timeout", defaultValue = "PT3H", paramLabel = "DURATION", description = "Give up waiting for "
            + "the job after this ISO-8601 duration (default: ${DEFAULT-VALUE}).")
    Duration timeout = Duration.ofHours(3);
}
