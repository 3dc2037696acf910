package dev.adapterloop.events;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;

/**
 * Data of an {@code adapterloop.adapter.evaluated} event. {@code champion} is null while a task has none;
 * {@code verdict} is {@code "ungated"} when no offline gate ran, else the gate's verdict ({@code promote-to-champion},
 * {@code promote-to-challenger}, {@code reject}) with its {@code evidence} (promotion {@code GateEvidence} as JSON:
 * every threshold with its observed value, the McNemar counts and p-value).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record AdapterEvaluatedEvent(int schemaVersion, String jobId, String task, String sourceEventId,
                                    AdapterRef candidate, AdapterRef champion, Metrics metrics, String verdict,
                                    Object evidence, CompletionMetrics generation) {

    /** A classification task's event: {@code metrics}, no {@code generation}. */
    public AdapterEvaluatedEvent(int schemaVersion, String jobId, String task, String sourceEventId,
                                 AdapterRef candidate, AdapterRef champion, Metrics metrics, String verdict,
                                 Object evidence) {
        this(schemaVersion, jobId, task, sourceEventId, candidate, champion, metrics, verdict, evidence, null);
    }

    /** An event without gate evidence (verdict {@code "ungated"}). */
    public AdapterEvaluatedEvent(int schemaVersion, String jobId, String task, String sourceEventId,
                                 AdapterRef candidate, AdapterRef champion, Metrics metrics, String verdict) {
        this(schemaVersion, jobId, task, sourceEventId, candidate, champion, metrics, verdict, null);
    }

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
