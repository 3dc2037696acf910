package dev.adapterloop.intake;

import java.util.Objects;

/**
 * Fired (CDI) once the intake has recorded a valid labeled-data event: what became of it. Lets a caller that announced
 * data in this process (the bundled job) tell "a job will train it" from "this data was taken in before".
 */
public record IntakeDecision(String eventId, String task, IntakeLedger.Outcome outcome) {

    public IntakeDecision {
        Objects.requireNonNull(eventId, "eventId");
        Objects.requireNonNull(task, "task");
        Objects.requireNonNull(outcome, "outcome");
    }

    /** The event, or the data it announced, was taken in before: it starts no job. */
    public boolean duplicate() {
        return outcome == IntakeLedger.Outcome.DUPLICATE_EVENT || outcome == IntakeLedger.Outcome.DUPLICATE_DATA;
    }
}
