package dev.adapterloop.training;

import java.nio.file.Path;

/**
 * Where and how often a run saves its state so that a crash costs at most {@code everySteps} steps: resuming from
 * {@code dir} gives bit for bit the adapter an uninterrupted run would have given.
 */
public record Checkpointing(Path dir, int everySteps) {

    public static final Checkpointing NONE = new Checkpointing(null, 0);

    public Checkpointing {
        if (dir != null && everySteps <= 0) {
            throw new IllegalArgumentException("checkpoint interval must be > 0 steps, got " + everySteps);
        }
    }

    public boolean enabled() {
        return dir != null;
    }

    boolean due(int step) {
        return enabled() && step % everySteps == 0;
    }
}
