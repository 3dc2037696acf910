package dev.adapterloop.promotion;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.adapterloop.evaluation.CompletionOutcomes;
import java.util.List;

/**
 * Why a generation task's offline gate decided what it did: the three models' held-out loss (candidate, base model,
 * champion), every check with its observed value, and the paired test (null without a champion). Goes into the
 * {@code adapter-evaluations} event as {@code evidence} and with the alias move into {@code adapter-promotions}.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CompletionGateEvidence(int schemaVersion, GateVerdict verdict, String candidate, String champion,
                                     String heldOutSha256, int examples, Metrics candidateMetrics,
                                     Metrics baseMetrics, Metrics championMetrics, List<GateEvidence.Check> checks,
                                     Paired paired, List<String> failed) {

    public static final int SCHEMA_VERSION = 1;

    /** Loss per completion token (nats), its perplexity, and exact match when measured. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Metrics(double meanLoss, double perplexity, Double exactMatch) {
        static Metrics of(CompletionOutcomes outcomes) {
            return new Metrics(outcomes.meanLoss(), outcomes.perplexity(), outcomes.exactMatch());
        }
    }

    /**
     * The paired test on per-example losses: {@code candidateBetter} examples where the candidate's loss is lower,
     * {@code medianDifference} the median of champion − candidate loss, {@code pValue} one-sided.
     */
    public record Paired(String test, String alternative, int pairs, int candidateBetter, double medianDifference,
                         double pValue, double alpha, boolean significant) {
    }
}
