package dev.adapterloop.serving;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Map;
import java.util.OptionalDouble;

/** {@code adapterloop.serving.*}: the prediction endpoint, its traffic split, model swaps and the prediction log. */
@ConfigMapping(prefix = "adapterloop.serving")
public interface ServingConfig {

    /** The dev default of {@link #predictionIdKey()}: fine for a laptop, a warning in the prod profile. */
    String DEV_PREDICTION_ID_KEY = dev.adapterloop.events.PredictionId.DEV_KEY;

    /** Share of sticky routing keys that the challenger answers when the task has one (0..1). */
    /** False: no alias polling and no model loading (batch commands, which serve nothing, set it). */
    @WithDefault("true")
    boolean enabled();

    @WithDefault("0.1")
    double challengerShare();

    /** Per task: {@code adapterloop.serving.tasks.<task>.challenger-share} overrides the default above. */
    Map<String, TaskServing> tasks();

    interface TaskServing {
        OptionalDouble challengerShare();
    }

    /** How often the task aliases are read; a change loads the new version off the request path, then swaps. */
    @WithDefault("2s")
    Duration aliasPollInterval();

    /** A version that failed to load is tried again after this long (or at once on refresh). */
    @WithDefault("30s")
    Duration loadRetryInterval();

    /**
     * shared: every version's adapters run unmerged on one loaded copy of its base per process (many adapters, cheap
     * swaps, batches that mix versions); merged: each version gets its own copy with the adapters folded into the
     * weights (fastest for one hot adapter); unmerged: its own copy, the adapter path run on each request.
     */
    @WithDefault("shared")
    String mode();

    /**
     * Memory for loaded adapter versions on top of their bases ({@link AdapterCache}): every task's champion and
     * challenger are pinned and counted; versions that left their slots and versions that requests named explicitly
     * stay loaded, least recently used leaving first, while the total is within this budget. In shared mode a version
     * costs its adapter factors and head; in merged and unmerged mode its whole copy of the base.
     */
    @WithDefault("512M")
    MemorySize adapterCacheBudget();

    /**
     * How long a request that names a version not loaded yet waits for its load (on the loader thread, shared with
     * any other request for it) before it is answered 503 (the load goes on; a retry then finds it loaded).
     */
    @WithDefault("30s")
    Duration versionLoadTimeout();

    /**
     * Longer texts are refused with 413; the model only reads the first max-sequence-length tokens anyway. With
     * max-batch it also bounds a predictions body ({@link PredictionBody#maxBytes}).
     */
    @WithDefault("20000")
    int maxTextChars();

    /** Texts in one batch request, at most. */
    @WithDefault("64")
    int maxBatch();

    /**
     * Prediction requests in flight at once (reading the body, waiting for an inference slot, inferring); one more
     * is refused 429 before its body is read, so that bodies never pile up in memory.
     */
    @WithDefault("16")
    int maxConcurrentRequests();

    /**
     * An admitted prediction request must have sent its whole body within this long, or its connection is closed:
     * a permit is taken before authentication, so a stalled body must not hold one for the connection's lifetime.
     */
    @WithDefault("30s")
    Duration bodyReadTimeout();

    @WithDefault("128")
    int maxSequenceLength();

    /** Forward passes running at once; more wait (PyTorch already spreads one pass over its intra-op threads). */
    @WithDefault("4")
    int maxConcurrentInferences();

    /**
     * Generation requests for the same version decoded together in one loop, at most ({@code GenerationBatcher}):
     * requests that queue while the decoding loops are busy go into the next one together.
     */
    @WithDefault("16")
    int maxGenerationBatch();

    /** Generation requests queued or decoding at most, over all tasks; one more is refused with 429. */
    @WithDefault("64")
    int maxQueuedGenerations();

    /** How long a generation request waits for its batch to finish before it is answered 503. */
    @WithDefault("PT120S")
    Duration generationTimeout();

    /** HMAC key of prediction ids (at least 16 bytes). Never logged. */
    @WithDefault(DEV_PREDICTION_ID_KEY)
    String predictionIdKey();

    /** Prediction records waiting for Kafka; when full, records are dropped and counted, requests never wait. */
    @WithDefault("10000")
    int predictionLogBuffer();
}
