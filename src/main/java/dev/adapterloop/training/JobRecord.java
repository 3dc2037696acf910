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
 * @param failureKind the {@link FailureKind} wire name of a FAILED job's failure (null: none, or a record written
 *                    before it was recorded)
 * @param history     the failed runs before a retry, oldest first: each retry ({@code POST .../retry},
 *                    {@code adapterloop retry}) moves the failure here and queues the same job (id, data, base) again
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record JobRecord(int schemaVersion, String jobId, String task, State state, List<DatasetRef> datasets,
                        DatasetRef heldOut, List<String> sourceEventIds, Integer partition, int attempts,
                        String createdAt, String updatedAt, String version, String failure, Base base,
                        String failureKind, @JsonInclude(JsonInclude.Include.NON_EMPTY) List<Retry> history) {

    public static final int SCHEMA_VERSION = 1;

    /** The champion version a job builds on; {@code version} null: the task had none when the job started. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Base(String version) {
    }

    /**
     * One failed run and the retry that followed it.
     *
     * @param attempts    the job's {@code attempts} when it failed (runs started in all, retries included)
     * @param failedAt    when the failure was recorded
     * @param retriedBy   the principal that asked for the retry ({@code cli:<user>} from the command line)
     */
    public record Retry(int attempts, String failure, String failureKind, String failedAt, String retriedAt,
                        String retriedBy) {
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
        history = history == null ? List.of() : List.copyOf(history);
    }

    public static JobRecord queued(TrainingJob job, List<String> sourceEventIds, Integer partition) {
        String now = Instant.now().toString();
        return new JobRecord(SCHEMA_VERSION, job.jobId(), job.task(), State.QUEUED, job.datasets(), job.heldOut(),
                sourceEventIds, partition, 0, now, now, null, null, null, null, List.of());
    }

    public TrainingJob toJob() {
        return new TrainingJob(jobId, task, sourceEventIds.isEmpty() ? jobId : sourceEventIds.get(0), datasets,
                heldOut, base == null ? null : base.version());
    }

    /** The next attempt; the first one pins {@code champion} (null: none) as the job's base, later ones keep it. */
    JobRecord running(java.util.function.Supplier<String> champion) {
        Base pinned = base != null ? base : new Base(champion.get());
        return new JobRecord(schemaVersion, jobId, task, State.RUNNING, datasets, heldOut, sourceEventIds, partition,
                attempts + 1, createdAt, Instant.now().toString(), null, null, pinned, null, history);
    }

    /** Runs started since the last retry (all of them when never retried): what the automatic retries count. */
    int attemptsSinceRetry() {
        return history.isEmpty() ? attempts : attempts - history.get(history.size() - 1).attempts();
    }

    /**
     * This FAILED job queued again by {@code principal}: same id, data and base, its failure moved to the history.
     * The base stays pinned so that the retry trains what the failed run would have trained.
     */
    public JobRecord retried(String principal) {
        if (state != State.FAILED) {
            throw new IllegalStateException("job " + jobId + " is " + state + ", only a FAILED job can be retried");
        }
        String now = Instant.now().toString();
        List<Retry> more = new java.util.ArrayList<>(history);
        more.add(new Retry(attempts, failure, failureKind, updatedAt, now, principal));
        return new JobRecord(schemaVersion, jobId, task, State.QUEUED, datasets, heldOut, sourceEventIds, partition,
                attempts, createdAt, now, null, null, base, null, more);
    }

    JobRecord succeeded(String storedVersion) {
        return with(State.SUCCEEDED, storedVersion, null, null);
    }

    JobRecord failed(String reason, FailureKind kind) {
        return with(State.FAILED, null, reason, kind == null ? null : kind.wireName());
    }

    private JobRecord with(State newState, String newVersion, String newFailure, String newFailureKind) {
        return new JobRecord(schemaVersion, jobId, task, newState, datasets, heldOut, sourceEventIds, partition,
                attempts, createdAt, Instant.now().toString(), newVersion, newFailure, base, newFailureKind, history);
    }
}
