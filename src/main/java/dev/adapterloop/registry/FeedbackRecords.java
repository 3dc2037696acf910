package dev.adapterloop.registry;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

/**
 * The buffer in which labeled production feedback waits to become a training dataset (docs/promotion.md, "Closing the
 * loop"):
 * <pre>
 * tasks/&lt;task&gt;/feedback/pending/&lt;hash&gt;.json   one buffered example (prediction id, label, text)
 * tasks/&lt;task&gt;/feedback/opened.json           when the oldest buffered example arrived (the max-wait clock)
 * tasks/&lt;task&gt;/feedback/batch.json            the batch being turned into a dataset, until it is cleared
 * tasks/&lt;task&gt;/feedback/seen/&lt;hash&gt;.json      an example already in a dataset (de-duplication after the flush)
 * </pre>
 * {@code <hash>} is a hash of the prediction id, so the same feedback delivered twice lands on the same key and the
 * conditional write of the second copy fails: the buffer is de-duplicated by prediction id without a lookup table.
 * Bodies are the caller's (small JSON documents); this class only knows where they live.
 */
public final class FeedbackRecords {

    private static final String JSON_TYPE = "application/json";
    private static final long MAX_RECORD_BYTES = 4L * 1024 * 1024;

    private final ObjectStore store;

    public FeedbackRecords(ObjectStore store) {
        this.store = store;
    }

    public static String feedbackPrefix(String task) {
        return AdapterRegistry.taskPrefix(task) + "feedback/";
    }

    public static String pendingPrefix(String task) {
        return feedbackPrefix(task) + "pending/";
    }

    /** Prediction ids are long signed strings: the key holds a hash of one. */
    public static String pendingKey(String task, String predictionId) {
        return pendingPrefix(task) + PipelineRecords.sha256(predictionId).substring(0, 40) + ".json";
    }

    public static String seenKey(String task, String predictionId) {
        return feedbackPrefix(task) + "seen/" + PipelineRecords.sha256(predictionId).substring(0, 40) + ".json";
    }

    /** The seen marker of a pending key, which carries the same hash. */
    public static String seenKeyOf(String task, String pendingKey) {
        if (!pendingKey.startsWith(pendingPrefix(task))) {
            throw new IllegalArgumentException(pendingKey + " is not a pending feedback key of task " + task);
        }
        return feedbackPrefix(task) + "seen/" + pendingKey.substring(pendingPrefix(task).length());
    }

    /** The marker that a prediction's feedback was counted in the task's A/B statistics. */
    public static String countedKey(String task, String predictionId) {
        return feedbackPrefix(task) + "counted/" + PipelineRecords.sha256(predictionId).substring(0, 40);
    }

    /**
     * Marks a prediction's feedback as counted; false when it already was. Conditional: of two replicas that get the
     * same prediction's feedback (a redelivery, a second opinion), one counts it.
     */
    public boolean markCounted(String task, String predictionId) {
        return store.putIfAbsent(countedKey(task, predictionId), new byte[0], JSON_TYPE);
    }

    public static String openedKey(String task) {
        return feedbackPrefix(task) + "opened.json";
    }

    public static String batchKey(String task) {
        return feedbackPrefix(task) + "batch.json";
    }

    /** Buffers an example unless one with this prediction id is buffered already; false for a duplicate. */
    public boolean addPending(String task, String predictionId, byte[] json) {
        return store.putIfAbsent(pendingKey(task, predictionId), json, JSON_TYPE);
    }

    /** Whether an example with this prediction id already went into a dataset. */
    public boolean seen(String task, String predictionId) {
        return store.exists(seenKey(task, predictionId));
    }

    /** The buffered examples' keys, sorted: the order of a batch, so rebuilding it gives the same bytes. */
    public List<String> pendingKeys(String task) {
        return store.list(pendingPrefix(task)).stream().filter(k -> k.endsWith(".json")).sorted().toList();
    }

    public byte[] read(String key) {
        return store.get(key, MAX_RECORD_BYTES);
    }

    public Optional<byte[]> readIfExists(String key) {
        try {
            return Optional.of(store.get(key, MAX_RECORD_BYTES));
        } catch (ObjectStoreException e) {
            if (e.status().orElse(0) == 404) {
                return Optional.empty();
            }
            throw e;
        }
    }

    /** Starts the max-wait clock unless it runs already. */
    public void openIfAbsent(String task, String openedAtIso) {
        store.putIfAbsent(openedKey(task), ("{\"openedAt\":\"" + openedAtIso + "\"}").getBytes(StandardCharsets.UTF_8),
                JSON_TYPE);
    }

    /** Seals a batch unless one is sealed already (then false: finish that one first). */
    public boolean sealBatch(String task, byte[] json) {
        return store.putIfAbsent(batchKey(task), json, JSON_TYPE);
    }

    /** Marks a buffered example as taken into a dataset, then removes it from the buffer (in this order). */
    public void markSeenAndRemove(String task, String pendingKey) {
        store.put(seenKeyOf(task, pendingKey), "{}".getBytes(StandardCharsets.UTF_8), JSON_TYPE);
        store.delete(pendingKey);
    }

    public void delete(String key) {
        store.delete(key);
    }
}
