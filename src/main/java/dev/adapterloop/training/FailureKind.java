package dev.adapterloop.training;

import ai.djl.engine.EngineException;
import dev.adapterloop.dataset.DatasetFormatException;
import dev.adapterloop.registry.BaseModelMissingException;
import dev.adapterloop.registry.ObjectStoreException;
import java.io.IOException;
import java.util.Locale;

/** Why a job failed, in words an operator (and an alert rule) can act on; sent as {@code failureKind}. */
public enum FailureKind {
    /** The loss became NaN or infinite: learning rate, data or precision. */
    NAN_LOSS,
    /** The JVM heap or the engine's native memory ran out. */
    OUT_OF_MEMORY,
    /** The data could not be used: unreadable, changed since intake, unknown labels. */
    BAD_DATA,
    /**
     * The task's base model is not in the bucket: configuration, not data. Import it ({@code adapterloop
     * import-model}), then retry the job ({@code POST .../jobs/<id>/retry}, {@code adapterloop retry}).
     */
    BASE_MODEL_MISSING,
    /**
     * The job's examples need more memory than {@code adapterloop.training.max-data-memory} allows: raise it (and the
     * heap) or send smaller datasets, then retry the job.
     */
    DATA_TOO_LARGE,
    /** The bucket could not be reached after retries. */
    STORAGE_UNAVAILABLE,
    /** Anything else: a bug to report. */
    INTERNAL;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    public static FailureKind of(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof OutOfMemoryError
                    || (t instanceof EngineException && String.valueOf(t.getMessage()).toLowerCase(Locale.ROOT)
                    .contains("out of memory"))
                    || String.valueOf(t.getMessage()).contains("can't allocate memory")) {
                return OUT_OF_MEMORY;
            }
            if (t instanceof TrainingFailedException && String.valueOf(t.getMessage()).startsWith("loss became")) {
                return NAN_LOSS;
            }
            if (t instanceof DataTooLargeException) {
                return DATA_TOO_LARGE;
            }
            if (t instanceof BaseModelMissingException) {
                return BASE_MODEL_MISSING; // an IOException, which the fallback below would call bad data
            }
            if (t instanceof ObjectStoreException store) {
                return store.isRetriable() ? STORAGE_UNAVAILABLE : BAD_DATA;
            }
            if (t instanceof DatasetFormatException || t instanceof BadDataException) {
                return BAD_DATA;
            }
        }
        return failure instanceof IOException ? BAD_DATA : INTERNAL;
    }
}
