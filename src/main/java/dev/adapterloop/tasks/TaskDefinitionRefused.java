package dev.adapterloop.tasks;

/**
 * A task definition change that was not made, and why: the API answers each reason with its own problem type and
 * the command line with its own exit code.
 */
public final class TaskDefinitionRefused extends RuntimeException {

    public enum Reason {
        /** If-Match names another version than the bucket's, or the definition was created meanwhile. */
        STALE,
        /** The bucket holds a definition and the change did not say which version it replaces. */
        VERSION_REQUIRED,
        /** The task's champion was trained for other labels (or another kind) than the new definition's. */
        LABELS_IN_USE,
        /** A definition removed while the task has adapter versions that were trained on it. */
        HAS_VERSIONS,
        /** No definition (in the bucket, for a removal; anywhere, otherwise) of that name. */
        UNKNOWN_TASK
    }

    private final Reason reason;
    private final String task;
    private final Long currentVersion;

    public TaskDefinitionRefused(Reason reason, String task, Long currentVersion, String message) {
        super(message, null, false, false); // an answer, not a failure: no stack trace
        this.reason = reason;
        this.task = task;
        this.currentVersion = currentVersion;
    }

    public Reason reason() {
        return reason;
    }

    public String task() {
        return task;
    }

    /** The bucket's version now, when there is one: what to re-read and decide from. */
    public Long currentVersion() {
        return currentVersion;
    }
}
