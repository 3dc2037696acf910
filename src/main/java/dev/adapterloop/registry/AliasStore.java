package dev.adapterloop.registry;

import dev.adapterloop.events.AdapterManifest;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.locks.ReentrantLock;

import org.jboss.logging.Logger;

/**
 * A task's aliases ({@code champion}, {@code challenger}, …), changed only by compare-and-set:
 * <pre>
 * tasks/&lt;task&gt;/alias-history/&lt;generation, 12 digits&gt;.json   one per change, created once: the commit
 * tasks/&lt;task&gt;/aliases.json                                  a copy of the newest generation, for readers
 * </pre>
 * A change to generation N+1 commits by creating history entry N+1 with {@code If-None-Match: *}: of all writers that
 * read generation N, exactly one creates it, and generation N+2 can only follow a visible N+1, so the history has no
 * gaps. {@code aliases.json} is then replaced with {@code If-Match} (never moving backwards); a writer that dies in
 * between leaves it one generation behind, and the next {@link #read} rolls it forward from the history.
 * <p>
 * S3 servers differ in how atomic those conditions are (docs/registry.md): MinIO and AWS S3 decide them atomically;
 * s3proxy, the embedded server, checks and then writes. Writers in one JVM therefore also take a per-task lock, which
 * makes the embedded server safe for the one process that embeds it and costs nothing elsewhere.
 */
public final class AliasStore {
    public static final String FILE = "aliases.json";
    /** The version serving most traffic; new jobs build on it (warm start, replay). */
    public static final String CHAMPION = "champion";
    /** A version under test against the champion (online A/B). */
    public static final String CHALLENGER = "challenger";
    public static final String HISTORY = "alias-history/";
    public static final int MAX_REASON_LENGTH = 1000;
    public static final int MAX_PRINCIPAL_LENGTH = 256;

    private static final Logger LOG = Logger.getLogger(AliasStore.class);
    private static final String JSON_TYPE = "application/json";
    /** Shared by every AliasStore in this JVM: two instances over one bucket must not race either. */
    private static final ConcurrentMap<String, ReentrantLock> LOCKS = new ConcurrentHashMap<>();

    private final AdapterRegistry registry;
    private final ObjectStore store;
    private final Clock clock;

    public AliasStore(AdapterRegistry registry, Clock clock) {
        this.registry = registry;
        this.store = registry.store();
        this.clock = clock;
    }

    public static String aliasesKey(String task) {
        return AdapterRegistry.taskPrefix(task) + FILE;
    }

    public static String historyKey(String task, long generation) {
        return AdapterRegistry.taskPrefix(task) + HISTORY + String.format(Locale.ROOT, "%012d", generation) + ".json";
    }

    /** The task's aliases now; generation 0 and no aliases when none was ever set. */
    public AliasSnapshot read(String task) {
        return AliasSnapshot.of(current(task));
    }

    /** Same as {@link #compareAndSet(String, long, String, String, String, String)} from a snapshot. */
    public boolean compareAndSet(AliasSnapshot expected, String alias, String version, String reason,
                                 String principal) {
        return compareAndSet(expected.task(), expected.generation(), alias, version, reason, principal);
    }

