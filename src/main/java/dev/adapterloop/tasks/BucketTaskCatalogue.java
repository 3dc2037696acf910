package dev.adapterloop.tasks;

import dev.adapterloop.config.TaskCatalogue;
import dev.adapterloop.config.TaskProperties;
import dev.adapterloop.config.TasksConfig;
import dev.adapterloop.registry.AdapterRegistry;
import dev.adapterloop.registry.ObjectInfo;
import dev.adapterloop.registry.ObjectStore;
import dev.adapterloop.registry.PipelineRecords;
import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The service's {@link TaskCatalogue}: the configured tasks, each replaced by the bucket's definition of it where one
 * exists, plus the tasks only the bucket defines. Every replica re-reads {@code tasks/*}{@code /task.json} every
 * {@code adapterloop.task-catalogue.refresh-interval} (a HEAD per task; a body only when its ETag changed), and the
 * replica that writes a definition reloads it at once; so a task created or changed through the API runs everywhere
 * within that interval, without a restart. A definition in the bucket that does not pass {@link TaskRules} (written
 * by hand, or by a newer version) is logged and ignored: the task keeps what it ran on before.
 */
@ApplicationScoped
public class BucketTaskCatalogue implements TaskCatalogue {

    /** What a bucket definition mapped to, and the ETag it was read at. */
    private record Loaded(String etag, long version, TasksConfig.Task task) {
    }

    private final TasksConfig configured;
    private final ObjectStore store;
    private final PipelineRecords records;
    private final Map<String, Loaded> fromBucket = new ConcurrentHashMap<>();
    /** ETags of definitions that failed their check: logged once, not every refresh. */
    private final Map<String, String> refused = new ConcurrentHashMap<>();
    private volatile Map<String, TasksConfig.Task> snapshot;

    BucketTaskCatalogue(TasksConfig configured, AdapterRegistry registry, PipelineRecords records) {
        this.configured = configured;
        this.store = registry.store();
        this.records = records;
        this.snapshot = Map.copyOf(configured.tasks());
        try {
            refresh();
        } catch (RuntimeException e) { // the bucket may come up later; the next refresh reads it
            Log.warnf("task catalogue: the bucket's task definitions could not be read yet, running on the "
                    + "configured tasks %s until they can: %s", configured.tasks().keySet(), e.getMessage());
        }
    }

    @Override
    public Map<String, TasksConfig.Task> tasks() {
        return snapshot;
    }

    /** Re-reads every definition whose ETag changed, and drops those removed from the bucket. */
    @Scheduled(every = "${adapterloop.task-catalogue.refresh-interval:5s}",
            delayed = "${adapterloop.task-catalogue.refresh-interval:5s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    public synchronized void refresh() {
        Set<String> seen = new TreeSet<>();
        for (String task : store.listFolders("tasks/")) {
            if (AdapterRegistry.isName(task) && load(task)) {
                seen.add(task);
            }
        }
        fromBucket.keySet().retainAll(seen);
        publish();
    }

    /** Reads one task's definition now: called by the replica that just wrote it. */
    public synchronized void reload(String task) {
        if (!load(task)) {
            fromBucket.remove(task);
        }
        publish();
    }

    /** The version of the bucket's definition this replica runs, if it runs one. */
    public Optional<Long> versionInForce(String task) {
        return Optional.ofNullable(fromBucket.get(task)).map(Loaded::version);
    }

    /** True when the bucket holds a definition for the task (valid or kept from before). */
    private boolean load(String task) {
        String key = TaskDocument.key(task);
        Optional<ObjectInfo> info = store.stat(key);
        if (info.isEmpty()) {
            return false;
        }
        Loaded known = fromBucket.get(task);
        if (known != null && known.etag().equals(info.get().etag())
                || info.get().etag().equals(refused.get(task))) {
            return true;
        }
        try {
            Optional<PipelineRecords.Tagged<TaskDocument>> read = records.readTagged(key, TaskDocument.class);
            if (read.isEmpty()) {
                return false;
            }
            TaskDocument document = read.get().value();
            TasksConfig.Task mapped = TaskRules.check(task, TaskDefinitions.keys(document));
            fromBucket.put(task, new Loaded(read.get().etag(), document.version(), mapped));
            refused.remove(task);
            if (configured.tasks().containsKey(task)) {
                Log.infof("task %s: runs on the bucket's definition (version %d); its configuration "
                        + "(adapterloop.tasks.%s.*) was only the seed", task, document.version(), task);
            } else {
                Log.infof("task %s: definition version %d from the bucket", task, document.version());
            }
        } catch (TaskProperties.InvalidSettingsException | IllegalStateException e) {
            refused.put(task, info.get().etag());
            Log.errorf("task %s: the bucket's definition %s is not valid and is ignored (the task keeps what it ran "
                    + "on before): %s", task, key, e.getMessage());
        }
        return true;
    }

    private void publish() {
        Map<String, TasksConfig.Task> next = new HashMap<>(configured.tasks());
        fromBucket.forEach((name, loaded) -> next.put(name, loaded.task()));
        snapshot = Map.copyOf(next);
    }
}
