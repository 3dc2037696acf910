package dev.adapterloop.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.adapterloop.config.TaskProperties;
import dev.adapterloop.tasks.TaskDefinitionRefused;
import dev.adapterloop.tasks.TaskDefinitions;
import io.quarkus.arc.Unremovable;
import jakarta.enterprise.context.Dependent;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Task definitions in the bucket ({@link TaskDefinitions}), talking to the bucket directly as {@code promote} does;
 * every replica of the running service picks a change up within its catalogue's refresh interval. A change is
 * recorded with the principal {@code cli:<operating-system user>}.
 */
@Dependent
@Unremovable
@Command(name = "task", sortOptions = false, synopsisSubcommandLabel = "(put | get)",
        subcommands = {TaskCommand.Put.class, TaskCommand.Get.class},
        description = "Reads and writes task definitions (tasks/<task>/task.json): the settings of "
                + "adapterloop.tasks.<task>.* as JSON, which win over configuration once they exist.")
public class TaskCommand implements Callable<Integer> {

    static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY);

    @Mixin
    HelpOption help = new HelpOption();

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        throw new CommandLine.ParameterException(spec.commandLine(), "Missing subcommand: put or get");
    }

    @Dependent
    @Unremovable
    @Command(name = "put", sortOptions = false,
            description = {"Creates a task's definition, or replaces the version named by --if-match. The file holds "
                    + "the task's settings as a JSON object, nested or dotted: {\"labels\": [\"ham\", \"spam\"], "
                    + "\"adapter\": {\"rank\": 8}}; keys left out take their defaults (docs/configuration.md).",
                    "Refused: settings that are no task (exit 4, each setting named), a stale or missing --if-match, "
                            + "or labels other than the champion's (exit 6)."})
    public static class Put implements Callable<Integer> {

        @Mixin
        HelpOption help = new HelpOption();

        @Option(names = "--task", required = true, paramLabel = "TASK", description = "Task name.")
        String task;

        @Option(names = "--file", required = true, paramLabel = "FILE", description = "The settings, a JSON file.")
        Path file;

        @Option(names = "--if-match", paramLabel = "VERSION",
                description = "The version it replaces ('task get' shows it); leave out to create the definition.")
        Long ifMatch;

        @Inject
        TaskDefinitions definitions;

        @Override
        public Integer call() throws IOException {
            JsonNode settings = read(file);
            TaskDefinitions.Definition written;
            try {
                written = definitions.put(task, settings, ifMatch, PromoteCommand.principal());
            } catch (TaskProperties.InvalidSettingsException e) {
                throw CliException.badInput("task '" + task + "': " + e.getMessage());
            } catch (TaskDefinitionRefused e) {
                throw new CliException(e.reason() == TaskDefinitionRefused.Reason.UNKNOWN_TASK ? ExitCodes.NOT_FOUND
                        : ExitCodes.CONFLICT, e.getMessage());
            }
            System.out.printf("task %s: definition version %d written%n", written.task(), written.version());
            return ExitCodes.OK;
        }

        private static JsonNode read(Path file) throws IOException {
            if (!Files.isRegularFile(file)) {
                throw new NoSuchFileException(file.toString(), null, "no such file");
            }
            long size = Files.size(file);
            if (size > TaskDefinitions.MAX_DEFINITION_BYTES) {
                throw CliException.badInput(file + " is " + size + " bytes; a task definition is at most "
                        + TaskDefinitions.MAX_DEFINITION_BYTES);
            }
            try {
                return JSON.readTree(Files.readAllBytes(file));
            } catch (JsonProcessingException e) {
                throw CliException.badInput(file + " is not JSON: " + e.getOriginalMessage());
            }
        }
    }

    @Dependent
    @Unremovable
    @Command(name = "get", sortOptions = false,
            description = {"Prints a task's definition as JSON: the bucket's (source bucket, its version) or, until "
                    + "there is one, the configured one (source configuration, version 0).",
                    "Exit 3 when the task has neither."})
    public static class Get implements Callable<Integer> {

        @Mixin
        HelpOption help = new HelpOption();

        @Option(names = "--task", required = true, paramLabel = "TASK", description = "Task name.")
        String task;

        @Inject
        TaskDefinitions definitions;

        @Override
        public Integer call() throws JsonProcessingException {
            TaskDefinitions.Definition definition = definitions.get(task).orElseThrow(() -> CliException.notFound(
                    "task '" + task + "' has no definition in the bucket and is not configured"));
            System.out.println(JSON.writeValueAsString(definition));
            return ExitCodes.OK;
        }
    }
}
