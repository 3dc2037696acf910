package dev.adapterloop.training;

import dev.adapterloop.registry.PipelineRecords;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Keeps the progress of the jobs this replica runs in the bucket ({@link JobProgress}), throttled: the first step, then
 * at most one write every {@link #INTERVAL}, and the last step, so a job of thousands of steps costs a handful of PUTs
 * a minute, not one per step. A write that fails is logged and forgotten: progress never fails a job.
 */
@ApplicationScoped
public class JobProgressLog {

    static final Duration INTERVAL = Duration.ofSeconds(3);

    private final PipelineRecords records;
    private final Clock clock;
    private final Map<String, Instant> lastWritten = new ConcurrentHashMap<>();

    @jakarta.inject.Inject
    public JobProgressLog(PipelineRecords records) {
        this(records, Clock.systemUTC());
    }

    JobProgressLog(PipelineRecords records, Clock clock) {
        this.records = records;
        this.clock = clock;
    }

    public static String key(String task, String jobId) {
        return "progress/" + PipelineRecords.jobKey(task, jobId).substring("jobs/".length());
    }

    /** Called at every step of {@code job}'s current attempt; writes when the throttle allows. */
    void report(JobRecord job, TrainingProgress progress) {
        Instant now = clock.instant();
        String id = job.task() + "/" + job.jobId() + "#" + job.attempts();
        Instant last = lastWritten.get(id);
        boolean due = last == null || !now.isBefore(last.plus(INTERVAL)) || progress.step() >= progress.totalSteps();
        if (!due) {
            return;
        }
        lastWritten.put(id, now);
        try {
            records.write(key(job.task(), job.jobId()), JobProgress.of(job, progress, now));
        } catch (RuntimeException e) {
            Log.warnf("job %s: could not record its progress (step %d): %s", job.jobId(), progress.step(),
                    e.getMessage());
        }
        if (progress.step() >= progress.totalSteps()) {
            lastWritten.remove(id);
        }
    }

    /** Forgets the throttle of {@code job}'s attempt once it ended, however it ended. */
    void ended(JobRecord job) {
        lastWritten.remove(job.task() + "/" + job.jobId() + "#" + job.attempts());
    }

    /** The progress of {@code job}'s current attempt, if it is running and has reported any. */
    public Optional<JobProgress> of(JobRecord job) {
        if (job.state() != JobRecord.State.RUNNING) {
            return Optional.empty();
        }
        try {
            return records.read(key(job.task(), job.jobId()), JobProgress.class)
                    .filter(p -> p.attempt() == job.attempts());
        } catch (RuntimeException e) {
            Log.warnf("job %s: its progress record cannot be read: %s", job.jobId(), e.getMessage());
            return Optional.empty();
        }
    }
}
