package dev.adapterloop.training;

import java.util.Objects;

/**
 * Fired (CDI) when a training job starts running, before its first step; {@link JobOutcome}
 * or {@link JobStopped} ends it.
 */
public record JobStarted(String jobId, String task) {
    public JobStarted {
        Objects.requireNonNull(jobId, "jobId");
        Objects.requireNonNull(task, "task");
    }
}
