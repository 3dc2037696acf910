package dev.adapterloop.registry;

import java.io.IOException;

/**
 * A task's base model is not in the bucket: a configuration problem (import the model) rather than bad data, so a job
 * that failed on it is worth retrying once the model is there. An IOException as before, for callers that only care
 * that the fetch failed.
 */
public final class BaseModelMissingException extends IOException {
    private final String modelId;

    public BaseModelMissingException(String modelId, String message) {
        super(message);
        this.modelId = modelId;
    }

    public String modelId() {
        return modelId;
    }
}
