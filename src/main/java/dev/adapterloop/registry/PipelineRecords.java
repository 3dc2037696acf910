package dev.adapterloop.registry;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.adapterloop.dataset.DatasetDigest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

/**
 * The pipeline's durable state, kept in the bucket next to what it describes so that a crash, a {@code kill -9} or a
 * replica that takes over a partition finds it where the last owner left it:
 * <pre>
 * jobs/&lt;task&gt;/&lt;job-id&gt;.json                    one training job: state, data, attempts, result
 * tasks/&lt;task&gt;/intake/pending.json              data accepted but not yet given to a job
 * tasks/&lt;task&gt;/intake/events/&lt;hash&gt;.json        an event id already taken in (de-duplication)
 * tasks/&lt;task&gt;/intake/datasets/&lt;sha256&gt;.json    a dataset digest already taken in (de-duplication)
 * retries/&lt;task&gt;/&lt;job-id&gt;.json                 a failed job queued again, for its partition's owner to pick up
 * intake-attempts/&lt;topic&gt;/&lt;partition&gt;/&lt;offset&gt;.json   starts of the work on an event not yet ended
 * </pre>
 * Records are small JSON documents written whole; the types are the caller's. One is at most {@link #MAX_RECORD_BYTES}
 * as written: a larger one is refused when written, not found unreadable later.
 */
public final class PipelineRecords {

    private static final ObjectMapper JSON = new ObjectMapper().findAndRegisterModules()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    /** The most a record may take in the bucket: reading stops there, so writing must too. */
    public static final long MAX_RECORD_BYTES = 4L * 1024 * 1024;

    private final ObjectStore store;

    public PipelineRecords(ObjectStore store) {
        this.store = store;
    }

    public static String jobKey(String task, String jobId) {
        return jobsPrefix(task) + AdapterRegistry.requireName("job id", jobId) + ".json";
    }

    public static String jobsPrefix(String task) {
        return "jobs/" + AdapterRegistry.requireName("task", task) + "/";
    }

    /** A record as read, with the ETag to hand back to {@link #replace}. */
    public record Tagged<T>(T value, String etag) {
    }

    public static String retryKey(String task, String jobId) {
        return "retries/" + AdapterRegistry.requireName("task", task) + "/"
                + AdapterRegistry.requireName("job id", jobId) + ".json";
    }

    public static String pendingKey(String task) {
        return intakePrefix(task) + "pending.json";
    }

    /**
     * How many times the work on one {@code labeled-data} record started without ending (a crash-loop guard): by
     * topic, partition and offset, as the event may not even name a valid task.
     */
    public static String intakeAttemptKey(String topic, int partition, long offset) {
        if (topic == null || !topic.matches("[A-Za-z0-9._-]{1,249}") || partition < 0 || offset < 0) {
            throw new IllegalArgumentException("not a Kafka record position: " + topic + "-" + partition + "@" + offset);
        }
        return "intake-attempts/" + topic + "/" + partition + "/" + offset + ".json";
    }

    /** Event ids are free text: the key holds a hash of it. */
    public static String eventMarkerKey(String task, String eventId) {
        return intakePrefix(task) + "events/" + sha256(eventId).substring(0, 40) + ".json";
    }

    public static String datasetMarkerKey(String task, String sha256) {
        if (sha256 == null || !sha256.matches("[0-9a-f]{64}")) {
            throw new IllegalArgumentException("dataset digest must be 64 lower-case hex digits, got " + sha256);
        }
        return intakePrefix(task) + "datasets/" + sha256 + ".json";
    }

    /** @throws IllegalArgumentException when the record would be larger than a read accepts; nothing is written */
    public void write(String key, Object record) {
        store.put(key, serialise(key, record), "application/json");
    }

    private static byte[] serialise(String key, Object record) {
        byte[] bytes;
        try {
            bytes = JSON.writeValueAsBytes(record);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot serialise " + key, e);
        }
        if (bytes.length > MAX_RECORD_BYTES) {
            throw new IllegalArgumentException("pipeline record " + key + " would be " + bytes.length
                    + " bytes, more than the " + MAX_RECORD_BYTES + " a pipeline record may have; not written");
        }
        return bytes;
    }

