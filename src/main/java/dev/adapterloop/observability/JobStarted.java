package dev.adapterloop.observability;

import java.util.Objects;

/**
 * Fired (CDI) when a training job starts running, before its first step; {@link dev.adapterloop.training.JobOutcome}
 * or {@link JobStopped} ends it.
 */
public record JobStarted(String jobId, String task) {
    public JobStarted {
        Objects.requireNonNull(jobId, "jobId");
        Objects.requireNonNull(task, "task");
    }
}
