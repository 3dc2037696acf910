package dev.adapterloop.promotion;

import dev.adapterloop.evaluation.CompletionOutcomes;
import dev.adapterloop.evaluation.PairedLossComparison;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The offline gate of a generation task. The candidate must have a lower held-out loss than the base model it adapts
 * (an adapter that makes the model worse at its own task is never served), and, when the task has a champion, lower
 * per-example losses than the champion's on the same examples by a one-sided Wilcoxon signed-rank test at the task's
 * significance level, on at least its minimum number of examples. Loss is what the adapters are trained to lower and
 * is measured on every example; exact match, when measured, is reported, not gated (a few held-out prompts rarely
 * have one right answer). Pure: same inputs, same verdict.
 */
public final class CompletionGate {

    /** The thresholds this gate shares with the classification gate's settings. */
    private final GateSettings settings;

    public CompletionGate(GateSettings settings) {
        this.settings = settings;
    }

    /** One model's results with the version that produced them ({@code base} for the base model). */
    public record Scored(String version, CompletionOutcomes outcomes) {
    }

    public CompletionGateEvidence decide(Scored candidate, CompletionOutcomes base, Optional<Scored> champion) {
        candidate.outcomes().requireSameExamples(base);
        champion.ifPresent(c -> candidate.outcomes().requireSameExamples(c.outcomes()));
        CompletionOutcomes cand = candidate.outcomes();
        List<GateEvidence.Check> checks = new ArrayList<>();
        // "At most" checks are recorded as "at least" of the negated difference, the kind GateEvidence.Check uses.
        checks.add(new GateEvidence.Check("held-out loss below the base model's", "change-absolute",
                "loss-reduction-vs-base", base.meanLoss() - cand.meanLoss(), 0,
                base.meanLoss() - cand.meanLoss() > 0));
        CompletionGateEvidence.Paired paired = null;
        if (champion.isPresent()) {
            CompletionOutcomes champ = champion.get().outcomes();
            checks.add(new GateEvidence.Check("held-out loss not above the champion's", "change-absolute",
                    "loss-reduction-vs-champion", champ.meanLoss() - cand.meanLoss(), 0,
                    champ.meanLoss() - cand.meanLoss() >= 0));
            if (settings.requireSignificance()) {
                PairedLossComparison test = PairedLossComparison.of(cand.perExampleLoss(), champ.perExampleLoss());
                boolean significant = test.pValue() <= settings.significanceLevel();
                paired = new CompletionGateEvidence.Paired("wilcoxon-signed-rank", "candidate-loss-lower",
                        test.pairs(), test.candidateBetter(), test.medianDifference(), test.pValue(),
                        settings.significanceLevel(), significant);
                checks.add(new GateEvidence.Check("held-out examples", "sample-size", "examples", test.pairs(),
                        settings.minExamples(), test.pairs() >= settings.minExamples()));
                checks.add(new GateEvidence.Check("Wilcoxon p-value (candidate-loss-lower)", "significance",
                        "p-value", test.pValue(), settings.significanceLevel(), significant));
            }
        }
        List<String> failed = checks.stream().filter(c -> !c.passed()).map(GateEvidence.Check::name).toList();
        GateVerdict verdict = !failed.isEmpty() ? GateVerdict.REJECT
                : champion.isPresent() ? GateVerdict.PROMOTE_TO_CHALLENGER : GateVerdict.PROMOTE_TO_CHAMPION;
        return new CompletionGateEvidence(CompletionGateEvidence.SCHEMA_VERSION, verdict, candidate.version(),
                champion.map(Scored::version).orElse(null), cand.heldOutSha256(), cand.examples(),
                CompletionGateEvidence.Metrics.of(cand), CompletionGateEvidence.Metrics.of(base),
                champion.map(c -> CompletionGateEvidence.Metrics.of(c.outcomes())).orElse(null), List.copyOf(checks),
                paired, failed);
    }
}
