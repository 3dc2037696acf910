package dev.adapterloop.training;

/**
 * A job's data does not fit its memory budget ({@link DataMemoryBudget}): configuration and capacity, not bad data;
 * the job can be retried once the budget or the heap is raised.
 */
public final class DataTooLargeException extends RuntimeException {
    public DataTooLargeException(String message) {
        super(message);
    }
}
