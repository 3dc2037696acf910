package dev.adapterloop.training;

/**
 * Thrown out of a running job whose partition moved to another replica: the job stays {@code RUNNING} in its record
 * and its new owner runs it, so it is neither lost nor finished twice.
 */
public class JobCancelledException extends RuntimeException {

    public JobCancelledException(String message) {
        super(message);
    }
}
