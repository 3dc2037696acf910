package dev.adapterloop.cli;

import io.quarkus.runtime.QuarkusApplication;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * The {@code adapterloop} program: with no command it runs the bundled job ({@code quickstart}), as it always has;
 * the subcommands are the batch mode and the service. Subcommands are CDI beans ({@link CdiFactory}); their failures
 * become the exit codes of {@link ExitCodes}, with a one-line message (a stack trace only for unexpected errors).
 */
@Singleton
@Command(name = "adapterloop", mixinStandardHelpOptions = true, versionProvider = AdapterloopCommand.Version.class,
        subcommands = {QuickstartCommand.class, ServeCommand.class, TrainCommand.class, EvaluateCommand.class,
                PromoteCommand.class, ExportCommand.class, ImportModelCommand.class, RetryCommand.class,
                ReplayDlqCommand.class, TaskCommand.class, CommandLine.HelpCommand.class},
        description = {"Fine-tunes LoRA-family adapters and keeps them in an S3 registry.",
                "Without a command: runs the bundled end-to-end job (same as 'quickstart').",
                "Configuration (Kafka, S3, tasks) comes from application.properties, environment variables "
                        + "(KAFKA_BOOTSTRAP_SERVERS, ADAPTERLOOP_S3_ENDPOINT, ...) and -D system properties; with no "
                        + "endpoint configured, an embedded Kafka broker and S3 server start (see docs/cli.md)."})
public class AdapterloopCommand implements QuarkusApplication, Callable<Integer> {

    /** Listed under every command's help. */
    static final Map<String, String> EXIT_CODES = exitCodes();

    @Mixin
    QuickstartOptions quickstartOptions = new QuickstartOptions();

    @Inject
    QuickstartCommand quickstart;

    @Override
    public int run(String... args) {
        return commandLine(new CdiFactory()).execute(args);
    }

    @Override
    public Integer call() throws Exception {
        return quickstart.run(quickstartOptions);
    }

    /** The command tree with adapterloop's error handling; {@code factory} builds the command objects. */
    static CommandLine commandLine(CommandLine.IFactory factory) {
        CommandLine commandLine = new CommandLine(AdapterloopCommand.class, factory);
        commandLine.setExecutionExceptionHandler(AdapterloopCommand::handle);
        commandLine.setParameterExceptionHandler(AdapterloopCommand::usageError);
        commandLine.setUsageHelpAutoWidth(true);
        exitCodeList(commandLine);
        return commandLine;
    }

    private static void exitCodeList(CommandLine commandLine) {
        commandLine.getCommandSpec().usageMessage().exitCodeListHeading("%nExit codes:%n").exitCodeList(EXIT_CODES);
        commandLine.getSubcommands().values().forEach(AdapterloopCommand::exitCodeList);
    }

    private static int handle(Exception failure, CommandLine command, CommandLine.ParseResult parsed) {
        int code = ExitCodes.of(failure);
        PrintWriter err = command.getErr();
        err.printf("adapterloop %s: %s%n", command.getCommandName(), message(failure));
        if (code == ExitCodes.FAILED && !(failure instanceof CliException)) {
            failure.printStackTrace(err); // unexpected: the trace is what a bug report needs
        } else if (code == ExitCodes.USAGE) {
            err.printf("Try 'adapterloop %s --help'.%n", command.getCommandName());
        }
        err.flush();
        return code;
    }

    /** The error and where to read more; the whole usage text would bury the one line that matters. */
    private static int usageError(CommandLine.ParameterException failure, String[] args) {
        CommandLine command = failure.getCommandLine();
        PrintWriter err = command.getErr();
        err.printf("adapterloop: %s%n", failure.getMessage());
        CommandLine.UnmatchedArgumentException.printSuggestions(failure, err);
        err.printf("Try '%s --help'.%n", command.getCommandSpec().qualifiedName());
        err.flush();
        return ExitCodes.USAGE;
    }

    private static String message(Throwable failure) {
        String message = failure.getMessage();
        return message == null || message.isBlank() ? failure.getClass().getSimpleName() : message;
    }

    private static Map<String, String> exitCodes() {
        Map<String, String> codes = new LinkedHashMap<>();
        codes.put("0", "done");
        codes.put("1", "the job failed (training diverged, out of memory, internal error) or timed out");
        codes.put("2", "usage error: unknown command or option, bad option value");
        codes.put("3", "not found: task, version, alias, dataset key, base model or local file");
        codes.put("4", "bad input: malformed JSONL (the line is named), unknown label, corrupt model or "
                + "adapter file, adapter with no form for the requested export");
        codes.put("5", "storage unavailable: the S3 bucket could not be reached, even after retries");
        codes.put("6", "conflict: the aliases moved since the expected generation, or the model id is taken");
        return codes;
    }

    /** The build's version (the jar's Implementation-Version), or {@code dev} when run from classes. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = AdapterloopCommand.class.getPackage().getImplementationVersion();
            return new String[] {"adapterloop " + (version != null ? version : "dev")};
        }
    }
}
