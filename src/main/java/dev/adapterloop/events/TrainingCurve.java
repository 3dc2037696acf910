package dev.adapterloop.events;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * {@code training-curve.json} of an adapter version: one point per optimiser step of the run that trained it (steps
 * done before a checkpoint and resumed after it included), the loss of that step's batch, the learning rate it was
 * taken with and its throughput (examples and tokens per second of that step's wall time; absent for steps whose
 * timing was not kept: versions trained before it was, and steps before a resume from such a checkpoint). Stored
 * beside the manifest, outside the version id's bytes.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record TrainingCurve(int schemaVersion, List<Point> points) {

    public static final int SCHEMA_VERSION = 1;
    public static final String FILE = "training-curve.json";

    public TrainingCurve {
        points = List.copyOf(points);
    }

    /** @param step 1-based optimiser step; {@code examplesPerSecond}, {@code tokensPerSecond} null when not known */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Point(int step, double loss, double learningRate, Double examplesPerSecond,
                        Double tokensPerSecond) {
    }
}
