package dev.adapterloop.training;

import dev.adapterloop.registry.PipelineRecords;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/** Reads and writes {@link JobRecord}s in the bucket. */
@ApplicationScoped
public class JobStore {

    private final PipelineRecords records;

    public JobStore(PipelineRecords records) {
        this.records = records;
    }

    public Optional<JobRecord> find(String task, String jobId) {
        return records.read(PipelineRecords.jobKey(task, jobId), JobRecord.class);
    }

    public void save(JobRecord job) {
        records.write(PipelineRecords.jobKey(job.task(), job.jobId()), job);
    }

    /** Every job, oldest first; a record that cannot be read is logged and left out, never fatal. */
    public List<JobRecord> list(Optional<String> task) {
        List<JobRecord> jobs = new ArrayList<>();
        for (String key : records.jobKeys(task)) {
            try {
                records.read(key, JobRecord.class).ifPresent(jobs::add);
            } catch (RuntimeException e) {
                Log.errorf("skipping job record %s: %s", key, e.getMessage());
            }
        }
        jobs.sort(Comparator.comparing(JobRecord::createdAt).thenComparing(JobRecord::jobId));
        return jobs;
    }

    /** Jobs not yet at an end, oldest first: what a restarted or newly assigned replica must run. */
    public List<JobRecord> unfinished() {
        return list(Optional.empty()).stream().filter(job -> !job.state().isFinished()).toList();
    }
}
