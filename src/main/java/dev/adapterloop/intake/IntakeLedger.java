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
import java.util.stream.Collectors;

/**
 * Takes accepted events in, once each: drops an event id or a dataset digest already seen, accumulates the rest per
 * task, and turns the accumulation into a durable job when the task's trigger fires (enough new records, or the
 * oldest waited long enough).
 *
 * <p>Every step is written to the bucket before the event is acknowledged, in an order that makes a crash between
 * any two writes harmless: the pending data first (a redelivered event is then found in it), the de-duplication
 * markers next. At the trigger the pending data's batches move into a {@link PendingData.Handoff} naming the job,
 * then the job record is created ({@code If-None-Match: *}), the markers of every batch written, and the handoff
 * cleared. A job's id derives from its task and data, so creating the same job twice is creating one job.
 *
 * <p>Several ledgers may work on one task at once (two replicas during a rebalance, the trigger clock beside the
 * consumer): every change of {@code pending.json} is a compare-and-set on its ETag ({@code If-Match}, or
 * {@code If-None-Match: *} for the first), and a writer that loses reads again and decides again. So an event is
 * either in the pending data, in a handoff or behind its markers, never dropped by a concurrent write, and data
 * handed to one job cannot also go to another.
 */
@ApplicationScoped
public class IntakeLedger {

    /** What became of an event. */
    public enum Outcome { DUPLICATE_EVENT, DUPLICATE_DATA, ACCUMULATED, TRIGGERED }

    /** @param job the job the event completed, when it did */
    public record Result(Outcome outcome, Optional<JobRecord> job, long pendingRecords) {
    }

    /** Compare-and-set rounds lost in a row before giving up: only a storm of writers on one task gets there. */
    static final int MAX_ROUNDS = 100;

