package dev.adapterloop.training;

import dev.adapterloop.evaluation.EvaluationReport;

/** How a training job ended: the stored version and its results, or the reason it failed. */
public record JobOutcome(TrainingJob job, boolean succeeded, String version, String adapterPrefix,
                         EvaluationReport report, TrainingResult training, FailureKind failureKind, String failure) {

    static JobOutcome succeeded(TrainingJob job, String version, String prefix, EvaluationReport report,
                                TrainingResult training) {
        return new JobOutcome(job, true, version, prefix, report, training, null, null);
    }

    static JobOutcome failed(TrainingJob job, FailureKind kind, String reason) {
        return new JobOutcome(job, false, null, null, null, null, kind, reason);
    }
}
