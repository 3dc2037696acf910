package dev.adapterloop.tasks;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.adapterloop.config.TaskKind;
import dev.adapterloop.config.TaskProperties;
import dev.adapterloop.config.TasksConfig;
import dev.adapterloop.events.AdapterManifest;
import dev.adapterloop.registry.AdapterRegistry;
import dev.adapterloop.registry.AliasStore;
import dev.adapterloop.registry.AliasTarget;
import dev.adapterloop.registry.CorruptObjectException;
import dev.adapterloop.registry.ObjectStore;
import dev.adapterloop.registry.PipelineRecords;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.locks.ReentrantLock;
import org.eclipse.microprofile.config.Config;

/**
 * Reads and writes task definitions ({@link TaskDocument}) for the API and the command line.
 *
 * <p>Precedence: the bucket's definition of a task, once it exists, is the task's whole definition; configuration
 * ({@code adapterloop.tasks.<task>.*}) is the seed for a task the bucket has none of. Nothing is merged key by key, so
 * what {@link #get} shows is exactly what runs. A change is checked by {@link TaskRules}, then written by
 * compare-and-set: the caller names the version it read (If-Match), and loses if anyone wrote since. The write is
 * serialised within the JVM as well, because s3proxy (the embedded S3) checks a condition and writes in two steps
 * (docs/registry.md).
 *
 * <p>A task's labels cannot change while its champion was trained for other ones (nor a classification task become a
 * generation task, or the reverse): the champion's head answers with its own labels, and new jobs that warm-start from
 * it, replay its data and are gated against it would compare different things. Clear the champion alias first
 * (deliberately, with its reason in the alias history), or create a task under a new name.
 */
@ApplicationScoped
public class TaskDefinitions {

    /** The largest definition accepted, as JSON: far above any real one, small enough to keep in every replica. */
    public static final int MAX_DEFINITION_BYTES = 64 * 1024;
    public static final String SOURCE_BUCKET = "bucket";
    public static final String SOURCE_CONFIGURATION = "configuration";

