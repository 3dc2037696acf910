package dev.adapterloop.api;

import dev.adapterloop.http.FieldError;
import dev.adapterloop.training.JobProgress;
import dev.adapterloop.training.JobProgressLog;
import dev.adapterloop.training.JobRecord;
import dev.adapterloop.training.JobStore;
import dev.adapterloop.training.TrainingScheduler;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** Job records filtered by task and state, with what this replica's worker is doing now. */
@ApplicationScoped
class JobListing {

    /**
     * {@code runningHere}: the job this replica's worker is running now (null when idle); {@code progress}: the last
     * recorded progress of each RUNNING job, by job id (whichever replica runs it).
     */
    public record Jobs(List<JobRecord> jobs, String runningHere, int queuedHere, Map<String, JobProgress> progress) {
    }

    private final JobStore jobs;
    private final TrainingScheduler scheduler;
    private final JobProgressLog progress;

    JobListing(JobStore jobs, TrainingScheduler scheduler, JobProgressLog progress) {
        this.jobs = jobs;
        this.scheduler = scheduler;
        this.progress = progress;
    }

    Optional<JobRecord> find(String task, String jobId) {
        return jobs.find(task, jobId);
    }

    Jobs list(Optional<String> task, String state) {
        Optional<JobRecord.State> wanted = parse(state);
        List<JobRecord> records = jobs.list(task).stream()
                .filter(job -> wanted.map(s -> s == job.state()).orElse(true)).toList();
        Map<String, JobProgress> running = new TreeMap<>();
        for (JobRecord job : records) {
            progress.of(job).ifPresent(p -> running.put(job.jobId(), p));
        }
        return new Jobs(records, scheduler.runningJob().map(JobRecord::jobId).orElse(null), scheduler.queueDepth(),
                running);
    }

    private static Optional<JobRecord.State> parse(String state) {
        if (state == null || state.isBlank()) {
            return Optional.empty();
        }
        try {
            return Optional.of(JobRecord.State.valueOf(state.trim().toUpperCase(Locale.ROOT)));
        } catch (IllegalArgumentException e) {
            throw ApiProblem.invalid(List.of(new FieldError("state", "state must be one of "
                    + Arrays.toString(JobRecord.State.values()) + ", got '" + state + "'")));
        }
    }
}
