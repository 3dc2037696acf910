package dev.adapterloop.promotion;

import java.time.Clock;
import java.util.List;
import java.util.Optional;

/**
 * A task's A/B test as people read it: the stored state, the evidence the decider would give on it now (without
 * deciding anything: {@link OnlineDecider} is pure), the settings it is judged by, and the decisions taken before.
 */
public final class ExperimentReadout {

    /** How many past decisions are shown. */
    public static final int DECISIONS = 20;

    /**
     * @param current   the test now (null: none was ever started)
     * @param evidence  the decider's evidence on {@code current} now (null when it is closed or the task is not
     *                  configured): arms, effect, always-valid p-value, guardrails, and what it would decide
     * @param settings  the task's online settings (null when the task is not configured)
     * @param decisions past decisions, newest first, at most {@link #DECISIONS}
     */
    public record Readout(String task, ExperimentState current, OnlineEvidence evidence, OnlineSettings settings,
                          List<ExperimentDecision> decisions) {
    }

    private final Promotions promotions;
    private final Clock clock;

    public ExperimentReadout(Promotions promotions, Clock clock) {
        this.promotions = promotions;
        this.clock = clock;
    }

    public Readout read(String task) {
        ExperimentState current = promotions.experiments().current(task).orElse(null);
        Optional<OnlineSettings> settings = promotions.configured(task)
                ? Optional.of(promotions.onlineSettings(task)) : Optional.empty();
        OnlineEvidence evidence = current == null || current.phase() == ExperimentState.Phase.CLOSED
                || settings.isEmpty() ? null
                : new OnlineDecider(settings.get()).decide(current, clock.instant()).evidence();
        return new Readout(task, current, evidence, settings.orElse(null),
                promotions.experiments().decisions(task, DECISIONS));
    }
}