    private final PipelineRecords records;
    private final JobStore jobs;
    private final TaskCatalogue tasks;
    private final Clock clock;

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
        String key = PipelineRecords.pendingKey(event.task());
        for (int round = 1; round <= MAX_ROUNDS; round++) {
            Optional<PipelineRecords.Tagged<PendingData>> read = records.readTagged(key, PendingData.class);
            PendingData pending = read.map(PipelineRecords.Tagged::value)
                    .orElse(PendingData.empty(event.task(), partition, event.heldOut()));
            String etag = read.map(PipelineRecords.Tagged::etag).orElse(null);
            if (pending.handoff() != null) {
                completeHandoff(event.task()); // another writer's trigger, unfinished: finish it, then read again
                continue;
            }
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
                        marker(event.task(), event.eventId(), Outcome.DUPLICATE_DATA, event.datasets()));
                return new Result(Outcome.DUPLICATE_DATA, Optional.empty(), pending.records());
            }
            if (!pending.heldOut().key().equals(event.heldOut().key())) {
                Log.warnf("labeled-data event %s (task %s) names held-out set %s; the pending data keeps %s",
                        event.eventId(), event.task(), event.heldOut().key(), pending.heldOut().key());
            }
            PendingData grown = pending.plus(event.eventId(), fresh, clock.instant());
            TasksConfig.Intake trigger = intake(event.task());
            boolean triggered = grown.records() >= trigger.minNewExamples();
            PendingData next = triggered ? grown.handedOff(jobId(grown), "enough new records") : grown;
            if (!compareAndSet(key, next, etag)) {
                Log.infof("labeled-data event %s (task %s): %s changed since read (another writer), reading again "
                        + "(round %d)", event.eventId(), event.task(), key, round);
                continue;
            }
            if (triggered) {
                // The handoff's completion writes every batch's markers, this event's among them.
                return new Result(Outcome.TRIGGERED, completeHandoff(event.task()).or(() -> jobs.find(event.task(),
                        next.handoff().jobId())), 0);
            }
            writeMarkers(event.task(), new PendingData.Batch(event.eventId(), null, fresh), Outcome.ACCUMULATED);
            Log.infof("task %s: %d of %d records needed for the next job (or wait until %s)", event.task(),
                    grown.records(), trigger.minNewExamples(),
                    Instant.parse(grown.firstReceivedAt()).plus(trigger.maxWait()));
            return new Result(Outcome.ACCUMULATED, Optional.empty(), grown.records());
        }
        throw new IllegalStateException("labeled-data event " + event.eventId() + " (task " + event.task()
                + "): lost the compare-and-set on " + key + " " + MAX_ROUNDS + " times in a row: too many writers");
    }

    /**
     * Jobs for the tasks whose oldest pending data has waited {@code max-wait}, on partitions this replica owns, and
     * the jobs of handoffs a writer left unfinished (it died between the handoff and clearing it).
     */
    public List<JobRecord> flushDue(java.util.function.Predicate<Integer> owned) {
        List<JobRecord> due = new ArrayList<>();
        for (String task : records.tasksWithPendingData()) {
            if (!tasks.tasks().containsKey(task)) {
                continue;
            }
            flushDue(task, owned).ifPresent(due::add);
        }
        return due;
    }

    private Optional<JobRecord> flushDue(String task, java.util.function.Predicate<Integer> owned) {
        String key = PipelineRecords.pendingKey(task);
        for (int round = 1; round <= MAX_ROUNDS; round++) {
            Optional<PipelineRecords.Tagged<PendingData>> read = records.readTagged(key, PendingData.class);
            if (read.isEmpty() || !owned.test(read.get().value().partition())) {
                return Optional.empty();
            }
            PendingData pending = read.get().value();
            if (pending.handoff() != null) {
                return completeHandoff(task);
            }
            Instant now = clock.instant();
            if (pending.batches().isEmpty() || pending.waited(now).compareTo(intake(task).maxWait()) < 0) {
                return Optional.empty();
            }
            PendingData next = pending.handedOff(jobId(pending), "waited " + pending.waited(now).toSeconds() + " s");
            if (compareAndSet(key, next, read.get().etag())) {
                return completeHandoff(task);
            }
        }
        throw new IllegalStateException("task " + task + ": lost the compare-and-set on " + key + " " + MAX_ROUNDS
                + " times in a row: too many writers");
    }

    /**
     * Finishes the task's handoff, if one is there: creates its job (or finds it), writes the markers of its batches,
     * clears it by compare-and-set. Any ledger may do it, any number of times: each step is idempotent.
     *
     * @return the job of the handoff this call found, empty when there was none
     */
    private Optional<JobRecord> completeHandoff(String task) {
        String key = PipelineRecords.pendingKey(task);
        JobRecord job = null;
        for (int round = 1; round <= MAX_ROUNDS; round++) {
            Optional<PipelineRecords.Tagged<PendingData>> read = records.readTagged(key, PendingData.class);
            PendingData.Handoff handoff = read.map(tagged -> tagged.value().handoff()).orElse(null);
            if (handoff == null) {
                return Optional.ofNullable(job);
            }
            if (job == null || !job.jobId().equals(handoff.jobId())) {
                job = createJob(task, handoff);
                for (PendingData.Batch batch : handoff.batches()) {
                    writeMarkers(task, batch, Outcome.ACCUMULATED);
                }
            }
            if (compareAndSet(key, read.get().value().handoffDone(), read.get().etag())) {
                return Optional.of(job);
            }
        }
        throw new IllegalStateException("task " + task + ": lost the compare-and-set on " + key + " " + MAX_ROUNDS
                + " times in a row while clearing a handoff: too many writers");
    }

    private JobRecord createJob(String task, PendingData.Handoff handoff) {
        List<DatasetRef> datasets = handoff.datasets();
        TrainingJob job = new TrainingJob(handoff.jobId(), task, handoff.eventIds().get(0), datasets,
                handoff.heldOut());
        JobRecord queued = JobRecord.queued(job, handoff.eventIds(), handoff.partition());
        if (jobs.create(queued)) {
            Log.infof("task %s: job %s on %d records from %d events (%s)", task, job.jobId(), handoff.records(),
                    handoff.batches().size(), handoff.reason());
            return queued;
        }
        // Created already: by another ledger that finished the same handoff, or before a crash.
        return jobs.find(task, job.jobId()).orElseThrow(() -> new IllegalStateException("job record "
                + PipelineRecords.jobKey(task, job.jobId()) + " exists (a create was refused) but cannot be read"));
    }

    private boolean compareAndSet(String key, PendingData next, String etag) {
        return etag == null ? records.createOnce(key, next) : records.replace(key, next, etag);
    }

    private void writeMarkers(String task, PendingData.Batch batch, Outcome outcome) {
        records.write(PipelineRecords.eventMarkerKey(task, batch.eventId()),
                marker(task, batch.eventId(), outcome, batch.datasets()));
        for (DatasetRef ref : batch.datasets()) {
            records.write(PipelineRecords.datasetMarkerKey(task, ref.sha256()),
                    Map.of("task", task, "key", ref.key(), "eventId", batch.eventId()));
        }
    }

    private static String jobId(PendingData pending) {
        return jobId(pending.task(), pending.datasets());
    }

    /** The same task and data always make the same job id, whichever replica or attempt computes it. */
    static String jobId(String task, List<DatasetRef> datasets) {
        String digests = datasets.stream().map(DatasetRef::sha256).sorted().collect(Collectors.joining(","));
        return "job-" + PipelineRecords.sha256(task + "\n" + digests).substring(0, 20);
    }

    private TasksConfig.Intake intake(String task) {
        return tasks.tasks().get(task).intake();
    }

    private Map<String, Object> marker(String task, String eventId, Outcome outcome, List<DatasetRef> datasets) {
        return Map.of("task", task, "eventId", eventId, "outcome", outcome.name(),
                "receivedAt", clock.instant().toString(),
                "datasets", datasets.stream().map(DatasetRef::key).sorted(Comparator.naturalOrder()).toList());
    }
}
