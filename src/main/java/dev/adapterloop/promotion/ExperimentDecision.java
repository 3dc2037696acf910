package dev.adapterloop.promotion;

import java.time.Instant;
import java.util.List;

/**
 * A decided A/B test as it is kept for people ({@code tasks/<task>/promotion/decisions/}): what was decided and when,
 * the evidence ({@link OnlineEvidence}: arms, effect, always-valid p-value, guardrails), the trace of the statistic
 * up to the decision, and how applying it to the aliases went ({@link PromotionService.Status}; null when the decision
 * moves no alias). Written once by the replica whose state write carried the decision; never changed.
 */
public record ExperimentDecision(int schemaVersion, String task, Instant decidedAt, OnlineOutcome outcome,
                                 String applied, OnlineEvidence evidence,
                                 List<ExperimentState.TracePoint> trace) {

    public static final int SCHEMA_VERSION = 1;

    public ExperimentDecision {
        trace = trace == null ? List.of() : List.copyOf(trace);
    }
}
