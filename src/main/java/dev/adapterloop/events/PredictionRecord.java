package dev.adapterloop.events;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Map;

/**
 * One answered (or failed) prediction request, as published to {@code adapter-predictions} (CloudEvent type
 * {@value #TYPE}, key: the task): what the feedback join and the guardrails read. A failed request has
 * {@code error = true}, an {@code errorReason}, and no prediction id, label or scores; {@code version} and
 * {@code variant} are set when the failure happened after routing. The request's text is never recorded.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record PredictionRecord(int schemaVersion, String predictionId, String task, String version, String variant,
        String label, Map<String, Double> scores, double latencyMs, boolean error, String errorReason, String time) {

    public static final int SCHEMA_VERSION = 1;
    public static final String TYPE = "adapterloop.prediction";
    public static final String TOPIC = "adapter-predictions";
}
