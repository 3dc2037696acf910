package dev.adapterloop.training;

/**
 * What the training worker tells health checks and metrics; implemented by the scheduler that owns the worker
 * thread.
 */
public interface TrainingWorkerStatus {

    /** False once the worker thread has died or been shut down: jobs would queue and never run. */
    boolean workerAlive();

    /** Jobs waiting for the worker, the running one not included. */
    int queueDepth();
}
