package dev.adapterloop.training;

import java.util.Objects;

/**
 * Fired (CDI) when a started training job stops without an outcome: cancelled for a revoked partition, or taken over
 * by another replica. Its record stays as it was; whoever owns the job now runs or finishes it.
 */
public record JobStopped(String jobId, String task, String reason) {
    public JobStopped {
        Objects.requireNonNull(jobId, "jobId");
        Objects.requireNonNull(task, "task");
        Objects.requireNonNull(reason, "reason");
    }
}
