package dev.adapterloop.events;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;

/**
 * {@code manifest.json} of an adapter version: its lineage and results. Written last, so a version whose manifest
 * exists is complete.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record AdapterManifest(int schemaVersion, String task, String version, String parentVersion, String method,
                              String baseModel, String baseModelSha256, List<DatasetRef> datasets,
                              DatasetRef heldOut, List<String> labels, Map<String, Object> hyperparameters,
                              AdapterEvaluatedEvent.Metrics metrics, Map<String, Object> training,
                              String codeVersion, String device, long durationMillis, String createdAt,
                              String jobId, String sourceEventId) {

    public static final int SCHEMA_VERSION = 1;
    public static final String FILE = "manifest.json";
}
