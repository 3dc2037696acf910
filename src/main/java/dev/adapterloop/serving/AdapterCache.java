package dev.adapterloop.serving;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * The adapter versions this process keeps loaded, under a memory budget, the least recently used leaving first.
 *
 * <p>Every task's serving slots (champion and challenger) are <em>pinned</em>: never evicted, and counted in the
 * budget. A version that leaves its slot stays, unpinned, until the budget needs its room, so that a rollback to it or
 * a request that names it explicitly finds it loaded. The budget counts what each version holds on top of its base
 * ({@link ServedModel#residentBytes}): on a shared base that is its adapter factors and head, a few hundred KB to a few
 * MB, so hundreds fit where one base copy would.
 *
 * <p>The cache holds one reference on each entry; eviction drops it and the model closes when the last request that
 * holds it finishes, so an eviction never fails a request in flight. The version just admitted is never evicted by its
 * own admission: a budget smaller than one version still serves it (and says so in the log) instead of loading it
 * again for every request.
 */
final class AdapterCache implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(AdapterCache.class);

    private record Entry(ServedModel model, long bytes) {
    }

    private final long budgetBytes;
    /** Access order: the first entry is the least recently used. */
    private final LinkedHashMap<String, Entry> entries = new LinkedHashMap<>(64, 0.75f, true);
    private final Map<String, Set<String>> pinnedByTask = new HashMap<>();
    private long bytes;
    private final Counter hits;
    private final Counter loads;
    private final Counter evictions;

    AdapterCache(long budgetBytes, MeterRegistry meters) {
        if (budgetBytes <= 0) {
            throw new IllegalArgumentException("adapterloop.serving.adapter-cache-budget must be positive, got "
                    + budgetBytes + " bytes");
        }
        this.budgetBytes = budgetBytes;
        this.hits = Counter.builder("adapterloop.serving.adapter.cache.hits")
                .description("Requests for a version (a slot's or one a request names) that found it loaded")
                .register(meters);
        this.loads = Counter.builder("adapterloop.serving.adapter.cache.loads")
                .description("Versions loaded into the serving cache").register(meters);
        this.evictions = Counter.builder("adapterloop.serving.adapter.cache.evictions")
                .description("Unpinned versions dropped from the serving cache to stay within its budget")
                .register(meters);
        Gauge.builder("adapterloop.serving.adapter.cache.bytes", this, AdapterCache::bytes).baseUnit("bytes")
                .description("Bytes of tensor data the cached versions hold on top of their bases").register(meters);
        Gauge.builder("adapterloop.serving.adapter.cache.versions", this, AdapterCache::size)
                .description("Versions in the serving cache, pinned or not").register(meters);
        Gauge.builder("adapterloop.serving.adapter.cache.budget", this, c -> c.budgetBytes).baseUnit("bytes")
                .description("The serving cache's budget (adapterloop.serving.adapter-cache-budget)")
                .register(meters);
    }

    static String key(String task, String version) {
        return task + "/" + version;
    }

    /** The cached version with a reference held for the caller (who releases it), if it is loaded. */
    Optional<ServedModel> acquire(String task, String version) {
        synchronized (this) {
            Entry entry = entries.get(key(task, version));
            if (entry != null && entry.model().tryAcquire()) {
                hits.increment();
                return Optional.of(entry.model());
            }
            return Optional.empty();
        }
    }

    /**
     * Adds a version just loaded; the cache takes a reference of its own (the caller keeps its). Then makes room:
     * unpinned versions leave, least recently used first, until the cache is within its budget or only pinned
     * versions and this one are left.
     */
    void admit(ServedModel model) {
        List<ServedModel> evicted;
        synchronized (this) {
            if (!model.tryAcquire()) {
                throw new IllegalStateException(model + " closed before it could be cached");
            }
            String key = key(model.task(), model.version());
            Entry previous = entries.put(key, new Entry(model, model.residentBytes()));
            bytes += model.residentBytes() - (previous == null ? 0 : previous.bytes());
            loads.increment();
            evicted = makeRoom(key);
            if (previous != null && previous.model() != model) {
                evicted.add(previous.model()); // loaded twice (a retried failure raced a request): keep the newer
            }
            if (bytes > budgetBytes) {
                LOG.warnf("serving cache: %d bytes in %d versions exceed adapterloop.serving.adapter-cache-budget"
                        + " (%d bytes): pinned versions and the one just loaded (%s, %d bytes) are kept anyway",
                        bytes, entries.size(), budgetBytes, model, model.residentBytes());
            }
        }
        release(evicted);
    }

    /** The versions {@code task}'s slots serve now: pinned from now on; the task's previous ones are unpinned. */
    void pin(String task, Set<String> versions) {
        List<ServedModel> evicted;
        synchronized (this) {
            if (versions.isEmpty()) {
                pinnedByTask.remove(task);
            } else {
                pinnedByTask.put(task, Set.copyOf(versions));
            }
            evicted = makeRoom(null);
        }
        release(evicted);
    }

    private List<ServedModel> makeRoom(String keep) {
        List<ServedModel> evicted = new ArrayList<>();
        Iterator<Map.Entry<String, Entry>> oldestFirst = entries.entrySet().iterator();
        while (bytes > budgetBytes && oldestFirst.hasNext()) {
            Map.Entry<String, Entry> next = oldestFirst.next();
            if (next.getKey().equals(keep) || pinned(next.getValue().model())) {
                continue;
            }
            oldestFirst.remove();
            bytes -= next.getValue().bytes();
            evicted.add(next.getValue().model());
            evictions.increment();
        }
        return evicted;
    }

    private boolean pinned(ServedModel model) {
        return pinnedByTask.getOrDefault(model.task(), Set.of()).contains(model.version());
    }

    /** Bytes the cached versions hold on top of their bases. */
    synchronized long bytes() {
        return bytes;
    }

    synchronized int size() {
        return entries.size();
    }

    /** The cached versions, least recently used first, as task/version. */
    synchronized List<String> keys() {
        return new ArrayList<>(entries.keySet());
    }

    synchronized Set<String> pinnedKeys() {
        Set<String> keys = new HashSet<>();
        pinnedByTask.forEach((task, versions) -> versions.forEach(v -> keys.add(key(task, v))));
        return keys;
    }

    /** Outside the lock: the last release closes a model, which frees native memory and may close a shared base. */
    private static void release(List<ServedModel> models) {
        for (ServedModel model : models) {
            LOG.infof("serving cache: evicted %s (%d bytes)", model, model.residentBytes());
            model.release();
        }
    }

    @Override
    public void close() {
        List<ServedModel> all;
        synchronized (this) {
            all = entries.values().stream().map(Entry::model).toList();
            entries.clear();
            pinnedByTask.clear();
            bytes = 0;
        }
        all.forEach(ServedModel::release);
    }
}
