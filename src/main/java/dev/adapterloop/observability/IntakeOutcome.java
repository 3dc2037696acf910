package dev.adapterloop.observability;

import java.util.Objects;

/** What the intake did with one labeled-data event: accepted, a duplicate, or rejected for a reason (a class name). */
public record IntakeOutcome(String outcome, String reason) {
    public static final IntakeOutcome ACCEPTED = new IntakeOutcome("accepted", "none");
    public static final IntakeOutcome DUPLICATE = new IntakeOutcome("duplicate", "none");

    public IntakeOutcome {
        Objects.requireNonNull(outcome, "outcome");
        Objects.requireNonNull(reason, "reason");
    }

    /** Rejected because of {@code failure}: the reason is its simple class name, a bounded set. */
    public static IntakeOutcome rejected(Throwable failure) {
        return new IntakeOutcome("rejected", failure.getClass().getSimpleName());
    }

    /** Rejected for a reason named by the caller: keep it to a small fixed set (it becomes a metric tag). */
    public static IntakeOutcome rejected(String reason) {
        return new IntakeOutcome("rejected", PipelineMetrics.reasonClass(reason));
    }
}
