package dev.adapterloop.intake;

import dev.adapterloop.registry.PipelineRecords;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.util.Objects;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Stops an event that kills the process from killing it for ever. Before the work on a {@code labeled-data} record
 * starts, a marker in the bucket ({@link PipelineRecords#intakeAttemptKey}) counts the starts; it is removed when the
 * record ends (acknowledged or dead-lettered). A marker still there when the record comes again means the process
 * died on it: after {@code adapterloop.intake.crash-loop-cap} such starts the record goes to the dead-letter topic
 * with the reason {@code crash-loop}, and the partition moves on to the next event.
 *
 * <p>Retries of a passing fault inside one process count once: only a start in a new life of the process counts.
 * The marker names the event id, so a marker left by a failed delete never counts against another event that gets
 * the same offset (a topic created again).
 */
@ApplicationScoped
public class CrashLoopGuard {

    /** The start of the work on one record, as counted in the bucket. */
    public record Attempts(int schemaVersion, String topic, int partition, long offset, String eventId, int starts,
                           String lastStartedAt) {
    }

    private final PipelineRecords records;
    private final int cap;
    private final Clock clock;

    @Inject
    public CrashLoopGuard(PipelineRecords records,
                          @ConfigProperty(name = "adapterloop.intake.crash-loop-cap") int cap) {
        this(records, cap, Clock.systemUTC());
    }

    CrashLoopGuard(PipelineRecords records, int cap, Clock clock) {
        if (cap < 1) {
            throw new IllegalArgumentException("adapterloop.intake.crash-loop-cap must be >= 1, got " + cap);
        }
        this.records = records;
        this.cap = cap;
        this.clock = clock;
    }

    /**
     * Counts a start of the work on the record.
     *
     * @return the reason to dead-letter it instead, when it was started {@code cap} times already and never ended
     */
    public Optional<String> start(String topic, int partition, long offset, String eventId) {
        String key = PipelineRecords.intakeAttemptKey(topic, partition, offset);
        int before = records.read(key, Attempts.class)
                .filter(previous -> Objects.equals(previous.eventId(), eventId))
                .map(Attempts::starts).orElse(0);
        if (before >= cap) {
            String reason = "crash-loop: the work on " + topic + "-" + partition + "@" + offset + " (event " + eventId
                    + ") was started " + before + " times and never ended: the process died each time "
                    + "(adapterloop.intake.crash-loop-cap=" + cap + ")";
            Log.errorf("labeled-data event %s: %s; sent to the dead-letter topic", eventId, reason);
            return Optional.of(reason);
        }
        if (before > 0) {
            Log.warnf("labeled-data event %s (%s-%d@%d): start %d of at most %d; the last %d ended with the process",
                    eventId, topic, partition, offset, before + 1, cap, before);
        }
        records.write(key, new Attempts(1, topic, partition, offset, eventId, before + 1,
                clock.instant().toString()));
        return Optional.empty();
    }

    /** The record ended (acknowledged or dead-lettered): its count goes. */
    public void ended(String topic, int partition, long offset) {
        records.delete(PipelineRecords.intakeAttemptKey(topic, partition, offset));
    }
}
