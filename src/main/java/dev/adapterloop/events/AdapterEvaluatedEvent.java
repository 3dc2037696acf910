package dev.adapterloop.events;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;

/**
 * Data of an {@code adapterloop.adapter.evaluated} event. {@code champion} is null while a task has none;
 * {@code verdict} is {@code "ungated"} until the offline gate (promotion stage) decides.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record AdapterEvaluatedEvent(int schemaVersion, String jobId, String task, String sourceEventId,
                                    AdapterRef candidate, AdapterRef champion, Metrics metrics, String verdict) {

    public static final String TYPE = "adapterloop.adapter.evaluated";
    public static final int SCHEMA_VERSION = 1;

    /** Where an adapter version lives in the bucket. */
    public record AdapterRef(String version, String method, String prefix) {
    }

    /** Held-out metrics of the candidate. */
    public record Metrics(int examples, double accuracy, double macroF1, String majorityLabel,
                          double majorityBaseline, Map<String, Map<String, Double>> perLabel,
                          List<List<Integer>> confusion) {
    }
}
