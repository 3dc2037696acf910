package dev.adapterloop.training;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.adapterloop.events.DatasetRef;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * The durable record of a training job ({@code jobs/<task>/<job-id>.json}). It is written before the events that
 * asked for the job are acknowledged, so whatever happens to the process afterwards, the job is found again and run
 * to an end: {@link State#SUCCEEDED} with the version it stored, or {@link State#FAILED} with the reason.
 *
 * @param partition  the {@code labeled-data} partition the task's events arrive on: the replica that owns that
 *                   partition owns the job
 * @param attempts   runs started so far; a job found {@code RUNNING} after a restart was interrupted
 * @param base       the champion the job builds on (warm start, replay), fixed when the job first starts so that a
 *                   run after a crash trains exactly what the first run trained even if the champion moved since;
 *                   null until then
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record JobRecord(int schemaVersion, String jobId, String task, State state, List<DatasetRef> datasets,
                        DatasetRef heldOut, List<String> sourceEventIds, Integer partition, int attempts,
                        String createdAt, String updatedAt, String version, String failure, Base base) {

    public static final int SCHEMA_VERSION = 1;

    /** The champion version a job builds on; {@code version} null: the task had none when the job started. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Base(String version) {
    }

    public enum State {
        QUEUED, RUNNING, SUCCEEDED, FAILED;

        public boolean isFinished() {
            return this == SUCCEEDED || this == FAILED;
        }
    }

    public JobRecord {
        Objects.requireNonNull(jobId, "jobId");
        Objects.requireNonNull(task, "task");
        Objects.requireNonNull(state, "state");
        datasets = List.copyOf(datasets);
        sourceEventIds = sourceEventIds == null ? List.of() : List.copyOf(sourceEventIds);
    }

    public static JobRecord queued(TrainingJob job, List<String> sourceEventIds, Integer partition) {
        String now = Instant.now().toString();
        return new JobRecord(SCHEMA_VERSION, job.jobId(), job.task(), State.QUEUED, job.datasets(), job.heldOut(),
                sourceEventIds, partition, 0, now, now, null, null, null);
    }

    public TrainingJob toJob() {
        return new TrainingJob(jobId, task, sourceEventIds.isEmpty() ? jobId : sourceEventIds.get(0), datasets,
                heldOut, base == null ? null : base.version());
    }

    /** The next attempt; the first one pins {@code champion} (null: none) as the job's base, later ones keep it. */
    JobRecord running(java.util.function.Supplier<String> champion) {
        Base pinned = base != null ? base : new Base(champion.get());
        return new JobRecord(schemaVersion, jobId, task, State.RUNNING, datasets, heldOut, sourceEventIds, partition,
                attempts + 1, createdAt, Instant.now().toString(), null, null, pinned);
    }

    JobRecord succeeded(String storedVersion) {
        return with(State.SUCCEEDED, attempts, storedVersion, null);
    }

    JobRecord failed(String reason) {
        return with(State.FAILED, attempts, null, reason);
    }

    private JobRecord with(State newState, int newAttempts, String newVersion, String newFailure) {
        return new JobRecord(schemaVersion, jobId, task, newState, datasets, heldOut, sourceEventIds, partition,
                newAttempts, createdAt, Instant.now().toString(), newVersion, newFailure, base);
    }
}
