package dev.adapterloop.training;

import java.time.Instant;

/**
 * Where a running job is, as the console's progress bar shows it ({@code progress/<task>/<job-id>.json}): step of
 * total, the smoothed loss, throughput and the estimated time left. Written by the replica that runs the job at most
 * every few seconds ({@link JobProgressLog}), so any replica can answer for it; {@code attempt} ties it to one run, so
 * a stale file of an interrupted run is not shown for the next one.
 */
public record JobProgress(String jobId, String task, int attempt, int step, int totalSteps, int epoch, double loss,
                          double learningRate, double examplesPerSecond, long elapsedSeconds, long etaSeconds,
                          String updatedAt) {

    static JobProgress of(JobRecord job, TrainingProgress progress, Instant now) {
        return new JobProgress(job.jobId(), job.task(), job.attempts(), progress.step(), progress.totalSteps(),
                progress.epoch(), finite(progress.loss()), finite(progress.learningRate()),
                finite(progress.examplesPerSecond()), progress.elapsed().toSeconds(), progress.eta().toSeconds(),
                now.toString());
    }

    /** JSON has no NaN: a loss not computed yet is written as 0. */
    private static double finite(double value) {
        return Double.isFinite(value) ? value : 0;
    }
}
