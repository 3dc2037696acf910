package dev.adapterloop.training;

import dev.adapterloop.registry.AliasStore;
import dev.adapterloop.registry.AliasTarget;
import dev.adapterloop.registry.PipelineRecords;
import io.quarkus.logging.Log;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Collection;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Runs durable jobs one at a time per device, in the order they were queued, on a thread of its own: a job that runs
 * for hours never holds up the Kafka consumer, which only validates, records and enqueues.
 *
 * <p>Ownership follows Kafka: a job belongs to the replica that owns its task's {@code labeled-data} partition. When
 * partitions are assigned (at start, after a restart, or when another replica died) the unfinished jobs on them are
 * queued again from their records; when partitions are revoked, their queued jobs are dropped and a running one is
 * stopped at its next step, to be finished by the new owner from its record.
 */
@ApplicationScoped
public class TrainingScheduler implements TrainingWorkerStatus {

    private static final int MAX_ATTEMPTS = 3;

    private final TrainingJobRunner runner;
    private final JobStore jobs;
    private final AliasStore aliases;
    private final JobProgressLog progress;
    private final AtomicReference<Thread> workerThread = new AtomicReference<>();
    private final ExecutorService worker = Executors.newSingleThreadExecutor(runnable -> {
        Thread thread = new Thread(runnable, "adapterloop-training");
        thread.setDaemon(true);
        workerThread.set(thread);
        return thread;
    });
    private final Set<String> queuedOrRunning = ConcurrentHashMap.newKeySet();
    private final Set<Integer> ownedPartitions = ConcurrentHashMap.newKeySet();
    private final AtomicInteger queued = new AtomicInteger();
    private final AtomicReference<JobRecord> running = new AtomicReference<>();
    private volatile boolean cancelRunning;
    // The last job stopped because its partition was revoked; only the worker thread writes it.
    private volatile String lastCancelled;

    public TrainingScheduler(TrainingJobRunner runner, JobStore jobs, AliasStore aliases, JobProgressLog progress) {
        this.runner = runner;
        this.jobs = jobs;
        this.aliases = aliases;
        this.progress = progress;
    }

    /** Queues a recorded job unless it is already queued or running here. */
    public Optional<Future<JobRecord>> submit(JobRecord job) {
        if (!queuedOrRunning.add(job.jobId())) {
            return Optional.empty();
        }
        int depth = queued.incrementAndGet();
        Log.infof("job %s: queued for task %s (%d in queue)", job.jobId(), job.task(), depth);
        return Optional.of(worker.submit(() -> {
            queued.decrementAndGet();
            try {
                return runRecorded(job);
            } finally {
                queuedOrRunning.remove(job.jobId());
                if (job.jobId().equals(lastCancelled) && owns(job.partition()) && !worker.isShutdown()) {
                    // Its partition came back before it stopped (an eager rebalance revokes everything, then
                    // assigns again), and the assignment's scan could not queue it while it was still running.
                    lastCancelled = null;
                    submit(jobs.find(job.task(), job.jobId()).orElse(job));
                }
            }
        }));
    }

    /** Partitions of {@code labeled-data} now ours: queue their unfinished jobs, oldest first. */
    public void partitionsAssigned(Collection<Integer> partitions) {
        if (partitions.isEmpty()) {
            return; // a cooperative rebalance that gave this replica nothing new
        }
        ownedPartitions.addAll(partitions);
        JobRecord current = running.get();
        if (current != null && owns(current)) {
            cancelRunning = false; // revoked and assigned back: keep going
        }
        for (JobRecord job : jobs.unfinished()) {
            if (owns(job)) {
                Log.infof("job %s (task %s): %s with %d attempt(s) so far, queued again", job.jobId(), job.task(),
                        job.state(), job.attempts());
                submit(job);
            }
        }
    }

    public void partitionsRevoked(Collection<Integer> partitions) {
        ownedPartitions.removeAll(partitions);
        JobRecord current = running.get();
        if (current != null && !owns(current)) {
            Log.warnf("job %s: partition %d moved to another replica; stopping at the next step", current.jobId(),
                    current.partition());
            cancelRunning = true;
        }
    }

    /** Jobs without a partition (batch mode, tests) are everyone's; others belong to the partition's owner. */
    public boolean owns(Integer partition) {
        return partition == null || ownedPartitions.contains(partition);
    }

    @Override
    public int queueDepth() {
        return queued.get();
    }

    /** The executor replaces a thread that died of an error; alive means it can still take work. */
    @Override
    public boolean workerAlive() {
        Thread thread = workerThread.get();
        return !worker.isShutdown() && (thread == null || thread.isAlive());
    }