    public <T> Optional<T> read(String key, Class<T> type) {
        if (!store.exists(key)) {
            return Optional.empty();
        }
        byte[] bytes = store.get(key, MAX_RECORD_BYTES);
        try {
            return Optional.of(JSON.readValue(bytes, type));
        } catch (IOException e) {
            throw new IllegalStateException("pipeline record " + key + " is not a valid " + type.getSimpleName()
                    + ": " + e.getMessage(), e);
        }
    }

    /**
     * The record and the ETag of the bytes it was read from: stat, get, stat again, so that the ETag cannot belong to
     * a newer write than the body (a writer in between makes the two stats differ, and the read is tried again).
     */
    public <T> Optional<Tagged<T>> readTagged(String key, Class<T> type) {
        for (int attempt = 0; attempt < 5; attempt++) {
            Optional<ObjectInfo> before = store.stat(key);
            if (before.isEmpty()) {
                return Optional.empty();
            }
            Optional<T> value = read(key, type);
            Optional<ObjectInfo> after = store.stat(key);
            if (value.isPresent() && after.isPresent() && after.get().etag().equals(before.get().etag())) {
                return Optional.of(new Tagged<>(value.get(), after.get().etag()));
            }
        }
        throw new IllegalStateException(key + " changed during 5 reads in a row: too many writers");
    }

    /**
     * Writes the record only if the object is still at {@code etag}; false when someone wrote it since. Sent once: when
     * the answer is lost (a timeout, a dropped connection) the object is read back ({@link ConditionalWriteReadBack}):
     * our bytes there mean we won, other bytes that someone else did; the old ETag still there means nothing was
     * applied, and the original error is thrown (retriable: the caller re-reads and decides again).
     */
    public boolean replace(String key, Object record, String etag) {
        byte[] bytes = serialise(key, record);
        try {
            return store.putIfMatch(key, bytes, "application/json", etag);
        } catch (ObjectStoreException e) {
            return ConditionalWriteReadBack.afterLostAnswer(store, key, bytes, etag, e);
        }
    }

    /**
     * Creates the record only if no object has {@code key} ({@code If-None-Match: *}); false when one has. Sent once,
     * and a lost answer is read back as for {@link #replace}: our bytes there mean created, other bytes that someone
     * else created it, nothing there that it was not applied (the original error is thrown).
     */
    public boolean createOnce(String key, Object record) {
        byte[] bytes = serialise(key, record);
        try {
            return store.putIfAbsent(key, bytes, "application/json");
        } catch (ObjectStoreException e) {
            return ConditionalWriteReadBack.afterLostAnswer(store, key, bytes, null, e);
        }
    }

    /** Keys of the retry requests of every task ({@link #retryKey}). */
    public List<String> retryKeys() {
        return store.list("retries/").stream().filter(key -> key.endsWith(".json")).toList();
    }

    public boolean exists(String key) {
        return store.exists(key);
    }

    public void delete(String key) {
        store.delete(key);
    }

    /** Keys of the jobs of every task, or of one task. */
    public List<String> jobKeys(Optional<String> task) {
        return store.list(task.map(PipelineRecords::jobsPrefix).orElse("jobs/")).stream()
                .filter(key -> key.endsWith(".json")).toList();
    }

    /** The job records of every task, or of one task, with their ETags (one listing, no read). */
    public List<ObjectInfo> jobObjects(Optional<String> task) {
        return store.listInfo(task.map(PipelineRecords::jobsPrefix).orElse("jobs/")).stream()
                .filter(info -> info.key().endsWith(".json")).toList();
    }

    /** Tasks that have a pending-data record. */
    public List<String> tasksWithPendingData() {
        return store.list("tasks/").stream().filter(key -> key.endsWith("/intake/pending.json"))
                .map(key -> key.substring("tasks/".length(), key.length() - "/intake/pending.json".length()))
                .toList();
    }

    public static String sha256(String text) {
        return DatasetDigest.sha256Hex(text.getBytes(StandardCharsets.UTF_8));
    }

    /** The folder of a task's intake records (pending data, event markers, dataset markers). */
    public static String intakePrefix(String task) {
        return "tasks/" + AdapterRegistry.requireName("task", task) + "/intake/";
    }
}
