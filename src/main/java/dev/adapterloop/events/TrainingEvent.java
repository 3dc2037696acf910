package dev.adapterloop.events;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * Data of {@code adapterloop.training.{started,progress,completed,failed}} events on the {@code adapter-training}
 * topic. Fields that do not apply to a phase are left out.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TrainingEvent(int schemaVersion, String jobId, String task, String method, String phase,
                            Integer step, Integer totalSteps, Double loss, Double examplesPerSecond,
                            Long etaSeconds, String adapterVersion, String reason, String failureKind) {

    public static final String TYPE_PREFIX = "adapterloop.training.";
    public static final int SCHEMA_VERSION = 1;

    public String type() {
        return TYPE_PREFIX + phase;
    }
}
