package dev.adapterloop.intake;

import dev.adapterloop.events.DatasetRef;
import java.util.List;

/**
 * A labeled-data event that passed validation. Its dataset refs carry the sha256 and the valid record count measured
 * at intake, so a job trains on exactly the bytes that were accepted (an object replaced later is refused).
 */
public record ValidatedEvent(String task, String eventId, List<DatasetRef> datasets, DatasetRef heldOut) {

    public ValidatedEvent {
        datasets = List.copyOf(datasets);
    }

    public long records() {
        return datasets.stream().mapToLong(DatasetRef::records).sum();
    }
}
