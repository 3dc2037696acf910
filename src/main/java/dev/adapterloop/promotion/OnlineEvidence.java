package dev.adapterloop.promotion;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * Why the online test decided: per-arm samples and means, the effect, the always-valid p-value, and the guardrails.
 * {@code phase} is the phase the decision was taken in (experiment or monitoring).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record OnlineEvidence(int schemaVersion, OnlineOutcome outcome, String phase, String champion,
                             String challenger, Arm championArm, Arm challengerArm, double effect, double pValue,
                             double alpha, double mixtureSd, List<Guardrail> guardrails, String reason) {

    public static final int SCHEMA_VERSION = 1;

    public record Arm(long samples, double mean, long requests, double errorRate, double p95LatencyMillis) {
        static Arm of(ArmStats stats) {
            double p95 = stats.p95LatencyMillis();
            return new Arm(stats.outcomes(), stats.mean(), stats.requests(), stats.errorRate(),
                    Double.isNaN(p95) ? -1 : p95);
        }
    }

    /** One guardrail: {@code observed} must not exceed {@code limit}; not judged before enough requests. */
    public record Guardrail(String name, double observed, double limit, boolean judged, boolean passed) {
    }
}
