package dev.adapterloop.intake;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.adapterloop.dataset.MalformedLinePolicy;
import dev.adapterloop.events.DatasetRef;
import dev.adapterloop.events.LabeledDataEvent;
import dev.adapterloop.registry.AdapterRegistry;
import dev.adapterloop.registry.ObjectInfo;
import dev.adapterloop.registry.ObjectKeys;
import dev.adapterloop.config.TaskKind;
import dev.adapterloop.config.TaskCatalogue;
import dev.adapterloop.config.TasksConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Accepts a labeled-data event, or says precisely why it cannot: not JSON, missing fields, a task that is not
 * configured, keys outside the task's dataset prefix, a key named twice, a held-out set the task does not let events
 * choose, objects that do not exist, are too large, do not match the announced sha256, hold no usable record, or (under
 * the task's reject policy) hold malformed lines.
 */
@ApplicationScoped
public class LabeledDataValidator {

    static final int MAX_PAYLOAD_BYTES = 64 * 1024;
    static final int MAX_DATASETS_PER_EVENT = 100;
    static final long MAX_DATASET_BYTES = 512L * 1024 * 1024;

    private final ObjectMapper json = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);
    private final TaskCatalogue tasks;
    private final AdapterRegistry registry;
    private final DatasetInspector inspector;

    public LabeledDataValidator(TaskCatalogue tasks, AdapterRegistry registry) {
        this.tasks = tasks;
        this.registry = registry;
        this.inspector = new DatasetInspector(registry, MAX_DATASET_BYTES);
    }

    public ValidatedEvent validate(String payload, String eventId, String eventType) throws InvalidEventException {
        if (eventType != null && !eventType.equals(LabeledDataEvent.TYPE)) {
            throw new InvalidEventException("ce_type is '" + eventType + "', expected " + LabeledDataEvent.TYPE);
        }
        LabeledDataEvent event = parse(payload);
        if (event.task() == null || event.task().isBlank()) {
            throw new InvalidEventException("event has no 'task'");
        }
        TasksConfig.Task task = tasks.tasks().get(event.task());
        if (task == null) {
            throw new InvalidEventException("unknown task '" + event.task() + "' (neither configured nor defined in "
                    + "the bucket); known tasks: " + new java.util.TreeSet<>(tasks.tasks().keySet()));
        }
        if (event.datasets() == null || event.datasets().isEmpty()) {
            throw new InvalidEventException("event has no 'datasets' (a list of {\"key\": ...})");
        }
        if (event.datasets().size() > MAX_DATASETS_PER_EVENT) {
            throw new InvalidEventException("event names " + event.datasets().size() + " datasets, at most "
                    + MAX_DATASETS_PER_EVENT + " are accepted");
        }
        // Configuration problems first: they need no round trip to the bucket.
        requireAllowedHeldOut(event, task);
        DatasetRef heldOutRef = event.heldOut() != null ? event.heldOut()
                : new DatasetRef(task.heldOutKey().orElseThrow(() -> new InvalidEventException("event has no"
                        + " 'heldOut' and task '" + event.task() + "' has no held-out-key configured")), null, null);
        MalformedLinePolicy policy = policy(task.intake().malformedLines());
        List<DatasetRef> checked = new ArrayList<>();
        Set<String> keys = new HashSet<>();
        for (DatasetRef ref : event.datasets()) {
            checked.add(checkDataset(event.task(), ref, "datasets"));
            // Twice the same data in one job would count its records twice and weigh its examples double.
            if (!keys.add(ref.key())) {
                throw new InvalidEventException("datasets: " + ref.key() + " is named more than once in one event");
            }
        }
        DatasetRef heldOut = checkDataset(event.task(), heldOutRef,
                event.heldOut() != null ? "heldOut" : "configured held-out set");
        if (checked.stream().anyMatch(ref -> ref.key().equals(heldOut.key()))) {
            throw new InvalidEventException("datasets: " + heldOut.key() + " is the held-out set; training on it"
                    + " would make every comparison between versions meaningless");
        }
        // Read only once every key passed: a bad key never costs a download.
        List<DatasetRef> datasets = new ArrayList<>();
        for (DatasetRef ref : checked) {
            datasets.add(task.kind() == TaskKind.GENERATION
                    ? inspector.inspectCompletions(event.task(), ref, "datasets", policy, task.intake().maxRecords())
                    : inspector.inspect(event.task(), ref, "datasets", task.labels(), policy,
                            task.intake().maxRecords()));
        }
        String id = eventId != null ? eventId : UUID.randomUUID().toString();
        return new ValidatedEvent(event.task(), id, datasets, heldOut);
    }

    /**
     * Versions of a task are compared on one held-out set, and a job evaluated on a set its publisher chose could be
     * made to pass the gate: an event may name another held-out set than the configured one only where the task
     * allows it.
     */
    private static void requireAllowedHeldOut(LabeledDataEvent event, TasksConfig.Task task)
            throws InvalidEventException {
        if (event.heldOut() == null || task.intake().allowEventHeldOut()) {
            return;
        }
        String named = event.heldOut().key();
        if (task.heldOutKey().isEmpty() || !task.heldOutKey().get().equals(named)) {
            throw new InvalidEventException("heldOut: the event names " + named + ", but task '" + event.task()
                    + "' evaluates on " + task.heldOutKey().map(key -> "its configured held-out set " + key)
                            .orElse("no held-out set it chose itself (no held-out-key configured)")
                    + "; events may name another only with adapterloop.tasks." + event.task()
                    + ".intake.allow-event-held-out=true");
        }
    }

    /** {@code intake.malformed-lines} as the policy it names; task definitions are checked with it too. */
    public static MalformedLinePolicy policy(String setting) {
        return switch (setting) {
            case "skip" -> MalformedLinePolicy.SKIP_AND_COUNT;
            case "reject" -> MalformedLinePolicy.REJECT_DATASET;
            default -> throw new IllegalStateException("intake.malformed-lines must be skip or reject, got '"
                    + setting + "'");
        };
    }

    private LabeledDataEvent parse(String payload) throws InvalidEventException {
        if (payload == null || payload.isBlank()) {
            throw new InvalidEventException("event has no data (empty Kafka record value)");
        }
        if (payload.length() > MAX_PAYLOAD_BYTES) {
            throw new InvalidEventException("event data is " + payload.length() + " characters, the limit is "
                    + MAX_PAYLOAD_BYTES);
        }
        try {
            JsonNode tree = json.readTree(payload);
            if (!tree.isObject()) {
                throw new InvalidEventException("event data must be a JSON object, got " + tree.getNodeType());
            }
            return json.treeToValue(tree, LabeledDataEvent.class);
        } catch (JsonProcessingException e) {
            throw new InvalidEventException("event data is not valid JSON: " + e.getOriginalMessage(), e);
        }
    }

    private DatasetRef checkDataset(String task, DatasetRef ref, String field) throws InvalidEventException {
        if (ref == null || ref.key() == null) {
            throw new InvalidEventException(field + ": an entry has no 'key'");
        }
        String prefix = AdapterRegistry.datasetPrefix(task);
        try {
            ObjectKeys.validate(ref.key(), prefix);
        } catch (IllegalArgumentException e) {
            throw new InvalidEventException(field + ": " + e.getMessage());
        }
        if (ref.sha256() != null && !ref.sha256().matches("[0-9a-fA-F]{64}")) {
            throw new InvalidEventException(field + ": sha256 of " + ref.key() + " is not 64 hex digits");
        }
        if (ref.records() != null && ref.records() < 1) {
            throw new InvalidEventException(field + ": records of " + ref.key() + " must be >= 1, got "
                    + ref.records());
        }
        Optional<ObjectInfo> info = registry.statDataset(task, ref.key());
        if (info.isEmpty()) {
            throw new InvalidEventException(field + ": dataset " + ref.key() + " does not exist in the bucket");
        }
        long limit = Math.min(MAX_DATASET_BYTES, tasks.tasks().get(task).intake().maxDatasetBytes());
        if (info.get().size() > limit) {
            throw new InvalidEventException(field + ": dataset " + ref.key() + " is " + info.get().size()
                    + " bytes, the limit is " + limit + " (adapterloop.tasks." + task + ".intake.max-dataset-bytes)");
        }
        if (info.get().size() == 0) {
            throw new InvalidEventException(field + ": dataset " + ref.key() + " is empty");
        }
        return ref;
    }
}
