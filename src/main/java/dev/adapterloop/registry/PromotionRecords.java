package dev.adapterloop.registry;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * What the promotion stage keeps in the bucket:
 * <pre>
 * tasks/&lt;task&gt;/evaluations/&lt;version&gt;/&lt;held-out sha256&gt;.json   a version's outcomes on one held-out set
 * tasks/&lt;task&gt;/evaluations/&lt;version&gt;/gate.json               the offline gate's evidence on the version
 * tasks/&lt;task&gt;/promotion/experiment.json                        the online A/B test's state
 * tasks/&lt;task&gt;/promotion/decisions/&lt;millis&gt;-&lt;outcome&gt;.json  a decided A/B test, with its evidence
 * </pre>
 * Outcomes are written once per version and set (the champion's are looked up by the next candidate's gate). The
 * experiment state is replaced by compare-and-set on its ETag, so two replicas that both observed something never
 * overwrite each other's counts: the loser re-reads and applies its observation again. The types are the caller's.
 */
public final class PromotionRecords {

    private static final ObjectMapper JSON = new ObjectMapper().findAndRegisterModules()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    private static final long MAX_RECORD_BYTES = 16L * 1024 * 1024;
    private static final int READ_ATTEMPTS = 30;
    private static final String JSON_TYPE = "application/json";
    /** Conditional writes of one task's state are serialised in the JVM: the embedded s3proxy checks, then writes. */
    private static final ConcurrentMap<String, ReentrantLock> LOCKS = new ConcurrentHashMap<>();

    /** A record as read, with the ETag to hand back to {@link #replace}. */
    public record Tagged<T>(T value, String etag) {
    }

    private final ObjectStore store;
    private final java.util.Map<String, Object> decisions = java.util.Collections.synchronizedMap(
            new java.util.LinkedHashMap<>(64, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(java.util.Map.Entry<String, Object> eldest) {
                    return size() > 1000;
                }
            });

    public PromotionRecords(ObjectStore store) {
        this.store = store;
    }

    public static String evaluationKey(String task, String version, String heldOutSha256) {
        if (heldOutSha256 == null || !heldOutSha256.matches("[0-9a-f]{64}")) {
            throw new IllegalArgumentException("held-out digest must be 64 lower-case hex digits, got "
                    + heldOutSha256);
        }
        return AdapterRegistry.taskPrefix(task) + "evaluations/" + AdapterRegistry.requireName("adapter version",
                version) + "/" + heldOutSha256 + ".json";
    }

    public static String experimentKey(String task) {
        return AdapterRegistry.taskPrefix(task) + "promotion/experiment.json";
    }

    public static String gateKey(String task, String version) {
        return AdapterRegistry.taskPrefix(task) + "evaluations/" + AdapterRegistry.requireName("adapter version",
                version) + "/gate.json";
    }

    public static String decisionsPrefix(String task) {
        return AdapterRegistry.taskPrefix(task) + "promotion/decisions/";
    }

    /** The offline gate's last word on {@code version} (written again if a job runs again after a crash). */
    public void writeGate(String task, String version, Object evidence) {
        store.put(gateKey(task, version), bytes(evidence), JSON_TYPE);
    }

    public <T> Optional<T> readGate(String task, String version, Class<T> type) {
        String key = gateKey(task, version);
        try {
            return Optional.of(parse(key, store.get(key, MAX_RECORD_BYTES), type));
        } catch (ObjectStoreException e) {
            if (e.status().orElse(0) == 404) {
                return Optional.empty();
            }
            throw e;
        }
    }

    /** Keys sort by time: the millis are zero-padded to 13 digits (good until the year 2286). */
    public void writeDecision(String task, java.time.Instant decidedAt, String outcome, Object decision) {
        store.put(decisionsPrefix(task) + String.format("%013d-%s.json", decidedAt.toEpochMilli(), outcome),
                bytes(decision), JSON_TYPE);
    }

