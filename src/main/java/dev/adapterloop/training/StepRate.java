package dev.adapterloop.training;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * How fast one optimiser step went: its batch's examples and tokens (padding included, what the step computed on)
 * over the step's wall time, from collating the batch to the optimiser's update.
 */
public record StepRate(float examplesPerSecond, float tokensPerSecond) {

    static StepRate of(int examples, long tokens, long nanos) {
        double seconds = Math.max(1e-9, nanos / 1e9);
        return new StepRate((float) (examples / seconds), (float) (tokens / seconds));
    }

    /**
     * {@code rates} as a list of {@code steps} entries: null where a step's rate is not known (steps run before a
     * resume from a checkpoint written before rates were kept). Unmodifiable; null elements allowed.
     */
    static List<StepRate> padded(List<StepRate> rates, int steps) {
        List<StepRate> padded = new ArrayList<>(steps);
        if (rates != null) {
            padded.addAll(rates.subList(0, Math.min(rates.size(), steps)));
        }
        while (padded.size() < steps) {
            padded.add(null);
        }
        return Collections.unmodifiableList(padded);
    }
}
