package dev.adapterloop.cli;

import dev.adapterloop.embedded.EmbeddedInfrastructure;
import io.quarkus.runtime.ApplicationLifecycleManager;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import picocli.CommandLine;

/**
 * Entry point. Before Quarkus starts (and reads its configuration once), it looks at the command line
 * ({@link LaunchPlan}): batch commands run with the service's consumer, scheduler and HTTP listener off, and
 * {@code train}'s hyperparameter options become configuration. Then it starts an embedded Kafka broker (only for
 * commands that use Kafka) and S3 server for whichever endpoint is not configured, and hands their addresses to the
 * application as system properties. With both endpoints configured nothing embedded starts.
 */
@QuarkusMain
public final class AdapterloopMain {
    /** How long a SIGTERM waits for the embedded servers to close after the application stopped. */
    static final int STOP_GRACE_SECONDS = 30;

    public static void main(String... args) {
        EngineDefaults.apply();
        // Quarkus' own handler exits the JVM; a test harness that launches this main installs one that records the
        // code instead. Either way it is told only after the embedded servers have stopped.
        BiConsumer<Integer, Throwable> exit = ApplicationLifecycleManager.getDefaultExitCodeHandler();
        Optional<Integer> answered = answerWithoutStarting(args);
        if (answered.isPresent()) {
            exit.accept(answered.get(), null);
            return;
        }
        LaunchPlan plan = LaunchPlan.of(args);
        Map<String, String> previous = new HashMap<>();
        int[] exitCode = {0};
        Throwable[] failure = {null};
        try {
            plan.systemProperties().forEach((key, value) -> previous.put(key, System.setProperty(key, value)));
            EmbeddedInfrastructure.Plan embedded = EmbeddedInfrastructure.Plan.from(LauncherConfig::get);
            if (!plan.needsKafka()) {
                embedded = new EmbeddedInfrastructure.Plan(Optional.empty(), embedded.s3());
            }
            if (!embedded.isEmpty() && !EmbeddedInfrastructure.available()) {
                System.err.println("adapterloop: " + EmbeddedInfrastructure.unavailableMessage(embedded));
                exit.accept(ExitCodes.USAGE, null);
                return;
            }
            CountDownLatch stopped = new CountDownLatch(1);
            Thread awaitStop = awaitOnShutdown(stopped);
            try (EmbeddedInfrastructure infrastructure = embedded.isEmpty() ? EmbeddedInfrastructure.none()
                    : EmbeddedInfrastructure.start(embedded)) {
                infrastructure.systemProperties().forEach(System::setProperty);
                Quarkus.run(AdapterloopCommand.class, (code, error) -> {
                    exitCode[0] = code;
                    failure[0] = error;
                    if (error != null) {
                        error.printStackTrace(); // e.g. a configuration error that stopped Quarkus from starting
                    }
                }, args);
            } finally {
                stopped.countDown();
                removeShutdownHook(awaitStop);
            }
        } finally {
            // Matters only when this main runs more than once in a JVM (tests): no command inherits another's.
            previous.forEach((key, value) -> {
                if (value == null) {
                    System.clearProperty(key);
                } else {
                    System.setProperty(key, value);
                }
            });
        }
        exit.accept(exitCode[0], failure[0]);
    }

    /**
     * On SIGTERM or Ctrl-C the JVM halts as soon as its shutdown hooks are done, and Quarkus' hook is done once the
     * application has stopped: without this hook the embedded broker and S3 server, closed by {@code main} only after
     * {@code Quarkus.run} returns, were cut off mid-close. An unclean broker stop costs the next start on the same
     * {@code data/} its log recovery and ~9 s more, until the controller expired the old broker's session
     * (BENCHMARKS.md, time to ready). This hook holds the JVM until {@code main} has closed them, at most
     * {@value #STOP_GRACE_SECONDS} s.
     */
    private static Thread awaitOnShutdown(CountDownLatch stopped) {
        Thread hook = new Thread(() -> {
            try {
                stopped.await(STOP_GRACE_SECONDS, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "adapterloop-embedded-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        return hook;
    }

    private static void removeShutdownHook(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shutdownInProgress) {
            // the hook is running or about to: it returns at once, the latch is open
        }
    }

    /**
     * A command line that does not parse, and a help or version request, need nothing started: answering them
     * before Quarkus, the broker and the S3 server start makes them instant. Commands are created by picocli here,
     * not by CDI; only their annotations are read.
     */
    static Optional<Integer> answerWithoutStarting(String[] args) {
        CommandLine commandLine = AdapterloopCommand.commandLine(CommandLine.defaultFactory());
        try {
            CommandLine.ParseResult parsed = commandLine.parseArgs(args);
            if (parsed.subcommand() != null && parsed.subcommand().commandSpec().userObject()
                    instanceof CommandLine.HelpCommand) {
                return Optional.of(commandLine.execute(args)); // 'adapterloop help train'
            }
            Integer help = CommandLine.executeHelpRequest(parsed);
            return Optional.ofNullable(help);
        } catch (CommandLine.ParameterException e) {
            try {
                return Optional.of(commandLine.getParameterExceptionHandler().handleParseException(e, args));
            } catch (Exception unexpected) {
                return Optional.of(ExitCodes.USAGE);
            }
        }
    }
}
