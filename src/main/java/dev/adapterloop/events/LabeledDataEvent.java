package dev.adapterloop.events;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * Data of an {@code adapterloop.labeled-data.available} event: new labeled JSONL objects for a task.
 * {@code heldOut} is optional; without it the task's configured held-out set is used.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record LabeledDataEvent(String task, List<DatasetRef> datasets, DatasetRef heldOut) {

    public static final String TYPE = "adapterloop.labeled-data.available";
}
