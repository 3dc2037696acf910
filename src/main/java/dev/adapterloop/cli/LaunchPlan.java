package dev.adapterloop.cli;

import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine;

/**
 * What the launcher must arrange before Quarkus starts, decided from the command line alone (Quarkus reads its
 * configuration once, at start):
 * <ul>
 *   <li>{@code quickstart} (the default) and {@code serve} run the service: everything on, as before.</li>
 *   <li>Batch commands must not act as a service replica: the {@code labeled-data} consumer (which would take
 *   partitions and train other people's data), the max-wait trigger scheduler and the HTTP listener are off, and logs
 *   go to stderr so that stdout carries only the command's result.</li>
 *   <li>{@code train} publishes the same {@code adapter-training} / {@code adapter-evaluations} events as the service
 *   (its job runner does), so it needs Kafka: an embedded broker starts when none is configured. Every other batch
 *   command, {@code --help} and a command line that does not parse need no broker: their outgoing channels are off
 *   too and no embedded broker starts.</li>
 * </ul>
 */
record LaunchPlan(String command, boolean needsKafka, Map<String, String> systemProperties) {

    static final String DEFAULT_COMMAND = "quickstart";
    private static final Map<String, String> NOT_A_REPLICA = Map.of(
            "mp.messaging.incoming.labeled-data.enabled", "false",
            // nor a promotion replica (feedback and prediction records) or a server of predictions
            "mp.messaging.incoming.prediction-feedback.enabled", "false",
            "mp.messaging.incoming.prediction-stats.enabled", "false",
            "adapterloop.serving.enabled", "false",
            "mp.messaging.outgoing.feedback-labeled-data.enabled", "false",
            "quarkus.scheduler.enabled", "false",
            "quarkus.http.host-enabled", "false",
            // stdout carries the command's result (a version id, --json); logs go to stderr
            "quarkus.log.console.stderr", "true",
            // the disabled channels are intended: no "not connected" warning on every run
            "quarkus.log.category.\"io.smallrye.reactive.messaging.provider\".level", "ERROR");
    private static final Map<String, String> NO_EVENTS = Map.of(
            "mp.messaging.outgoing.adapter-training.enabled", "false",
            "mp.messaging.outgoing.adapter-evaluations.enabled", "false",
            "mp.messaging.outgoing.adapter-promotions.enabled", "false",
            "mp.messaging.outgoing.adapter-predictions.enabled", "false");

    LaunchPlan {
        systemProperties = Map.copyOf(systemProperties);
    }

    static LaunchPlan of(String[] args) {
        ParseResult parsed;
        try {
            parsed = AdapterloopCommand.commandLine(CommandLine.defaultFactory()).parseArgs(args);
        } catch (CommandLine.ParameterException e) {
            return offline("(usage error)"); // the application reports it, with exit code 2
        }
        if (helpRequested(parsed)) {
            return offline("(help)");
        }
        ParseResult sub = parsed.subcommand();
        String command = sub == null ? DEFAULT_COMMAND : sub.commandSpec().name();
        return switch (command) {
            case DEFAULT_COMMAND, ServeCommand.NAME -> new LaunchPlan(command, true, Map.of());
            case TrainCommand.NAME -> new LaunchPlan(command, true, NOT_A_REPLICA);
            // reads the dead-letter topic and publishes to labeled-data with its own clients; no channel of its own
            case ReplayDlqCommand.NAME -> {
                Map<String, String> properties = new LinkedHashMap<>(NOT_A_REPLICA);
                properties.putAll(NO_EVENTS);
                yield new LaunchPlan(command, true, properties);
            }
            default -> offline(command);
        };
    }

    private static LaunchPlan offline(String command) {
        Map<String, String> properties = new LinkedHashMap<>(NOT_A_REPLICA);
        properties.putAll(NO_EVENTS);
        return new LaunchPlan(command, false, properties);
    }

    private static boolean helpRequested(ParseResult parsed) {
        for (ParseResult p = parsed; p != null; p = p.subcommand()) {
            if (p.isUsageHelpRequested() || p.isVersionHelpRequested()) {
                return true;
            }
        }
        return false;
    }

}