    /**
     * The newest {@code limit} decisions of {@code task}, newest first. They never change once written, so each is
     * read from the bucket once per process (a bounded cache); the listing is asked for every time.
     */
    public <T> java.util.List<T> readDecisions(String task, int limit, Class<T> type) {
        java.util.List<String> keys = new java.util.ArrayList<>(store.list(decisionsPrefix(task)).stream()
                .filter(k -> k.endsWith(".json")).sorted(java.util.Comparator.reverseOrder()).limit(limit).toList());
        java.util.List<T> out = new java.util.ArrayList<>();
        for (String key : keys) {
            Object cached = decisions.get(key);
            if (cached == null) {
                try {
                    cached = parse(key, store.get(key, MAX_RECORD_BYTES), type);
                } catch (CorruptObjectException e) {
                    // A record for people only: one that cannot be read is left out, not a reason to show none.
                    org.jboss.logging.Logger.getLogger(PromotionRecords.class).errorf("skipping %s: %s", key,
                            e.getMessage());
                    continue;
                }
                decisions.put(key, cached);
            }
            out.add(type.cast(cached));
        }
        return out;
    }

    public void writeEvaluation(String task, String version, String heldOutSha256, Object outcomes) {
        store.put(evaluationKey(task, version, heldOutSha256), bytes(outcomes), JSON_TYPE);
    }

    public <T> Optional<T> readEvaluation(String task, String version, String heldOutSha256, Class<T> type) {
        String key = evaluationKey(task, version, heldOutSha256);
        return store.exists(key) ? Optional.of(parse(key, store.get(key, MAX_RECORD_BYTES), type)) : Optional.empty();
    }

    /** The experiment state and its ETag; read twice around the body so that the ETag belongs to these bytes. */
    public <T> Optional<Tagged<T>> readExperiment(String task, Class<T> type) {
        String key = experimentKey(task);
        for (int attempt = 0; attempt < READ_ATTEMPTS; attempt++) {
            if (attempt > 0) {
                backOff(attempt);
            }
            Optional<ObjectInfo> before = store.stat(key);
            if (before.isEmpty()) {
                return Optional.empty();
            }
            byte[] body;
            try {
                body = store.get(key, MAX_RECORD_BYTES);
            } catch (ObjectStoreException e) {
                if (e.status().orElse(0) == 404) {
                    continue; // deleted between the two calls: look again
                }
                throw e;
            }
            Optional<ObjectInfo> after = store.stat(key);
            if (after.isPresent() && after.get().etag().equals(before.get().etag())) {
                return Optional.of(new Tagged<>(parse(key, body, type), after.get().etag()));
            }
        }
        throw new IllegalStateException(key + " changed during " + READ_ATTEMPTS + " reads in a row: too many writers");
    }

    /** Writers collide in step; a short random pause lets one of them finish before we look again. */
    private static void backOff(int attempt) {
        try {
            Thread.sleep(java.util.concurrent.ThreadLocalRandom.current().nextLong(1, 5L * Math.min(attempt, 10) + 2));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading an experiment state", e);
        }
    }

    /**
     * Writes the experiment state if it is still at {@code expectedEtag} (null: only if there is none yet).
     * False when another writer got there first: re-read, re-apply, try again.
     */
    public boolean replaceExperiment(String task, Object state, String expectedEtag) {
        String key = experimentKey(task);
        byte[] data = bytes(state);
        ReentrantLock lock = LOCKS.computeIfAbsent(store.settings().endpoint() + "|" + store.bucket() + "|" + key,
                k -> new ReentrantLock());
        lock.lock();
        try {
            return expectedEtag == null ? store.putIfAbsent(key, data, JSON_TYPE)
                    : store.putIfMatch(key, data, JSON_TYPE, expectedEtag);
        } finally {
            lock.unlock();
        }
    }

    private static byte[] bytes(Object record) {
        try {
            return JSON.writeValueAsBytes(record);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot serialise " + record.getClass().getSimpleName(), e);
        }
    }

    private static <T> T parse(String key, byte[] bytes, Class<T> type) {
        try {
            return JSON.readValue(bytes, type);
        } catch (IOException e) {
            throw new CorruptObjectException(key, "not a valid " + type.getSimpleName() + ": " + e.getMessage(), e);
        }
    }
}
