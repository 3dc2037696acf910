package dev.adapterloop.intake;

import dev.adapterloop.events.DatasetRef;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Data of a task accepted but not yet given to a job ({@code tasks/<task>/intake/pending.json}): it survives a
 * restart, so accumulation towards the trigger never starts over.
 */
public record PendingData(int schemaVersion, String task, Integer partition, String firstReceivedAt,
                          DatasetRef heldOut, List<Batch> batches) {

    static final int SCHEMA_VERSION = 1;

    /** The datasets one event brought. */
    public record Batch(String eventId, String receivedAt, List<DatasetRef> datasets) {
    }

    public PendingData {
        batches = List.copyOf(batches);
    }

    static PendingData empty(String task, Integer partition, DatasetRef heldOut) {
        return new PendingData(SCHEMA_VERSION, task, partition, null, heldOut, List.of());
    }

    PendingData plus(String eventId, List<DatasetRef> datasets, Instant now) {
        List<Batch> more = new ArrayList<>(batches);
        more.add(new Batch(eventId, now.toString(), datasets));
        return new PendingData(schemaVersion, task, partition,
                firstReceivedAt != null ? firstReceivedAt : now.toString(), heldOut, more);
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

    boolean contains(String eventId) {
        return batches.stream().anyMatch(batch -> batch.eventId().equals(eventId));
    }

    boolean containsDigest(String sha256) {
        return datasets().stream().anyMatch(ref -> ref.sha256().equals(sha256));
    }

    Duration waited(Instant now) {
        return firstReceivedAt == null ? Duration.ZERO : Duration.between(Instant.parse(firstReceivedAt), now);
    }
}
