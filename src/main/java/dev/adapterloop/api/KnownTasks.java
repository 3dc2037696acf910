package dev.adapterloop.api;

import dev.adapterloop.registry.AdapterRegistry;
import dev.adapterloop.config.TaskCatalogue;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SortedSet;

/**
 * Which tasks exist: those configured ({@code adapterloop.tasks.*}) or defined in the bucket (the catalogue), and those
 * with adapters or aliases in the bucket (trained under an older configuration, say). Anything else is a 404, so that
 * a typo cannot create state.
 */
@ApplicationScoped
public class KnownTasks {
    /** One task as {@code GET /api/tasks} lists it. */
    public record TaskInfo(String name, boolean configured, boolean stored) {
    }

    private final AdapterRegistry registry;
    private final TaskCatalogue tasks;
    private final Set<String> foundStored = java.util.concurrent.ConcurrentHashMap.newKeySet();

    KnownTasks(AdapterRegistry registry, TaskCatalogue tasks) {
        this.registry = registry;
        this.tasks = tasks;
    }

    public List<TaskInfo> list() {
        SortedSet<String> stored = registry.listTasks();
        Set<String> configured = tasks.tasks().keySet();
        SortedSet<String> all = new java.util.TreeSet<>(stored);
        all.addAll(configured);
        List<TaskInfo> out = new ArrayList<>();
        for (String name : all) {
            out.add(new TaskInfo(name, configured.contains(name), stored.contains(name)));
        }
        return out;
    }

    /**
     * Returns {@code task} if it is a valid name (else 400) of a known task (else 404). A task found in the bucket is
     * remembered: nothing deletes a task's folders, so its next requests need no listing (the console's pages ask
     * about one task many times a second).
     */
    public String require(String task) {
        AdapterRegistry.requireName("task", task);
        if (tasks.tasks().containsKey(task) || foundStored.contains(task)) {
            return task;
        }
        if (registry.listTasks().contains(task)) {
            foundStored.add(task);
        } else {
            throw ApiProblem.unknownTask(task, "task '" + task + "' is neither configured (adapterloop.tasks." + task
                    + ".*) nor in the bucket");
        }
        return task;
    }
}