    public Optional<JobRecord> runningJob() {
        return Optional.ofNullable(running.get());
    }

    private boolean owns(JobRecord job) {
        return owns(job.partition());
    }

    private JobRecord runRecorded(JobRecord queuedJob) {
        Optional<PipelineRecords.Tagged<JobRecord>> read = jobs.findTagged(queuedJob.task(), queuedJob.jobId());
        JobRecord job = read.map(PipelineRecords.Tagged::value).orElse(queuedJob);
        if (job.state().isFinished()) {
            Log.infof("job %s: already %s, not run again", job.jobId(), job.state());
            return job;
        }
        if (!owns(job)) {
            Log.infof("job %s: partition %d is no longer ours, left to its owner", job.jobId(), job.partition());
            return job;
        }
        String task = job.task();
        job = job.running(() -> champion(task));
        // Compare-and-set on the record as read: of two replicas that both saw it QUEUED (or RUNNING, after a crash),
        // one takes the attempt; the other leaves it.
        boolean taken = read.isPresent() ? jobs.replace(job, read.get().etag()) : jobs.create(job);
        if (!taken) {
            Log.infof("job %s: its record changed since read (another replica took it), left to it", job.jobId());
            return job;
        }
        running.set(job);
        cancelRunning = false;
        try {
            JobRecord attempt = job;
            JobOutcome outcome = runner.run(job.toJob(), job.attempts(), new TrainingJobRunner.Control() {
                @Override
                public boolean stopRequested() {
                    return cancelRunning;
                }

                @Override
                public boolean stillOwned() {
                    return !cancelRunning && jobs.find(attempt.task(), attempt.jobId())
                            .map(r -> r.state() == JobRecord.State.RUNNING && r.attempts() == attempt.attempts())
                            .orElse(false);
                }

                @Override
                public void progressed(TrainingProgress step) {
                    progress.report(attempt, step);
                }
            });
            JobRecord ended = outcome.succeeded() ? job.succeeded(outcome.version())
                    : job.failed(outcome.failure(), outcome.failureKind());
            // Counted since the last manual retry: a retried job gets its own passing-fault retries.
            if (!outcome.succeeded() && outcome.failureKind() == FailureKind.STORAGE_UNAVAILABLE
                    && job.attemptsSinceRetry() < MAX_ATTEMPTS) {
                Log.warnf("job %s: attempt %d of %d failed on a passing fault (%s); queued again", job.jobId(),
                        job.attemptsSinceRetry(), MAX_ATTEMPTS, outcome.failure());
                JobRecord retry = job;
                worker.submit(() -> {
                    sleepQuietly(TimeUnit.SECONDS.toMillis(5L * retry.attemptsSinceRetry()));
                    return runRecorded(retry);
                });
                return job;
            }
            if (!recordOutcome(attempt, ended)) {
                return jobs.find(job.task(), job.jobId()).orElse(ended);
            }
            return ended;
        } catch (JobCancelledException e) {
            Log.infof("job %s: %s", job.jobId(), e.getMessage());
            if (cancelRunning) {
                lastCancelled = job.jobId(); // stopped for a revoked partition, not for a takeover
            }
            return job;
        } finally {
            running.set(null);
            progress.ended(job);
        }
    }

    /**
     * Writes the attempt's outcome only if the record still shows this attempt running, by compare-and-set on the
     * ETag it was read with: a replica that took the job over meanwhile keeps its record.
     */
    private boolean recordOutcome(JobRecord attempt, JobRecord ended) {
        Optional<PipelineRecords.Tagged<JobRecord>> now = jobs.findTagged(attempt.task(), attempt.jobId());
        boolean stillOurs = now.map(t -> t.value().state() == JobRecord.State.RUNNING
                && t.value().attempts() == attempt.attempts()).orElse(false);
        if (stillOurs && jobs.replace(ended, now.get().etag())) {
            return true;
        }
        Log.warnf("job %s: attempt %d ended %s, but another replica has taken the job since (its record: %s); "
                + "the outcome is not recorded", attempt.jobId(), attempt.attempts(), ended.state(),
                now.map(t -> t.value().state() + ", attempt " + t.value().attempts()).orElse("gone"));
        return false;
    }

    /** The task's champion now; the first attempt of a job pins it as the job's base. */
    private String champion(String task) {
        return aliases.read(task).alias(AliasStore.CHAMPION).map(AliasTarget::version).orElse(null);
    }

    private static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @PreDestroy
    void stop() throws InterruptedException {
        worker.shutdownNow();
        worker.awaitTermination(30, TimeUnit.SECONDS);
    }
}
