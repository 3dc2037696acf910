package dev.adapterloop.evaluation;

/** Two models' outcomes cannot be paired: they were not scored on the same held-out examples. */
public class MismatchedHeldOutException extends IllegalArgumentException {
    public MismatchedHeldOutException(String message) {
        super(message);
    }
}