    /** Shared by every instance in this JVM: two over one bucket must not race either. */
    private static final ConcurrentMap<String, ReentrantLock> LOCKS = new ConcurrentHashMap<>();
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * A task's definition as {@code GET /api/tasks/{task}} shows it.
     *
     * @param version 0 for a task that runs on its configuration (no definition in the bucket yet)
     * @param source  {@value #SOURCE_BUCKET} or {@value #SOURCE_CONFIGURATION}
     */
    public record Definition(String task, long version, String source, String updatedAt, String updatedBy,
                             JsonNode settings) {
    }

    private final ObjectStore store;
    private final PipelineRecords records;
    private final AdapterRegistry registry;
    private final AliasStore aliases;
    private final TasksConfig configured;
    private final Config config;
    private final BucketTaskCatalogue catalogue;
    private final Clock clock = Clock.systemUTC();

    TaskDefinitions(AdapterRegistry registry, PipelineRecords records, AliasStore aliases, TasksConfig configured,
            Config config, BucketTaskCatalogue catalogue) {
        this.store = registry.store();
        this.records = records;
        this.registry = registry;
        this.aliases = aliases;
        this.configured = configured;
        this.config = config;
        this.catalogue = catalogue;
    }

    /** The bucket's definition, else the configured one; empty for a task that has neither. */
    public Optional<Definition> get(String task) {
        AdapterRegistry.requireName("task", task);
        return stored(task).map(tagged -> definition(tagged.value()))
                .or(() -> configuredSettings(task).map(settings ->
                        new Definition(task, 0, SOURCE_CONFIGURATION, null, null, settings)));
    }

    /**
     * Creates the task's definition in the bucket ({@code expectedVersion} null) or replaces version
     * {@code expectedVersion} of it; every replica runs the new definition within its catalogue's refresh interval
     * (this one at once).
     *
     * @param settings the keys of {@code adapterloop.tasks.<task>.*} as a JSON object (nested or dotted)
     * @throws dev.adapterloop.registry.InvalidNameException a task name that cannot be a key
     * @throws TaskProperties.InvalidSettingsException settings that are not a task every stage can run
     * @throws TaskDefinitionRefused a stale or missing expected version, or labels the champion was not trained for
     */
    public Definition put(String task, JsonNode settings, Long expectedVersion, String principal) {
        AdapterRegistry.requireName("task", task);
        TasksConfig.Task checked = TaskRules.check(task, TaskSettingsJson.flatten(settings));
        ReentrantLock lock = lockOf(task);
        lock.lock();
        try {
            Optional<PipelineRecords.Tagged<TaskDocument>> current = stored(task);
            requireExpectedVersion(task, current.map(t -> t.value().version()), expectedVersion);
            requireChampionCompatible(task, checked);
            long version = current.map(t -> t.value().version()).orElseGet(() -> lastHistoryVersion(task)) + 1;
            TaskDocument next = new TaskDocument(TaskDocument.SCHEMA_VERSION, task, version,
                    Instant.now(clock).toString(), principal, ((ObjectNode) settings).deepCopy());
            byte[] bytes = bytes(next);
            String key = TaskDocument.key(task);
            boolean written = current.isPresent()
                    ? store.putIfMatch(key, bytes, "application/json", current.get().etag())
                    : store.putIfAbsent(key, bytes, "application/json");
            if (!written) { // another process wrote between our read and our write
                throw new TaskDefinitionRefused(TaskDefinitionRefused.Reason.STALE, task,
                        stored(task).map(t -> t.value().version()).orElse(null),
                        "task '" + task + "' was changed by someone else meanwhile: read it again and decide again");
            }
            store.put(TaskDocument.historyKey(task, version), bytes, "application/json");
            Log.infof("task %s: definition version %d written by %s", task, version, principal);
            reloadCatalogue(task);
            return definition(next);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Removes the bucket's definition of version {@code expectedVersion}: the task runs on its configuration again,
     * or, with none, is unknown from the next refresh on. Refused while the task has adapter versions (they were
     * trained on it, and serving, the gate and new jobs still need it). Its history stays, and a definition created
     * later continues its version numbers, so that an old ETag never matches a new definition.
     *
     * @throws TaskDefinitionRefused no definition in the bucket, a stale or missing expected version, versions
     */
    public void delete(String task, Long expectedVersion, String principal) {
        AdapterRegistry.requireName("task", task);
        ReentrantLock lock = lockOf(task);
        lock.lock();
        try {
            Optional<PipelineRecords.Tagged<TaskDocument>> current = stored(task);
            if (current.isEmpty()) {
                throw new TaskDefinitionRefused(TaskDefinitionRefused.Reason.UNKNOWN_TASK, task, null, "task '"
                        + task + "' has no definition in the bucket to remove");
            }
            requireExpectedVersion(task, current.map(t -> t.value().version()), expectedVersion);
            List<String> versions = registry.listVersions(task);
            if (!versions.isEmpty()) {
                throw new TaskDefinitionRefused(TaskDefinitionRefused.Reason.HAS_VERSIONS, task,
                        current.get().value().version(), "task '" + task + "' has " + versions.size()
                        + " adapter version(s) trained on its definition (" + versions.getFirst() + ", ...): a "
                        + "definition is removed only from a task without versions");
            }
            // No conditional delete in S3's common subset: the ETag was checked under this JVM's lock just above.
            store.delete(TaskDocument.key(task));
            Log.infof("task %s: definition version %d removed by %s", task, current.get().value().version(),
                    principal);
            reloadCatalogue(task);
        } finally {
            lock.unlock();
        }
    }

    /** The change is made: a failed reload only delays it here until the next refresh, so it is not an error. */
    private void reloadCatalogue(String task) {
        try {
            catalogue.reload(task);
        } catch (RuntimeException e) {
            Log.warnf("task %s: definition written, but this replica's catalogue could not reload it now (the next "
                    + "refresh will): %s", task, e.getMessage());
        }
    }

    private ReentrantLock lockOf(String task) {
        return LOCKS.computeIfAbsent(store.settings().endpoint() + "|" + store.bucket() + "|" + task,
                k -> new ReentrantLock());
    }

    /** The highest version in the task's history; 0 when it has none. */
    private long lastHistoryVersion(String task) {
        String prefix = AdapterRegistry.taskPrefix(task) + TaskDocument.HISTORY;
        return store.list(prefix).stream().map(key -> key.substring(prefix.length()).replace(".json", ""))
                .filter(name -> name.matches("\\d{1,18}")).mapToLong(Long::parseLong).max().orElse(0L);
    }

    /** @throws CorruptObjectException a definition that does not read as one (written by hand): someone must look */
    private Optional<PipelineRecords.Tagged<TaskDocument>> stored(String task) {
        String key = TaskDocument.key(task);
        try {
            return records.readTagged(key, TaskDocument.class);
        } catch (IllegalStateException e) {
            throw new CorruptObjectException(key, "not a task definition: " + e.getMessage(), e);
        }
    }

    private static void requireExpectedVersion(String task, Optional<Long> current, Long expected) {
        if (current.isEmpty() && expected != null) {
            throw new TaskDefinitionRefused(TaskDefinitionRefused.Reason.STALE, task, null, "task '" + task
                    + "' has no definition in the bucket (it runs on its configuration, if any), so version "
                    + expected + " cannot be replaced: send the definition without If-Match to create it");
        }
        if (current.isPresent() && expected == null) {
            throw new TaskDefinitionRefused(TaskDefinitionRefused.Reason.VERSION_REQUIRED, task, current.get(),
                    "task '" + task + "' has a definition in the bucket (version " + current.get() + "): send "
                            + "If-Match: \"" + current.get() + "\" (the ETag of GET /api/tasks/" + task
                            + "; --if-match " + current.get() + " on the command line) to replace it");
        }
        if (current.isPresent() && !current.get().equals(expected)) {
            throw new TaskDefinitionRefused(TaskDefinitionRefused.Reason.STALE, task, current.get(), "task '" + task
                    + "' is at version " + current.get() + ", not " + expected + ": read it again and decide again");
        }
    }

    private void requireChampionCompatible(String task, TasksConfig.Task next) {
        Optional<AliasTarget> champion = aliases.read(task).alias(AliasStore.CHAMPION);
        if (champion.isEmpty()) {
            return;
        }
        AdapterManifest manifest;
        try {
            manifest = registry.manifest(task, champion.get().version()).orElse(null);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (manifest == null) {
            return; // a champion without a manifest serves nothing; the definition cannot break it
        }
        TaskKind championKind = manifest.generates() ? TaskKind.GENERATION : TaskKind.CLASSIFICATION;
        List<String> championLabels = manifest.labels() == null ? List.of() : manifest.labels();
        String why = null;
        if (championKind != next.kind()) {
            why = "a " + championKind.wireName() + " version, and the definition makes it a " + next.kind().wireName()
                    + " task";
        } else if (next.kind() == TaskKind.CLASSIFICATION && !championLabels.equals(next.labels())) {
            why = "trained for labels " + championLabels + ", not " + next.labels();
        }
        if (why != null) {
            throw new TaskDefinitionRefused(TaskDefinitionRefused.Reason.LABELS_IN_USE, task, null, "task '" + task
                    + "' has champion " + champion.get().version() + ", " + why + ": clear the champion alias "
                    + "first (PUT /api/tasks/" + task + "/aliases/champion with version null), or define a new task");
        }
    }

    /** A configured task's keys as configuration holds them, active profile applied. */
    private Optional<JsonNode> configuredSettings(String task) {
        if (!configured.tasks().containsKey(task)) {
            return Optional.empty();
        }
        String prefix = TaskProperties.PREFIX + task + ".";
        Map<String, String> keys = new TreeMap<>();
        for (String name : config.getPropertyNames()) {
            if (name.startsWith(prefix)) {
                config.getOptionalValue(name, String.class).ifPresent(value ->
                        keys.put(name.substring(prefix.length()), value));
            }
        }
        ObjectNode settings = JSON.createObjectNode();
        keys.forEach(settings::put);
        return Optional.of(settings);
    }

    private static Definition definition(TaskDocument document) {
        return new Definition(document.task(), document.version(), SOURCE_BUCKET, document.updatedAt(),
                document.updatedBy(), document.settings());
    }

    private static byte[] bytes(TaskDocument document) {
        try {
            return JSON.writeValueAsBytes(document);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The settings keys of a definition, for code that maps them again (the catalogue). */
    static Map<String, String> keys(TaskDocument document) {
        return TaskSettingsJson.flatten(document.settings());
    }
}
