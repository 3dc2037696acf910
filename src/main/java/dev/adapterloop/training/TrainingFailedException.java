package dev.adapterloop.training;

/** A training run that cannot produce a usable adapter (diverged loss, labels the task does not know, ...). */
public class TrainingFailedException extends RuntimeException {
    public TrainingFailedException(String message) {
        super(message);
    }
}
