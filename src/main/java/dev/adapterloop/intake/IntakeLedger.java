package dev.adapterloop.intake;

import dev.adapterloop.events.DatasetRef;
import dev.adapterloop.registry.PipelineRecords;
import dev.adapterloop.training.JobRecord;
import dev.adapterloop.training.JobStore;
import dev.adapterloop.config.TaskCatalogue;
import dev.adapterloop.config.TasksConfig;
import dev.adapterloop.training.TrainingJob;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * Takes accepted events in, once each: drops an event id or a dataset digest already seen, accumulates the rest per
 * task, and turns the accumulation into a durable job when the task's trigger fires (enough new records, or the
 * oldest waited long enough).
 *
 * <p>Every step is written to the bucket before the event is acknowledged, in an order that makes a crash between
 * any two writes harmless: the pending data first (a redelivered event is then found in it), the de-duplication
 * markers next, and at the trigger the job record before the pending data is cleared. A job's id derives from its
 * task and data, so writing the same job twice is writing one job.
 */
@ApplicationScoped
public class IntakeLedger {

    /** What became of an event. */
    public enum Outcome { DUPLICATE_EVENT, DUPLICATE_DATA, ACCUMULATED, TRIGGERED }

    /** @param job the job the event completed, when it did */
    public record Result(Outcome outcome, Optional<JobRecord> job, long pendingRecords) {
    }

    private final PipelineRecords records;
    private final JobStore jobs;
    private final TaskCatalogue tasks;
    private final Clock clock;
    private final Map<String, Object> taskLocks = new ConcurrentHashMap<>();

    @Inject
    public IntakeLedger(PipelineRecords records, JobStore jobs, TaskCatalogue tasks) {
        this(records, jobs, tasks, Clock.systemUTC());
    }

    IntakeLedger(PipelineRecords records, JobStore jobs, TaskCatalogue tasks, Clock clock) {
        this.records = records;
        this.jobs = jobs;
        this.tasks = tasks;
        this.clock = clock;
    }

    public Result accept(ValidatedEvent event, Integer partition) {
        synchronized (lock(event.task())) {
            PendingData pending = pending(event.task()).orElse(PendingData.empty(event.task(), partition,
                    event.heldOut()));
            if (pending.contains(event.eventId())
                    || records.exists(PipelineRecords.eventMarkerKey(event.task(), event.eventId()))) {
                Log.infof("labeled-data event %s (task %s): already taken in, ignored", event.eventId(),
                        event.task());
                return new Result(Outcome.DUPLICATE_EVENT, Optional.empty(), pending.records());
            }
            List<DatasetRef> fresh = new ArrayList<>();
            for (DatasetRef ref : event.datasets()) {
                boolean seen = pending.containsDigest(ref.sha256()) || fresh.stream()
                        .anyMatch(f -> f.sha256().equals(ref.sha256()))
                        || records.exists(PipelineRecords.datasetMarkerKey(event.task(), ref.sha256()));
                if (seen) {
                    Log.infof("labeled-data event %s (task %s): dataset %s (sha256 %s) already taken in, skipped",
                            event.eventId(), event.task(), ref.key(), ref.sha256());
                } else {
                    fresh.add(ref);
                }
            }
            if (fresh.isEmpty()) {
                records.write(PipelineRecords.eventMarkerKey(event.task(), event.eventId()),
                        marker(event, Outcome.DUPLICATE_DATA));
                return new Result(Outcome.DUPLICATE_DATA, Optional.empty(), pending.records());
            }
            if (!pending.heldOut().key().equals(event.heldOut().key())) {
                Log.warnf("labeled-data event %s (task %s) names held-out set %s; the pending data keeps %s",
                        event.eventId(), event.task(), event.heldOut().key(), pending.heldOut().key());
            }
            PendingData grown = pending.plus(event.eventId(), fresh, clock.instant());
            records.write(PipelineRecords.pendingKey(event.task()), grown);
            records.write(PipelineRecords.eventMarkerKey(event.task(), event.eventId()),
                    marker(event, Outcome.ACCUMULATED));
            for (DatasetRef ref : fresh) {
                records.write(PipelineRecords.datasetMarkerKey(event.task(), ref.sha256()),
                        Map.of("task", event.task(), "key", ref.key(), "eventId", event.eventId()));
            }
            TasksConfig.Intake trigger = intake(event.task());
            if (grown.records() >= trigger.minNewExamples()) {
                return new Result(Outcome.TRIGGERED, Optional.of(toJob(grown, "enough new records")), 0);
            }
            Log.infof("task %s: %d of %d records needed for the next job (or wait until %s)", event.task(),
                    grown.records(), trigger.minNewExamples(),
                    Instant.parse(grown.firstReceivedAt()).plus(trigger.maxWait()));
            return new Result(Outcome.ACCUMULATED, Optional.empty(), grown.records());
        }
    }

    /** Jobs for the tasks whose oldest pending data has waited {@code max-wait}, on partitions this replica owns. */
    public List<JobRecord> flushDue(java.util.function.Predicate<Integer> owned) {
        List<JobRecord> due = new ArrayList<>();
        Instant now = clock.instant();
        for (String task : records.tasksWithPendingData()) {
            if (!tasks.tasks().containsKey(task)) {
                continue;
            }
            synchronized (lock(task)) {
                pending(task).filter(p -> !p.batches().isEmpty() && owned.test(p.partition()))
                        .filter(p -> p.waited(now).compareTo(intake(task).maxWait()) >= 0)
                        .ifPresent(p -> due.add(toJob(p, "waited " + p.waited(now).toSeconds() + " s")));
            }
        }
        return due;
    }

    private JobRecord toJob(PendingData pending, String why) {
        List<DatasetRef> datasets = pending.datasets();
        TrainingJob job = new TrainingJob(jobId(pending.task(), datasets), pending.task(),
                pending.eventIds().get(0), datasets, pending.heldOut());
        JobRecord record = jobs.find(job.task(), job.jobId()).orElseGet(() -> {
            JobRecord queued = JobRecord.queued(job, pending.eventIds(), pending.partition());
            jobs.save(queued);
            return queued;
        });
        records.delete(PipelineRecords.pendingKey(pending.task()));
        Log.infof("task %s: job %s on %d records from %d events (%s)", pending.task(), record.jobId(),
                pending.records(), pending.batches().size(), why);
        return record;
    }

    /** The same task and data always make the same job id, whichever replica or attempt computes it. */
    static String jobId(String task, List<DatasetRef> datasets) {
        String digests = datasets.stream().map(DatasetRef::sha256).sorted().collect(Collectors.joining(","));
        return "job-" + PipelineRecords.sha256(task + "\n" + digests).substring(0, 20);
    }

    private Optional<PendingData> pending(String task) {
        return records.read(PipelineRecords.pendingKey(task), PendingData.class);
    }

    private TasksConfig.Intake intake(String task) {
        return tasks.tasks().get(task).intake();
    }

    private Object lock(String task) {
        return taskLocks.computeIfAbsent(task, t -> new Object());
    }

    private Map<String, Object> marker(ValidatedEvent event, Outcome outcome) {
        return Map.of("task", event.task(), "eventId", event.eventId(), "outcome", outcome.name(),
                "receivedAt", clock.instant().toString(),
                "datasets", event.datasets().stream().map(DatasetRef::key).sorted(Comparator.naturalOrder()).toList());
    }
}
