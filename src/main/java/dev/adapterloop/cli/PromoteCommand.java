package dev.adapterloop.cli;

import dev.adapterloop.registry.AdapterRegistry;
import dev.adapterloop.registry.AliasSnapshot;
import dev.adapterloop.registry.AliasStore;
import dev.adapterloop.registry.AliasTarget;
import io.quarkus.arc.Unremovable;
import jakarta.enterprise.context.Dependent;
import jakarta.inject.Inject;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Points an alias of a task at a version by compare-and-set on the task's aliases ({@link AliasStore}): the change
 * is recorded in the alias history with its reason and the principal {@code cli:<operating-system user>}, and
 * refused when someone else changed the aliases first. The command talks to the bucket directly: whoever holds the
 * bucket's credentials may run it, so the recorded user is what the process says it is, not an authenticated one.
 */
@Dependent
@Unremovable
@Command(name = "promote", sortOptions = false,
        description = {"Points an alias (champion, challenger) of a task at a version, by compare-and-set: the "
                + "change is refused (exit 6) when the task's aliases are no longer at the expected generation.",
                "Without --expected-generation the generation read just before is expected, which still refuses a "
                        + "concurrent change between the read and the write."})
public class PromoteCommand implements Callable<Integer> {

    @Mixin
    HelpOption help = new HelpOption();

    @Option(names = "--task", defaultValue = TrainCommand.DEFAULT_TASK, paramLabel = "TASK",
            description = "Task; default: ${DEFAULT-VALUE}.")
    String task;

    @Option(names = "--alias", defaultValue = "champion", paramLabel = "ALIAS",
            description = "Alias to set: champion or challenger; default: ${DEFAULT-VALUE}.")
    String alias;

    @Option(names = "--version", required = true, paramLabel = "VERSION",
            description = "Version id to point the alias at (or another alias, whose version is taken).")
    String version;

    @Option(names = "--reason", required = true, paramLabel = "TEXT",
            description = "Why (kept in the alias history; at most " + AliasStore.MAX_REASON_LENGTH + " characters).")
    String reason;

    @Option(names = "--expected-generation", paramLabel = "N", description = "Generation of the task's aliases the "
            + "change is based on (GET /tasks/<task>/aliases shows it).")
    Long expectedGeneration;

    @Inject
    AdapterRegistry registry;

    @Inject
    AliasStore aliases;

    @Override
    public Integer call() {
        String target = AdapterSource.resolve(registry, aliases, task, version);
        AliasSnapshot current = aliases.read(task);
        long expected = expectedGeneration != null ? expectedGeneration : current.generation();
        String before = current.alias(alias).map(AliasTarget::version).orElse("(unset)");
        if (!aliases.compareAndSet(task, expected, alias, target, reason, principal())) {
            throw new CliException(ExitCodes.CONFLICT, "the aliases of task '" + task + "' are at generation "
                    + aliases.read(task).generation() + ", not " + expected + ": read them again and decide again");
        }
        System.out.printf("%s of task %s: %s -> %s (generation %d)%n", alias, task, before, target, expected + 1);
        return ExitCodes.OK;
    }

    static String principal() {
        String user = System.getProperty("user.name", "");
        return "cli:" + (user.isBlank() ? "unknown" : user);
    }
}
