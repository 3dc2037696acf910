package dev.adapterloop.training;

import dev.adapterloop.events.DatasetRef;
import java.util.List;
import java.util.Objects;

/**
 * A validated request to train one adapter version for a task, derived from a labeled-data event.
 *
 * @param baseVersion the champion version this job builds on (warm start and replay, see {@code IncrementalStart}),
 *                    null for none: a first version, or a job run outside the scheduler
 */
public record TrainingJob(String jobId, String task, String sourceEventId, List<DatasetRef> datasets,
                          DatasetRef heldOut, String baseVersion) {

    public TrainingJob(String jobId, String task, String sourceEventId, List<DatasetRef> datasets,
                       DatasetRef heldOut) {
        this(jobId, task, sourceEventId, datasets, heldOut, null);
    }

    public TrainingJob {
        Objects.requireNonNull(jobId, "jobId");
        Objects.requireNonNull(task, "task");
        datasets = List.copyOf(datasets);
        if (datasets.isEmpty()) {
            throw new IllegalArgumentException("a training job needs at least one dataset");
        }
        Objects.requireNonNull(heldOut, "heldOut");
    }
}
