package dev.adapterloop.training;

import java.nio.file.Path;

/**
 * Where and how often a run saves its state so that a crash costs at most {@code everySteps} steps: resuming from
 * {@code dir} gives bit for bit the adapter an uninterrupted run would have given. With {@code bucket}, every
 * checkpoint is copied there too, and a run that finds none on local disk resumes from the bucket's newest.
 */
public record Checkpointing(Path dir, int everySteps, BucketCheckpoints bucket) {

    public static final Checkpointing NONE = new Checkpointing(null, 0, null);

    public Checkpointing {
        if (dir != null && everySteps <= 0) {
            throw new IllegalArgumentException("checkpoint interval must be > 0 steps, got " + everySteps);
        }
    }

    /** Checkpoints on local disk only. */
    public Checkpointing(Path dir, int everySteps) {
        this(dir, everySteps, null);
    }

    public boolean enabled() {
        return dir != null;
    }

    boolean due(int step) {
        return enabled() && step % everySteps == 0;
    }
}
