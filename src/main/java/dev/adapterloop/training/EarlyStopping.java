package dev.adapterloop.training;

import dev.adapterloop.dataset.LabeledExample;
import java.util.List;

/**
 * Early stopping on a validation set: every {@code everySteps} steps the validation loss is measured; training stops
 * after {@code patience} measurements without improvement, and the adapter keeps its best factors.
 */
public record EarlyStopping(List<LabeledExample> validation, int everySteps, int patience) {

    public static final EarlyStopping NONE = new EarlyStopping(List.of(), 1, 1);

    public EarlyStopping {
        validation = List.copyOf(validation);
        if (everySteps <= 0) {
            throw new IllegalArgumentException("evaluate-every-steps must be > 0, got " + everySteps);
        }
        if (patience <= 0) {
            throw new IllegalArgumentException("early-stopping patience must be > 0, got " + patience);
        }
    }

    public boolean enabled() {
        return !validation.isEmpty();
    }
}
