package dev.adapterloop.training;

import dev.adapterloop.events.DatasetRef;
import dev.adapterloop.registry.AdapterRegistry;
import dev.adapterloop.registry.ObjectStore;
import dev.adapterloop.registry.PipelineRecords;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Queues a FAILED job again: same id, same data, same base, its failure kept in the record's history. A job's data is
 * taken in once (intake de-duplicates by digest), so without this a job that failed for a reason since fixed (a base
 * model imported late) could never run.
 *
 * <p>The data must still be what intake recorded: every dataset is looked up and hashed again, and a missing or
 * changed one refuses the retry, naming its key. The record moves FAILED → QUEUED by compare-and-set on its ETag, so of
 * two retries at once (two admins, two replicas, the command line) one queues the job and the other is refused. A
 * request under {@code retries/} then tells the partition's owner to run it ({@link #pickUp}), whichever process
 * asked.
 */
@ApplicationScoped
public class JobRetry {

    private final JobStore jobs;
    private final PipelineRecords records;
    private final ObjectStore store;

    public JobRetry(JobStore jobs, PipelineRecords records, AdapterRegistry registry) {
        this.jobs = jobs;
        this.records = records;
        this.store = registry.store();
    }

    /** @throws JobRetryRefused when the job is unknown, not FAILED, or its data is gone or changed */
    public JobRecord retry(String task, String jobId, String principal) {
        PipelineRecords.Tagged<JobRecord> read = jobs.findTagged(task, jobId).orElseThrow(() -> new JobRetryRefused(
                JobRetryRefused.Reason.UNKNOWN_JOB, task, jobId, null,
                "job '" + jobId + "' of task '" + task + "' not found"));
        JobRecord job = read.value();
        requireFailed(job);
        requireSameData(job);
        JobRecord queued = job.retried(principal);
        if (!jobs.replace(queued, read.etag())) {
            JobRecord now = jobs.find(task, jobId).orElse(job);
            requireFailed(now); // someone else retried it first: refused as not FAILED
            throw new JobRetryRefused(JobRetryRefused.Reason.NOT_FAILED, task, jobId, null, "job '" + jobId
                    + "' changed while it was being retried; read it again");
        }
        Log.infof("job %s (task %s): retried by %s after %d attempt(s); it failed with: %s", jobId, task, principal,
                job.attempts(), job.failure());
        records.write(PipelineRecords.retryKey(task, jobId), Map.of("task", task, "jobId", jobId,
                "requestedAt", Instant.now().toString(), "requestedBy", principal));
        return queued;
    }

    /**
     * Retried jobs for this replica to run: those on partitions it owns are handed to {@code scheduler} and their
     * requests removed; a request for a job that has run since (or is gone) is removed too. Others are left to their
     * owner. Called on the trigger clock's tick.
     */
    public void pickUp(TrainingScheduler scheduler) {
        for (String key : records.retryKeys()) {
            String[] parts = key.substring("retries/".length(), key.length() - ".json".length()).split("/", 2);
            Optional<JobRecord> job = parts.length == 2 ? jobs.find(parts[0], parts[1]) : Optional.empty();
            if (job.isPresent() && job.get().state() == JobRecord.State.QUEUED) {
                if (!scheduler.owns(job.get().partition())) {
                    continue;
                }
                scheduler.submit(job.get());
            }
            records.delete(key);
        }
    }

    private static void requireFailed(JobRecord job) {
        if (job.state() != JobRecord.State.FAILED) {
            String why = switch (job.state()) {
                case SUCCEEDED -> "it succeeded (version " + job.version() + "); nothing to retry";
                case RUNNING -> "it is running now";
                case QUEUED -> "it is queued already";
                case FAILED -> throw new IllegalStateException();
            };
            throw new JobRetryRefused(JobRetryRefused.Reason.NOT_FAILED, job.task(), job.jobId(), null,
                    "job '" + job.jobId() + "' of task '" + job.task() + "' is " + job.state()
                            + ", only a FAILED job can be retried: " + why);
        }
    }

    /** Every dataset, held-out set included, must still be in the bucket with the digest intake recorded. */
    private void requireSameData(JobRecord job) {
        List<DatasetRef> refs = new ArrayList<>(job.datasets());
        if (job.heldOut() != null) {
            refs.add(job.heldOut());
        }
        for (DatasetRef ref : refs) {
            if (!store.exists(ref.key())) {
                throw new JobRetryRefused(JobRetryRefused.Reason.DATASET_MISSING, job.task(), job.jobId(), ref.key(),
                        "dataset " + ref.key() + " of job '" + job.jobId() + "' is no longer in the bucket; a retry "
                                + "trains on the data taken in, so announce new data in a labeled-data event instead");
            }
            if (ref.sha256() != null && !ref.sha256().equals(store.sha256(ref.key()))) {
                throw new JobRetryRefused(JobRetryRefused.Reason.DATASET_CHANGED, job.task(), job.jobId(), ref.key(),
                        "dataset " + ref.key() + " of job '" + job.jobId() + "' changed since intake (its sha256 is "
                                + "no longer " + ref.sha256() + "); a retry trains on the data taken in, so announce "
                                + "the new data in a labeled-data event instead");
            }
        }
    }
}
