package dev.adapterloop.training;

import java.util.Optional;

import org.jboss.logging.MDC;

/**
 * Puts a job's id and task in the logging MDC of this thread for as long as it is open, and restores what was there
 * before on close: {@code try (JobLogContext context = JobLogContext.open(job.jobId(), job.task())) { ... }}. Every
 * log line of the job then carries {@value #JOB_ID} and {@value #TASK} (JSON logs: under {@code mdc}), and the console
 * format prints {@value #PREFIX} ({@code [task=spam job=7f3a…] }), which is absent outside a job.
 * <p>
 * JBoss LogManager's MDC is inheritable: a thread <em>started</em> while a context is open keeps a copy of it for good.
 * Open the context on the worker thread around one job, and start long-lived threads outside it.
 */
public final class JobLogContext implements AutoCloseable {
    public static final String TASK = "task";
    public static final String JOB_ID = "jobId";
    /** The console prefix; a key of its own because the log format has no "print only if present". */
    public static final String PREFIX = "job";
    private static final String[] KEYS = {TASK, JOB_ID, PREFIX};

    private final Object[] previous = new Object[KEYS.length];
    private final Thread owner = Thread.currentThread();
    private boolean closed;

    private JobLogContext(String jobId, String task) {
        for (int i = 0; i < KEYS.length; i++) {
            previous[i] = MDC.get(KEYS[i]);
        }
        MDC.put(TASK, task);
        MDC.put(JOB_ID, jobId);
        MDC.put(PREFIX, "[task=" + task + " job=" + jobId + "] ");
    }

    public static JobLogContext open(String jobId, String task) {
        if (jobId == null || jobId.isBlank() || task == null || task.isBlank()) {
            throw new IllegalArgumentException("a job log context needs a job id and a task, got job '" + jobId
                    + "' and task '" + task + "'");
        }
        return new JobLogContext(jobId, task);
    }

    /** The task of the job context open on this thread, if any. */
    public static Optional<String> currentTask() {
        return Optional.ofNullable(MDC.get(TASK)).map(Object::toString);
    }

    /** The job id of the job context open on this thread, if any. */
    public static Optional<String> currentJobId() {
        return Optional.ofNullable(MDC.get(JOB_ID)).map(Object::toString);
    }

    /** Restores the MDC as it was before {@link #open}; must run on the thread that opened it. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        if (Thread.currentThread() != owner) {
            throw new IllegalStateException("a job log context must be closed on the thread that opened it ("
                    + owner.getName() + "), not on " + Thread.currentThread().getName());
        }
        closed = true;
        for (int i = 0; i < KEYS.length; i++) {
            if (previous[i] == null) {
                MDC.remove(KEYS[i]);
            } else {
                MDC.put(KEYS[i], previous[i]);
            }
        }
    }
}
