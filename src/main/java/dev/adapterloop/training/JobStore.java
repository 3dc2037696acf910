package dev.adapterloop.training;

import dev.adapterloop.registry.ObjectInfo;
import dev.adapterloop.registry.PipelineRecords;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Reads and writes {@link JobRecord}s in the bucket. */
@ApplicationScoped
public class JobStore {

    private final PipelineRecords records;
    private final Object conditionalWrites = new Object();
    /** Records as last read, by key, with the ETag the listing gave them; bounded (least recently used goes). */
    private final Map<String, Read> lastRead = java.util.Collections.synchronizedMap(
            new java.util.LinkedHashMap<>(256, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, Read> eldest) {
                    return size() > MAX_CACHED;
                }
            });

    private static final int MAX_CACHED = 20_000;

    private record Read(String etag, JobRecord job) {
    }

    public JobStore(PipelineRecords records) {
        this.records = records;
    }

    public Optional<JobRecord> find(String task, String jobId) {
        return records.read(PipelineRecords.jobKey(task, jobId), JobRecord.class);
    }

    public void save(JobRecord job) {
        records.write(PipelineRecords.jobKey(job.task(), job.jobId()), job);
    }

    /**
     * Creates the job's record unless one exists ({@code If-None-Match: *}, sent once, a lost answer read back);
     * false when it exists already.
     */
    public boolean create(JobRecord job) {
        return records.createOnce(PipelineRecords.jobKey(job.task(), job.jobId()), job);
    }

    /** The record with the ETag to hand back to {@link #replace}. */
    public Optional<PipelineRecords.Tagged<JobRecord>> findTagged(String task, String jobId) {
        return records.readTagged(PipelineRecords.jobKey(task, jobId), JobRecord.class);
    }

    /**
     * Writes {@code job} only if its record is still at {@code etag}: of two writers that read the same record, one
     * wins. Serialised in the JVM as well, because the embedded S3 server checks the ETag and then writes, in two
     * steps (a real S3 does both at once, which covers other replicas and the command line).
     */
    public boolean replace(JobRecord job, String etag) {
        synchronized (conditionalWrites) {
            return records.replace(PipelineRecords.jobKey(job.task(), job.jobId()), job, etag);
        }
    }

    /**
     * Every job, oldest first; a record that cannot be read is logged and left out, never fatal. One listing, and a
     * read only for the records whose ETag changed since this process last read them: listing every job of every task
     * (the console does, every few seconds) costs one request, not one per job. A record rewritten between the listing
     * and its read is read again at the next listing (its ETag differs by then).
     */
    public List<JobRecord> list(Optional<String> task) {
        List<JobRecord> jobs = new ArrayList<>();
        for (ObjectInfo object : records.jobObjects(task)) {
            try {
                Read cached = lastRead.get(object.key());
                if (cached != null && object.etag() != null && object.etag().equals(cached.etag())) {
                    jobs.add(cached.job());
                    continue;
                }
                records.read(object.key(), JobRecord.class).ifPresent(job -> {
                    lastRead.put(object.key(), new Read(object.etag(), job));
                    jobs.add(job);
                });
            } catch (RuntimeException e) {
                Log.errorf("skipping job record %s: %s", object.key(), e.getMessage());
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
