package dev.adapterloop.training;

import dev.adapterloop.events.CompletionMetrics;
import dev.adapterloop.evaluation.EvaluationReport;

/**
 * How a training job ended: the stored version and its results ({@code report} for classification,
 * {@code generation} for a generation task), or the reason it failed.
 */
public record JobOutcome(TrainingJob job, boolean succeeded, String version, String adapterPrefix,
                         EvaluationReport report, TrainingResult training, FailureKind failureKind, String failure,
                         CompletionMetrics generation) {

    static JobOutcome succeeded(TrainingJob job, String version, String prefix, EvaluationReport report,
                                TrainingResult training) {
        return new JobOutcome(job, true, version, prefix, report, training, null, null, null);
    }

    /** A generation task's version: its held-out loss and perplexity instead of a classification report. */
    static JobOutcome generated(TrainingJob job, String version, String prefix, CompletionMetrics metrics,
                                TrainingResult training) {
        return new JobOutcome(job, true, version, prefix, null, training, null, null, metrics);
    }

    static JobOutcome failed(TrainingJob job, FailureKind kind, String reason) {
        return new JobOutcome(job, false, null, null, null, null, kind, reason, null);
    }
}
