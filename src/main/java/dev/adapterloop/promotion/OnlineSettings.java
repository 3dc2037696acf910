package dev.adapterloop.promotion;

import dev.adapterloop.config.PromotionConfig;
import java.time.Duration;

/** The online A/B test's settings (docs/promotion.md); {@link PromotionConfig.Online} maps them per task. */
public record OnlineSettings(double significanceLevel, double mixtureSd, long minSamplesPerArm, long maxSamplesPerArm,
                             Duration maxDuration, Duration monitorDuration, long monitorSamplesPerArm,
                             double maxErrorRate, double maxP95LatencyRatio, long guardrailMinRequests) {

    public static final OnlineSettings DEFAULTS = new OnlineSettings(0.05, 0.03, 500, 20_000, Duration.ofDays(14),
            Duration.ofDays(3), 10_000, 0.05, 1.5, 200);

    public OnlineSettings {
        if (!(significanceLevel > 0 && significanceLevel < 1)) {
            throw new IllegalArgumentException("`significance-level` must be in (0, 1), got " + significanceLevel);
        }
        if (!(mixtureSd > 0)) {
            throw new IllegalArgumentException("`mixture-sd` must be > 0, got " + mixtureSd);
        }
        if (minSamplesPerArm < 1 || maxSamplesPerArm < minSamplesPerArm || monitorSamplesPerArm < minSamplesPerArm) {
            throw new IllegalArgumentException("need 1 <= `min-samples-per-arm` <= `max-samples-per-arm` and "
                    + "`monitor-samples-per-arm`, got " + minSamplesPerArm + ", " + maxSamplesPerArm + ", "
                    + monitorSamplesPerArm);
        }
        if (maxDuration.isNegative() || maxDuration.isZero() || monitorDuration.isNegative()
                || monitorDuration.isZero()) {
            throw new IllegalArgumentException("`max-duration` and `monitor-duration` must be > 0, got "
                    + maxDuration + " and " + monitorDuration);
        }
        if (!(maxErrorRate >= 0 && maxErrorRate <= 1) || !(maxP95LatencyRatio > 0) || guardrailMinRequests < 1) {
            throw new IllegalArgumentException("need `max-error-rate` in [0, 1], `max-p95-latency-ratio` > 0 and "
                    + "`guardrail-min-requests` >= 1, got " + maxErrorRate + ", " + maxP95LatencyRatio + ", "
                    + guardrailMinRequests);
        }
    }

    public static OnlineSettings of(PromotionConfig.Online o) {
        return new OnlineSettings(o.significanceLevel(), o.mixtureSd(), o.minSamplesPerArm(), o.maxSamplesPerArm(),
                o.maxDuration(), o.monitorDuration(), o.monitorSamplesPerArm(), o.maxErrorRate(),
                o.maxP95LatencyRatio(), o.guardrailMinRequests());
    }
}
