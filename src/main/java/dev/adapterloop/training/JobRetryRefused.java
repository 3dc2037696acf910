package dev.adapterloop.training;

/**
 * Why a failed job cannot be queued again; the API answers it as a problem, the command line as an exit code.
 *
 * @param key the dataset key at fault ({@link Reason#DATASET_MISSING}, {@link Reason#DATASET_CHANGED}), else null
 */
public final class JobRetryRefused extends RuntimeException {

    public enum Reason {
        /** No record of that job. */
        UNKNOWN_JOB,
        /** The job is queued, running or succeeded, or another retry queued it first. */
        NOT_FAILED,
        /** A dataset of the job is no longer in the bucket. */
        DATASET_MISSING,
        /** A dataset of the job has other bytes than intake recorded (sha256). */
        DATASET_CHANGED
    }

    private final Reason reason;
    private final String task;
    private final String jobId;
    private final String key;

    JobRetryRefused(Reason reason, String task, String jobId, String key, String detail) {
        super(detail, null, false, false); // an answer to the caller, not a failure: no stack trace
        this.reason = reason;
        this.task = task;
        this.jobId = jobId;
        this.key = key;
    }

    public Reason reason() {
        return reason;
    }

    public String task() {
        return task;
    }

    public String jobId() {
        return jobId;
    }

    public String key() {
        return key;
    }
}
