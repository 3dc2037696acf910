package dev.adapterloop.cli;

import dev.adapterloop.training.JobRecord;
import dev.adapterloop.training.JobRetry;
import dev.adapterloop.training.JobRetryRefused;
import io.quarkus.arc.Unremovable;
import jakarta.enterprise.context.Dependent;
import jakarta.inject.Inject;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Queues a FAILED job again ({@link JobRetry}), talking to the bucket directly as {@code promote} does: the running
 * service's replica that owns the job's partition picks it up at its next trigger-clock tick. The retry is recorded
 * in the job's history with the principal {@code cli:<operating-system user>}.
 */
@Dependent
@Unremovable
@Command(name = "retry", sortOptions = false,
        description = {"Queues a FAILED training job again: same job id, same data, same base; its failure is kept "
                + "in the job's history. The running service picks it up (within adapterloop.intake."
                + "trigger-check-interval).",
                "Refused when the job is not FAILED (exit 6), unknown (exit 3), or a dataset of it is gone from the "
                        + "bucket or changed since intake (exit 4)."})
public class RetryCommand implements Callable<Integer> {

    @Mixin
    HelpOption help = new HelpOption();

    @Option(names = "--task", required = true, paramLabel = "TASK", description = "Task of the job.")
    String task;

    @Option(names = "--job", required = true, paramLabel = "JOB_ID",
            description = "Job id (GET /api/tasks/<task>/jobs?state=FAILED lists them).")
    String jobId;

    @Inject
    JobRetry retries;

    @Override
    public Integer call() {
        JobRecord queued;
        try {
            queued = retries.retry(task, jobId, PromoteCommand.principal());
        } catch (JobRetryRefused refused) {
            throw new CliException(switch (refused.reason()) {
                case UNKNOWN_JOB -> ExitCodes.NOT_FOUND;
                case NOT_FAILED -> ExitCodes.CONFLICT;
                case DATASET_MISSING, DATASET_CHANGED -> ExitCodes.BAD_INPUT;
            }, refused.getMessage());
        }
        System.out.printf("job %s of task %s: queued again (retry %d, after %d attempt(s))%n", queued.jobId(),
                queued.task(), queued.history().size(), queued.attempts());
        return ExitCodes.OK;
    }
}
