package dev.adapterloop.events;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;

/**
 * {@code manifest.json} of an adapter version: its lineage and results. Written last, so a version whose manifest
 * exists is complete. {@code kind} is {@code generation} for a generation task's version (absent: classification),
 * whose held-out results are in {@code generation} rather than {@code metrics}.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record AdapterManifest(int schemaVersion, String task, String version, String parentVersion, String method,
                              String baseModel, String baseModelSha256, List<DatasetRef> datasets,
                              DatasetRef heldOut, List<String> labels, Map<String, Object> hyperparameters,
                              AdapterEvaluatedEvent.Metrics metrics, Map<String, Object> training,
                              String codeVersion, String device, long durationMillis, String createdAt,
                              String jobId, String sourceEventId, String kind, CompletionMetrics generation) {

    /** A classification version's manifest (no {@code kind}: classification is what a manifest without one is). */
    public AdapterManifest(int schemaVersion, String task, String version, String parentVersion, String method,
                           String baseModel, String baseModelSha256, List<DatasetRef> datasets, DatasetRef heldOut,
                           List<String> labels, Map<String, Object> hyperparameters,
                           AdapterEvaluatedEvent.Metrics metrics, Map<String, Object> training, String codeVersion,
                           String device, long durationMillis, String createdAt, String jobId, String sourceEventId) {
        this(schemaVersion, task, version, parentVersion, method, baseModel, baseModelSha256, datasets, heldOut, labels,
                hyperparameters, metrics, training, codeVersion, device, durationMillis, createdAt, jobId,
                sourceEventId, null, null);
    }

    /** Whether this version generates text (a generation task's) rather than classifies. */
    public boolean generates() {
        return "generation".equals(kind);
    }

    public static final int SCHEMA_VERSION = 1;
    public static final String FILE = "manifest.json";
}
