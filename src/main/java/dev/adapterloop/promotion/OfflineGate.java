package dev.adapterloop.promotion;

import dev.adapterloop.evaluation.EvaluationReport;
import dev.adapterloop.evaluation.HeldOutOutcomes;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The offline gate, in the style of TFX's Evaluator: value thresholds on the candidate, change thresholds against the
 * champion, and an exact McNemar test on the two models' outcomes on the same held-out examples. Pure: same inputs,
 * same verdict.
 */
public final class OfflineGate {

    /** One model's outcomes on the held-out set, with the version that produced them. */
    public record Scored(String version, HeldOutOutcomes outcomes) {
        public Scored {
            Objects.requireNonNull(version, "version");
            Objects.requireNonNull(outcomes, "outcomes");
        }
    }

    private final GateSettings settings;

    public OfflineGate(GateSettings settings) {
        this.settings = settings;
    }

    /**
     * @param champion the task's champion scored on the same examples, or empty when the task has none (then only
     *                 the value thresholds decide, and a pass makes the candidate champion)
     * @throws dev.adapterloop.evaluation.MismatchedHeldOutException when the two were scored on different examples
     */
    public GateEvidence decide(Scored candidate, Optional<Scored> champion) {
        champion.ifPresent(c -> candidate.outcomes().requireSameExamples(c.outcomes()));
        EvaluationReport cand = candidate.outcomes().report();
        List<GateEvidence.Check> checks = new ArrayList<>();
        if (settings.beatMajorityBaseline()) {
            checks.add(new GateEvidence.Check("accuracy above majority baseline", "value", "accuracy",
                    cand.accuracy(), cand.majorityBaseline(), cand.accuracy() > cand.majorityBaseline()));
        }
        checks.add(atLeast("accuracy", "value", "accuracy", cand.accuracy(), settings.minAccuracy()));
        checks.add(atLeast("macro-F1", "value", "macro-f1", cand.macroF1(), settings.minMacroF1()));

        GateEvidence.Metrics championMetrics = null;
        GateEvidence.Significance significance = null;
        if (champion.isPresent()) {
            EvaluationReport champ = champion.get().outcomes().report();
            championMetrics = metrics(champ);
            change(checks, "accuracy", cand.accuracy(), champ.accuracy(), settings.accuracyChangeAbsolute(),
                    settings.accuracyChangeRelative());
            change(checks, "macro-f1", cand.macroF1(), champ.macroF1(), settings.macroF1ChangeAbsolute(),
                    settings.macroF1ChangeRelative());
            if (settings.requireSignificance()) {
                McNemar test = McNemar.test(candidate.outcomes(), champion.get().outcomes(), settings.alternative());
                // Two-sided: significant only when the candidate is the better one, not merely different.
                boolean significant = test.pValue() <= settings.significanceLevel() && test.b() > test.c();
                significance = new GateEvidence.Significance("exact-mcnemar", settings.alternative().wireName(),
                        test.n(), test.b(), test.c(), test.pValue(), settings.significanceLevel(), significant);
                checks.add(atLeast("held-out examples", "sample-size", "examples", test.n(),
                        settings.minExamples()));
                checks.add(new GateEvidence.Check("McNemar p-value (" + settings.alternative().wireName() + ")",
                        "significance", "p-value", test.pValue(), settings.significanceLevel(), significant));
            }
        }
        List<String> failed = checks.stream().filter(c -> !c.passed()).map(GateEvidence.Check::name).toList();
        GateVerdict verdict = !failed.isEmpty() ? GateVerdict.REJECT
                : champion.isPresent() ? GateVerdict.PROMOTE_TO_CHALLENGER : GateVerdict.PROMOTE_TO_CHAMPION;
        return new GateEvidence(GateEvidence.SCHEMA_VERSION, verdict, candidate.version(),
                champion.map(Scored::version).orElse(null), candidate.outcomes().heldOutSha256(),
                candidate.outcomes().examples(), metrics(cand), championMetrics, List.copyOf(checks), significance,
                failed);
    }

    private static void change(List<GateEvidence.Check> checks, String metric, double candidate, double champion,
                               Optional<Double> absolute, Optional<Double> relative) {
        absolute.ifPresent(t -> checks.add(atLeast(metric + " change vs champion", "change-absolute", metric,
                candidate - champion, t)));
        // A champion at 0 makes every relative change infinite; an improvement from 0 then passes, no change fails.
        relative.ifPresent(t -> checks.add(atLeast(metric + " relative change vs champion", "change-relative", metric,
                champion == 0 ? (candidate > 0 ? Double.MAX_VALUE : 0) : (candidate - champion) / champion, t)));
    }

    private static GateEvidence.Check atLeast(String name, String kind, String metric, double observed,
                                              double threshold) {
        return new GateEvidence.Check(name, kind, metric, observed, threshold, observed >= threshold);
    }

    private static GateEvidence.Metrics metrics(EvaluationReport report) {
        return new GateEvidence.Metrics(report.accuracy(), report.macroF1(), report.majorityBaseline());
    }
}
