package dev.adapterloop.serving;

import ai.djl.ndarray.types.DataType;
import dev.adapterloop.config.TasksConfig;
import dev.adapterloop.engine.BaseModels;
import dev.adapterloop.engine.EngineConfig;
import dev.adapterloop.events.AliasesMoved;
import dev.adapterloop.events.PredictionId;
import dev.adapterloop.registry.AdapterRegistry;
import dev.adapterloop.registry.AliasSnapshot;
import dev.adapterloop.registry.AliasStore;
import dev.adapterloop.registry.AliasTarget;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.jboss.logging.Logger;

/**
 * The models each task serves, and their hot swap. One loader thread reads the aliases of every watched task each
 * {@code alias-poll-interval} (and at once on {@link #refresh}); when an alias names another version it loads that
 * version completely, then replaces the task's {@link TaskSlots} in one atomic write, then drops the slot's reference
 * to the old model, which closes when the last request on it has finished. A version that fails to load leaves the
 * slot as it was: the old version keeps answering and the failure shows in the log, a metric and the health check.
 * A version moving between slots (challenger promoted to champion) is reused, not loaded again.
 */
@ApplicationScoped
public class ServedModels {

    private static final Logger LOG = Logger.getLogger(ServedModels.class);

    private final AliasStore aliases;
    private final AdapterRegistry registry;
    private final ServingConfig config;
    private final MeterRegistry meters;
    private final Function<String, VersionLoader> loaders;
    private final Set<String> configuredTasks;
    private final Map<String, TaskSlots> slots = new ConcurrentHashMap<>();
    private final Map<String, FailedLoad> failures = new ConcurrentHashMap<>();
    private final AdapterCache cache;
    /** Loads of versions that requests named, one per version, so that concurrent requests wait for the same one. */
    private final Map<String, CompletableFuture<ServedModel>> requestedLoads = new ConcurrentHashMap<>();
    private final ScheduledExecutorService loader = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "serving-loader");
        thread.setDaemon(true);
        return thread;
    });

    private record FailedLoad(long atNanos, String message, boolean missing) {
    }

    @Inject
    ServedModels(AliasStore aliases, AdapterRegistry registry, ServingConfig config, MeterRegistry meters,
            TasksConfig tasks, EngineConfig engine, BaseModels baseModels) {
        this(aliases, registry, config, meters, tasks.tasks().keySet(), new VersionLoader(registry,
                engine.modelCache(), engine.workDir(), baseModels.device(),
                baseModels.device().isGpu() && !"fp32".equals(engine.precision()) ? DataType.FLOAT16
                        : DataType.FLOAT32));
    }

    /** Outside CDI (benchmarks, tools): call {@link #startPolling()} to follow the aliases, then close. */
    public ServedModels(AliasStore aliases, AdapterRegistry registry, ServingConfig config, MeterRegistry meters,
            Set<String> configuredTasks, VersionLoader loader) {
        this.aliases = aliases;
        this.registry = registry;
        this.config = config;
        this.meters = meters;
        this.configuredTasks = Set.copyOf(configuredTasks);
        this.loaders = task -> loader;
        this.cache = new AdapterCache(config.adapterCacheBudget().asLongValue(), meters);
        configuredTasks.forEach(task -> slots.put(task, TaskSlots.NONE));
    }

    void start(@Observes StartupEvent started) {
        if (config.enabled()) {
            startPolling();
        }
    }

    /** Reads every watched task's aliases now and then every {@code alias-poll-interval}. */
    public void startPolling() {
        long every = Math.max(1, config.aliasPollInterval().toMillis());
        loader.scheduleWithFixedDelay(this::pollAll, 0, every, TimeUnit.MILLISECONDS);
        LOG.infof("serving %s, polling aliases every %s, mode %s", slots.keySet(), config.aliasPollInterval(),
                config.mode());
    }

    /**
     * Reads the task's aliases now and swaps in what they name; for the promotion code, right after it moved an
     * alias. Also retries a version that failed to load. Completes when the task's slots are up to date (or the
     * load failed, see {@link #slots}); loads run on the loader thread, never the caller's.
     */
    public CompletableFuture<TaskSlots> refresh(String task) {
        AdapterRegistry.requireName("task", task);
        slots.putIfAbsent(task, TaskSlots.NONE);
        return CompletableFuture.supplyAsync(() -> {
            reconcile(task, true);
            return slots.get(task);
        }, loader);
    }

    /** This replica moved the task's aliases: swap now rather than on the next poll (the load stays off this thread). */
    void onAliasesMoved(@Observes AliasesMoved moved) {
        if (config.enabled()) {
            refresh(moved.task());
        }
    }

    /** The task's slots now; {@link TaskSlots#NONE} until its aliases were read once. */
    public TaskSlots slots(String task) {
        return slots.getOrDefault(task, TaskSlots.NONE);
    }

    public Map<String, TaskSlots> all() {
        return Map.copyOf(slots);
    }

    /** A task this service can answer for: configured, or with adapters or aliases in the bucket. */
    public boolean isKnown(String task) {
        if (!AdapterRegistry.isName(task)) {
            return false;
        }
        if (slots.containsKey(task) || configuredTasks.contains(task)) {
            return true;
        }
        if (registry.listTasks().contains(task)) {
            slots.putIfAbsent(task, TaskSlots.NONE); // watched from now on
            refresh(task);
            return true;
        }
        return false;
    }

    private void pollAll() {
        for (String task : slots.keySet()) {
            try {
                reconcile(task, false);
            } catch (RuntimeException e) { // the bucket away, say: try again next round, keep serving
                LOG.warnf("serving: cannot read the aliases of task %s: %s", task, e.getMessage());
            }
        }
    }

    /** Runs on the loader thread only, so two reconciles never race. */
    private void reconcile(String task, boolean retryFailed) {
        AliasSnapshot snapshot = aliases.read(task);
        String wantChampion = snapshot.alias(PredictionId.CHAMPION).map(AliasTarget::version).orElse(null);
        String wantChallenger = snapshot.alias(PredictionId.CHALLENGER).map(AliasTarget::version).orElse(null);
        TaskSlots current = slots.getOrDefault(task, TaskSlots.NONE);
        if (current.generation() == snapshot.generation() && !retryFailed
                && !retryDue(task, wantChampion) && !retryDue(task, wantChallenger)) {
            return;
        }
        long started = System.nanoTime();
        StringBuilder problems = new StringBuilder();
        ServedModel champion = resolve(task, PredictionId.CHAMPION, wantChampion, current.champion(), current,
                retryFailed, problems);
        ServedModel challenger = resolve(task, PredictionId.CHALLENGER, wantChallenger, current.challenger(),
                current, retryFailed, problems);
        if (wantChampion == null) {
            problems.insert(0, "task '" + task + "' has no champion alias yet; ");
        }
        TaskSlots next = new TaskSlots(champion, challenger, wantChampion, wantChallenger, snapshot.generation(),
                problems.isEmpty() ? null : problems.substring(0, problems.length() - 2));
        slots.put(task, next); // the swap: requests from now on take the new models
        cache.pin(task, Stream.of(champion, challenger).filter(Objects::nonNull)
                .map(ServedModel::version).collect(Collectors.toSet()));
        swapped(task, PredictionId.CHAMPION, current.champion(), champion, started);
        swapped(task, PredictionId.CHALLENGER, current.challenger(), challenger, started);
        release(current.champion());
        release(current.challenger());
    }

    /**
     * The model for one slot, holding a reference for the new slots: the cached one when the version is loaded (a
     * slot's, one that left a slot, one a request named), else a fresh load, which joins the cache; on failure the
     * slot's previous model.
     */
    private ServedModel resolve(String task, String variant, String wanted, ServedModel previous, TaskSlots current,
            boolean retryFailed, StringBuilder problems) {
        if (wanted == null) {
            return null;
        }
        Optional<ServedModel> cached = cache.acquire(task, wanted);
        if (cached.isPresent()) {
            return cached.get();
        }
        FailedLoad failed = failures.get(task + "/" + wanted);
        if (failed == null || retryFailed || retryDue(task, wanted)) {
            try {
                long started = System.nanoTime();
                ServedModel model = loaders.apply(task).load(task, wanted, config.mode());
                failures.remove(task + "/" + wanted);
                cache.admit(model);
                LOG.infof("serving: loaded %s for %s in %d ms", model, variant,
                        (System.nanoTime() - started) / 1_000_000);
                return model;
            } catch (VersionLoadException e) {
                failed = loadFailed(task, wanted, variant, e);
                LOG.errorf(e, "serving: %s; %s keeps serving %s", e.getMessage(), variant,
                        previous == null ? "nothing" : previous.version());
            }
        }
        problems.append(variant).append(" alias names ").append(wanted).append(", which failed to load (")
                .append(failed.message()).append("); serving ")
                .append(previous == null ? "no " + variant : previous.version() + " instead").append("; ");
        return previous != null && previous.tryAcquire() ? previous : null;
    }

    private FailedLoad loadFailed(String task, String version, String variant, VersionLoadException e) {
        FailedLoad failed = new FailedLoad(System.nanoTime(), e.getMessage(), e.isMissing());
        failures.put(AdapterCache.key(task, version), failed);
        Counter.builder("adapterloop.serving.load.failures").tag("task", task).tag("variant", variant)
                .description("Adapter versions that failed to load for serving").register(meters).increment();
        return failed;
    }

    /**
     * The version {@code version} of {@code task}, which a request names, with a reference held for the caller (who
     * releases it): a slot's or a cached version at once; else it is loaded into the cache on the loader thread (the
     * only thread that builds adapters on a shared base), and concurrent requests for it wait for that one load, at
     * most {@code version-load-timeout}. A failed load is remembered for {@code load-retry-interval}: requests in
     * that time get its reason without another load.
     *
     * @throws ServingProblem INVALID_NAME for a version id that cannot be one; UNKNOWN_VERSION when the bucket has no
     *                        complete version of that id; VERSION_UNAVAILABLE when it failed to load or is still
     *                        loading after the timeout
     */
    public ServedModel acquireVersion(String task, String version) {
        if (!AdapterRegistry.isName(version)) {
            throw new ServingProblem(ServingProblem.Kind.INVALID_NAME, task, "\"version\" must be 1-128 letters,"
                    + " digits, '.', '_' or '-' and start with a letter or digit");
        }
        String key = AdapterCache.key(task, version);
        for (int attempt = 0; attempt < 3; attempt++) {
            Optional<ServedModel> cached = cache.acquire(task, version);
            if (cached.isPresent()) {
                return cached.get();
            }
            FailedLoad failed = failures.get(key);
            if (failed != null && !retryDue(task, version)) {
                throw unavailable(task, version, failed);
            }
            CompletableFuture<ServedModel> load = requestedLoads.computeIfAbsent(key, k -> {
                CompletableFuture<ServedModel> started = CompletableFuture.supplyAsync(
                        () -> loadRequested(task, version), loader);
                started.whenComplete((model, error) -> requestedLoads.remove(k, started));
                return started;
            });
            ServedModel model = await(task, version, load);
            if (model.tryAcquire()) {
                return model;
            }
            // Evicted and closed between its load and here (a budget too small for the versions asked for): again.
        }
        throw new ServingProblem(ServingProblem.Kind.VERSION_UNAVAILABLE, task, "version " + version + " was"
                + " evicted from the serving cache as soon as it was loaded, three times: raise"
                + " adapterloop.serving.adapter-cache-budget (" + config.adapterCacheBudget().asLongValue()
                + " bytes)");
    }

    /** On the loader thread: the requested version into the cache (unless a swap loaded it meanwhile). */
    private ServedModel loadRequested(String task, String version) {
        Optional<ServedModel> cached = cache.acquire(task, version);
        if (cached.isPresent()) {
            cached.get().release(); // the cache holds it; the waiters take their own references
            return cached.get();
        }
        long started = System.nanoTime();
        try {
            ServedModel model = loaders.apply(task).load(task, version, config.mode());
            failures.remove(AdapterCache.key(task, version));
            cache.admit(model);
            model.release(); // the cache's reference keeps it; it is never evicted by its own admission
            LOG.infof("serving: loaded %s for a request that named it, in %d ms", model,
                    (System.nanoTime() - started) / 1_000_000);
            return model;
        } catch (VersionLoadException e) {
            loadFailed(task, version, "requested", e);
            LOG.warnf("serving: %s (a request named it)", e.getMessage());
            throw e;
        }
    }

    private ServedModel await(String task, String version, CompletableFuture<ServedModel> load) {
        try {
            return load.get(config.versionLoadTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new ServingProblem(ServingProblem.Kind.VERSION_UNAVAILABLE, task, "version " + version + " is"
                    + " still loading after " + config.versionLoadTimeout() + "; try again shortly");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ServingProblem(ServingProblem.Kind.VERSION_UNAVAILABLE, task, "interrupted while version "
                    + version + " was loading");
        } catch (ExecutionException e) {
            FailedLoad failed = failures.get(AdapterCache.key(task, version));
            if (failed != null) {
                throw unavailable(task, version, failed);
            }
            throw new ServingProblem(ServingProblem.Kind.VERSION_UNAVAILABLE, task, "version " + version
                    + " could not be loaded: " + e.getCause());
        }
    }

    private ServingProblem unavailable(String task, String version, FailedLoad failed) {
        if (failed.missing()) {
            return new ServingProblem(ServingProblem.Kind.UNKNOWN_VERSION, task, "task '" + task + "' has no"
                    + " complete version " + version);
        }
        return new ServingProblem(ServingProblem.Kind.VERSION_UNAVAILABLE, task, failed.message() + " (tried again"
                + " after adapterloop.serving.load-retry-interval, " + config.loadRetryInterval() + ")");
    }

    /** The serving cache's versions, least recently used first, as task/version; for tests and the console. */
    List<String> cachedVersions() {
        return cache.keys();
    }

    /** Bytes the cached versions hold on top of their bases. */
    public long cachedBytes() {
        return cache.bytes();
    }

    private boolean retryDue(String task, String version) {
        FailedLoad failed = version == null ? null : failures.get(task + "/" + version);
        return failed != null
                && Duration.ofNanos(System.nanoTime() - failed.atNanos()).compareTo(config.loadRetryInterval()) >= 0;
    }

    private void swapped(String task, String variant, ServedModel before, ServedModel after, long startedNanos) {
        if (after == null || (before != null && before.version().equals(after.version()))) {
            return;
        }
        long nanos = System.nanoTime() - startedNanos;
        Counter.builder("adapterloop.serving.swaps").tag("task", task).tag("variant", variant)
                .description("Versions swapped into a serving slot").register(meters).increment();
        Timer.builder("adapterloop.serving.swap.duration").tag("task", task).tag("variant", variant)
                .description("From noticing an alias change to serving the new version (load and switch)")
                .register(meters).record(Duration.ofNanos(nanos));
        LOG.infof("serving: task %s %s is now %s (was %s), swapped in %d ms", task, variant, after.version(),
                before == null ? "none" : before.version(), nanos / 1_000_000);
    }

    private static void release(ServedModel model) {
        if (model != null) {
            model.release();
        }
    }

    @PreDestroy
    public void close() {
        loader.shutdownNow();
        try {
            loader.awaitTermination(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        slots.values().forEach(s -> {
            release(s.champion());
            release(s.challenger());
        });
        slots.clear();
        cache.close();
    }
}
