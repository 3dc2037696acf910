package dev.adapterloop.cli;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParseResult;

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
 *   <li>{@code train}'s hyperparameter options become the task's configuration keys
 *   ({@code adapterloop.tasks.<task>.adapter.rank}, ...), so the job runner trains exactly as the service would with
 *   that configuration.</li>
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

    /**
     * @param config the launcher's view of the configuration ({@link LauncherConfig#get}), to tell a configured task
     *               from an unknown one (whose overrides would make an incomplete task and stop Quarkus from starting)
     */
    static LaunchPlan of(String[] args, Function<String, String> config) {
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
            case TrainCommand.NAME -> {
                Map<String, String> properties = new LinkedHashMap<>(NOT_A_REPLICA);
                properties.putAll(trainOverrides(sub, config));
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

    private static Map<String, String> trainOverrides(ParseResult train, Function<String, String> config) {
        String task = train.matchedOptionValue(TrainCommand.TASK_OPTION, TrainCommand.DEFAULT_TASK);
        Map<String, String> properties = new LinkedHashMap<>();
        if (config.apply(TrainCommand.configPrefix(task) + "labels") == null) {
            return properties; // unknown task: the command says so (exit 3) instead of Quarkus failing to start
        }
        for (OptionSpec option : train.matchedOptions()) {
            String key = TrainCommand.OVERRIDES.get(option.longestName());
            if (key != null) {
                properties.put(TrainCommand.configPrefix(task) + key, String.valueOf((Object) option.getValue()));
            }
        }
        return properties;
    }
}
