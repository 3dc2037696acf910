package dev.adapterloop.config;

import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;
import java.time.Duration;
import java.util.Optional;

/**
 * Per-task promotion settings, {@code adapterloop.tasks.<task>.promotion.*} (a group of {@link TasksConfig.Task}).
 * Defaults match the promotion stage's {@code GateSettings.DEFAULTS} and {@code OnlineSettings.DEFAULTS};
 * docs/promotion.md explains them.
 */
public interface PromotionConfig {

    Gate gate();

    Online online();

    /** Closing the loop: labeled feedback that carries its text becomes training data (docs/promotion.md). */
    FeedbackDatasets feedbackDatasets();

    /** The offline gate after each evaluation. */
    interface Gate {
        /** Value threshold: the candidate's accuracy must exceed the held-out majority baseline. */
        @WithDefault("true")
        boolean beatMajorityBaseline();

        @WithDefault("0")
        double minAccuracy();

        @WithName("min-macro-f1")
        @WithDefault("0")
        double minMacroF1();

        /** Change thresholds against the champion, higher is better: candidate − champion ≥ absolute. */
        @WithName("accuracy-change.absolute")
        Optional<Double> accuracyChangeAbsolute();

        /** (candidate − champion) / champion ≥ relative. */
        @WithName("accuracy-change.relative")
        Optional<Double> accuracyChangeRelative();

        @WithName("macro-f1-change.absolute")
        Optional<Double> macroF1ChangeAbsolute();

        @WithName("macro-f1-change.relative")
        Optional<Double> macroF1ChangeRelative();

        /** Exact McNemar test on the paired held-out outcomes; false: thresholds only. */
        @WithDefault("true")
        boolean requireSignificance();

        @WithDefault("0.05")
        double significanceLevel();

        /** candidate-better (one-sided) or two-sided. */
        @WithDefault("candidate-better")
        String alternative();

        /** Held-out examples below which the test is not trusted and the candidate is rejected. */
        @WithDefault("200")
        int minExamples();
    }

    /** The online A/B test on production feedback (mixture SPRT) and the guardrails. */
    interface Online {
        @WithDefault("0.05")
        double significanceLevel();

        /** Standard deviation of the normal mixture over the effect (difference of success rates). */
        @WithDefault("0.03")
        double mixtureSd();

        @WithDefault("500")
        long minSamplesPerArm();

        @WithDefault("20000")
        long maxSamplesPerArm();

        @WithDefault("P14D")
        Duration maxDuration();

        /** After a promotion, the previous champion keeps the challenger share this long (or this many samples). */
        @WithDefault("P3D")
        Duration monitorDuration();

        @WithDefault("10000")
        long monitorSamplesPerArm();

        @WithDefault("0.05")
        double maxErrorRate();

        @WithDefault("1.5")
        double maxP95LatencyRatio();

        /** Requests per arm before the guardrails are judged. */
        @WithDefault("200")
        long guardrailMinRequests();
    }

    /** Labeled feedback with its text, buffered in the bucket and written out as JSONL datasets. */
    interface FeedbackDatasets {
        /** Off unless a task opts in: keeping production texts is the operator's decision (docs/promotion.md). */
        @WithDefault("false")
        boolean enabled();

        /** A dataset is written once this many examples are buffered... */
        @WithDefault("500")
        int recordsPerDataset();

        /** ...or once the oldest buffered example has waited this long, however few there are. */
        @WithDefault("PT1H")
        Duration maxWait();

        /** Longer texts are not kept (counted as text-too-long); the feedback still counts for the A/B test. */
        @WithDefault("20000")
        int maxTextChars();
    }
}
