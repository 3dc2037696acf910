package dev.adapterloop.intake;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.adapterloop.events.DatasetRef;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Data of a task accepted but not yet given to a job ({@code tasks/<task>/intake/pending.json}): it survives a
 * restart, so accumulation towards the trigger never starts over.
 *
 * <p>Every change is a compare-and-set on the document's ETag ({@link IntakeLedger}), so each version carries a fresh
 * {@code writeId}: two writers never write the same bytes, and a writer whose answer was lost can tell its own write
 * from another's by reading the document back. {@code handoff} is data moved out of {@code batches} into a job whose
 * record may not exist yet: whoever reads it creates that job (same data, same id) and then clears it.
 */
public record PendingData(int schemaVersion, String task, Integer partition, String firstReceivedAt,
                          DatasetRef heldOut, List<Batch> batches,
                          @JsonInclude(JsonInclude.Include.NON_NULL) Handoff handoff,
                          @JsonInclude(JsonInclude.Include.NON_NULL) String writeId) {

    static final int SCHEMA_VERSION = 1;

    /** The datasets one event brought. */
    public record Batch(String eventId, String receivedAt, List<DatasetRef> datasets) {
    }

    /** Batches given to job {@code jobId}, kept here until its record is written. */
    public record Handoff(String jobId, Integer partition, DatasetRef heldOut, List<Batch> batches, String reason) {
        public Handoff {
            batches = List.copyOf(batches);
        }

        List<DatasetRef> datasets() {
            return batches.stream().flatMap(batch -> batch.datasets().stream()).toList();
        }

        List<String> eventIds() {
            return batches.stream().map(Batch::eventId).toList();
        }

        long records() {
            return datasets().stream().mapToLong(DatasetRef::records).sum();
        }
    }

    public PendingData {
        batches = List.copyOf(batches);
    }

    /** A document as written before compare-and-set: no handoff, no write id. */
    public PendingData(int schemaVersion, String task, Integer partition, String firstReceivedAt, DatasetRef heldOut,
                       List<Batch> batches) {
        this(schemaVersion, task, partition, firstReceivedAt, heldOut, batches, null, null);
    }

    static PendingData empty(String task, Integer partition, DatasetRef heldOut) {
        return new PendingData(SCHEMA_VERSION, task, partition, null, heldOut, List.of(), null, null);
    }

    PendingData plus(String eventId, List<DatasetRef> datasets, Instant now) {
        List<Batch> more = new ArrayList<>(batches);
        more.add(new Batch(eventId, now.toString(), datasets));
        return new PendingData(schemaVersion, task, partition,
                firstReceivedAt != null ? firstReceivedAt : now.toString(), heldOut, more, handoff, newWriteId());
    }

    /** Every batch moved into a handoff to {@code jobId}; the accumulation starts over. */
    PendingData handedOff(String jobId, String reason) {
        return new PendingData(schemaVersion, task, partition, null, heldOut, List.of(),
                new Handoff(jobId, partition, heldOut, batches, reason), newWriteId());
    }

    /** The handoff to {@code jobId} done (its job record exists): batches that came since stay. */
    PendingData handoffDone() {
        return new PendingData(schemaVersion, task, partition, firstReceivedAt, heldOut, batches, null, newWriteId());
    }

    long records() {
        return datasets().stream().mapToLong(DatasetRef::records).sum();
    }

    List<DatasetRef> datasets() {
        return batches.stream().flatMap(batch -> batch.datasets().stream()).toList();
    }

    List<String> eventIds() {
        return batches.stream().map(Batch::eventId).toList();
    }

    /** In the batches or in the handoff: taken in either way. */
    boolean contains(String eventId) {
        return allBatches().stream().anyMatch(batch -> batch.eventId().equals(eventId));
    }

    boolean containsDigest(String sha256) {
        return allBatches().stream().flatMap(batch -> batch.datasets().stream())
                .anyMatch(ref -> ref.sha256().equals(sha256));
    }

    private List<Batch> allBatches() {
        if (handoff == null) {
            return batches;
        }
        List<Batch> all = new ArrayList<>(handoff.batches());
        all.addAll(batches);
        return all;
    }

    Duration waited(Instant now) {
        return firstReceivedAt == null ? Duration.ZERO : Duration.between(Instant.parse(firstReceivedAt), now);
    }

    private static String newWriteId() {
        return UUID.randomUUID().toString();
    }
}
