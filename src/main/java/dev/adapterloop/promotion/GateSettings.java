package dev.adapterloop.promotion;

import dev.adapterloop.config.PromotionConfig;
import java.util.Optional;

/**
 * The offline gate's thresholds (docs/promotion.md). Change thresholds are "higher is better": a change threshold
 * {@code t} passes when {@code candidate − champion ≥ t} (absolute) or {@code (candidate − champion) / champion ≥ t}
 * (relative); an empty one is not checked.
 */
public record GateSettings(boolean beatMajorityBaseline, double minAccuracy, double minMacroF1,
                           Optional<Double> accuracyChangeAbsolute, Optional<Double> accuracyChangeRelative,
                           Optional<Double> macroF1ChangeAbsolute, Optional<Double> macroF1ChangeRelative,
                           boolean requireSignificance, double significanceLevel, McNemar.Alternative alternative,
                           int minExamples) {

    public static final GateSettings DEFAULTS = new GateSettings(true, 0, 0, Optional.of(0.0), Optional.empty(),
            Optional.empty(), Optional.empty(), true, 0.05, McNemar.Alternative.GREATER, 200);

    public GateSettings {
        requireUnit("min-accuracy", minAccuracy);
        requireUnit("min-macro-f1", minMacroF1);
        if (!(significanceLevel > 0 && significanceLevel < 1)) {
            throw new IllegalArgumentException("`significance-level` must be in (0, 1), got " + significanceLevel);
        }
        if (minExamples < 1) {
            throw new IllegalArgumentException("`min-examples` must be >= 1, got " + minExamples);
        }
    }

    public static GateSettings of(PromotionConfig.Gate gate) {
        // The code default for accuracy-change.absolute is 0 (never worse than the champion on the held-out set).
        return new GateSettings(gate.beatMajorityBaseline(), gate.minAccuracy(), gate.minMacroF1(),
                gate.accuracyChangeAbsolute().or(() -> Optional.of(0.0)), gate.accuracyChangeRelative(),
                gate.macroF1ChangeAbsolute(), gate.macroF1ChangeRelative(), gate.requireSignificance(),
                gate.significanceLevel(), McNemar.Alternative.parse(gate.alternative()), gate.minExamples());
    }

    private static void requireUnit(String name, double value) {
        if (!(value >= 0 && value <= 1)) {
            throw new IllegalArgumentException("`" + name + "` must be in [0, 1], got " + value);
        }
    }
}