    /**
     * Points {@code alias} at {@code version} (or clears it when {@code version} is null) if the task's aliases are
     * still at {@code expectedGeneration}. False when they are not, or another writer won the race: re-read, decide
     * again. Throws {@link InvalidNameException} for a bad task, alias or version name, and
     * {@link IncompleteVersionException} when the version's manifest is not in the bucket.
     *
     * @param principal who makes the change (an API key's name, a token's user, {@code system:gate}, ...): recorded
     *                  in the history entry as {@code updatedBy}; required
     */
    public boolean compareAndSet(String task, long expectedGeneration, String alias, String version, String reason,
                                 String principal) {
        AdapterRegistry.requireName("task", task);
        AliasesCodec.requireAlias(alias);
        String why = reason == null ? "" : reason;
        if (why.length() > MAX_REASON_LENGTH) {
            throw new IllegalArgumentException("reason must be at most " + MAX_REASON_LENGTH + " characters, got "
                    + why.length());
        }
        if (principal == null || principal.isBlank() || principal.length() > MAX_PRINCIPAL_LENGTH) {
            throw new IllegalArgumentException("principal must be 1-" + MAX_PRINCIPAL_LENGTH
                    + " characters and not blank, got " + (principal == null ? "null" : principal.length()
                    + " characters"));
        }
        if (version != null && !registry.hasAdapter(task, AdapterRegistry.requireName("adapter version", version))) {
            throw new IncompleteVersionException(task, version,
                    AdapterRegistry.adapterPrefix(task, version) + AdapterManifest.FILE);
        }
        ReentrantLock lock = lockOf(task);
        lock.lock();
        try {
            AliasesDocument current = current(task);
            if (current.generation() != expectedGeneration) {
                return false;
            }
            AliasesDocument next = current.next(alias, version, why, principal, Instant.now(clock).toString(),
                    UUID.randomUUID().toString());
            if (!commit(next)) {
                return false;
            }
            publish(next);
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** Every generation of the task's aliases, oldest first (the audit trail). */
    public List<AliasesDocument> history(String task) {
        String prefix = AdapterRegistry.taskPrefix(task) + HISTORY;
        List<AliasesDocument> entries = new ArrayList<>();
        for (String key : store.list(prefix)) {
            entries.add(AliasesCodec.read(key, store.get(key), task, -1));
        }
        return entries;
    }

    /**
     * Creates history entry {@code next.generation()}. A lost or failed answer is not sent again: S3 might have
     * applied it, and a second try would then read 412 and call a won race lost. The entry is read back instead,
     * and its {@code writeId} says whose it is. (The same check covers a lower layer that did re-send it.)
     */
    private boolean commit(AliasesDocument next) {
        String key = historyKey(next.task(), next.generation());
        ObjectStoreException failure = null;
        try {
            if (store.putIfAbsent(key, AliasesCodec.write(next), JSON_TYPE)) {
                return true;
            }
        } catch (ObjectStoreException e) {
            if (!e.isRetriable()) {
                throw e;
            }
            failure = e;
        }
        Optional<AliasesDocument> there = entry(next.task(), next.generation());
        if (there.isPresent()) {
            return next.writeId().equals(there.get().writeId());
        }
        if (failure != null) {
            throw failure; // nothing was written that we can see; the caller may re-read and try again
        }
        return false; // 412, yet nothing there: the entry was removed behind our back; re-reading will tell
    }

    /** Copies {@code document} to aliases.json unless that already holds it or a newer generation. Best effort. */
    private void publish(AliasesDocument document) {
        String key = aliasesKey(document.task());
        byte[] bytes = AliasesCodec.write(document);
        try {
            for (int attempt = 0; attempt < 3; attempt++) {
                Optional<ObjectInfo> info = store.stat(key);
                if (info.isEmpty()) {
                    if (store.putIfAbsent(key, bytes, JSON_TYPE)) {
                        return;
                    }
                    continue;
                }
                AliasesDocument there = AliasesCodec.read(key, store.get(key), document.task(), -1);
                if (there.generation() >= document.generation()
                        || store.putIfMatch(key, bytes, JSON_TYPE, info.get().etag())) {
                    return;
                }
            }
            LOG.warnf("%s stays behind generation %d after 3 attempts; the next read rolls it forward", key,
                    document.generation());
        } catch (ObjectStoreException e) { // the history entry is the commit; readers roll aliases.json forward
            LOG.warnf("cannot update %s to generation %d (the next read rolls it forward): %s", key,
                    document.generation(), e.getMessage());
        }
    }

    /** aliases.json, rolled forward over any history entries that a writer committed but did not copy there. */
    private AliasesDocument current(String task) {
        String key = aliasesKey(task);
        AliasesDocument published = store.exists(key)
                ? AliasesCodec.read(key, store.get(key), task, -1) : AliasesDocument.empty(task);
        AliasesDocument newest = published;
        for (Optional<AliasesDocument> next = entry(task, newest.generation() + 1); next.isPresent();
                next = entry(task, newest.generation() + 1)) {
            newest = next.get();
        }
        if (newest != published) {
            ReentrantLock lock = lockOf(task);
            lock.lock();
            try {
                publish(newest);
            } finally {
                lock.unlock();
            }
        }
        return newest;
    }

    /** History entry {@code generation} of the task's aliases (what changed, by whom), if it exists. */
    public Optional<AliasesDocument> historyEntry(String task, long generation) {
        return entry(AdapterRegistry.requireName("task", task), generation);
    }

    private Optional<AliasesDocument> entry(String task, long generation) {
        String key = historyKey(task, generation);
        try {
            return Optional.of(AliasesCodec.read(key, store.get(key), task, generation));
        } catch (ObjectStoreException e) {
            if (e.status().orElse(0) == 404) {
                return Optional.empty();
            }
            throw e;
        }
    }

    private ReentrantLock lockOf(String task) {
        return LOCKS.computeIfAbsent(store.settings().endpoint() + "|" + store.bucket() + "|" + task,
                k -> new ReentrantLock());
    }
}
