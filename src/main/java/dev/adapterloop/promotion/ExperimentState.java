package dev.adapterloop.promotion;

import com.fasterxml.jackson.annotation.JsonValue;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Everything the online decision needs to go on where it stopped: persisted as JSON after every change (registry
 * {@code PromotionRecords}), so a replica that restarts or takes the task over loses no observation and, above all,
 * keeps the always-valid p-value's running minimum.
 * <ul>
 *   <li>{@code EXPERIMENT}: {@code champion} serves the main share, {@code challenger} the A/B share.</li>
 *   <li>{@code MONITORING}: after a promotion, {@code champion} is the new champion and {@code challenger} the
 *       previous one, kept on the challenger share as a hold-back, so a regression can be seen and rolled back.</li>
 *   <li>{@code CLOSED}: decided; {@code closedWith} says how.</li>
 * </ul>
 * Observations are counted only for the version an arm holds: feedback on predictions of an adapter that is no longer
 * in the arm (before a swap) is ignored. {@code trace} is for people (the console's A/B page): the p-value after each
 * outcome of the current phase, bounded ({@link #MAX_TRACE}); the decision never reads it.
 */
public record ExperimentState(int schemaVersion, String task, Phase phase, String champion, String challenger,
                              Instant startedAt, ArmStats championArm, ArmStats challengerArm, double pValue,
                              String closedWith, List<TracePoint> trace) {

    public static final int SCHEMA_VERSION = 1;
    /**
     * The most trace points kept: when full, every other point is dropped (the trace keeps the whole run, coarser),
     * so the state stays a few kB however long the test runs: it is written on every observation.
     */
    static final int MAX_TRACE = 120;

    /**
     * The test as it stood after one outcome arrived (the console's plot of the always-valid p-value over time).
     * Only outcomes add points: requests move the guardrails, not the statistic.
     */
    public record TracePoint(Instant at, long championSamples, long challengerSamples, double championMean,
                             double challengerMean, double pValue) {
    }

    public enum Phase {
        EXPERIMENT, MONITORING, CLOSED;

        @JsonValue
        public String wireName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    public ExperimentState {
        if (schemaVersion != SCHEMA_VERSION) {
            throw new IllegalArgumentException("experiment state has schemaVersion " + schemaVersion + ", expected "
                    + SCHEMA_VERSION);
        }
        Objects.requireNonNull(task, "task");
        Objects.requireNonNull(phase, "phase");
        Objects.requireNonNull(champion, "champion");
        Objects.requireNonNull(challenger, "challenger");
        Objects.requireNonNull(startedAt, "startedAt");
        Objects.requireNonNull(championArm, "championArm");
        Objects.requireNonNull(challengerArm, "challengerArm");
        if (!(pValue >= 0 && pValue <= 1)) {
            throw new IllegalArgumentException("`pValue` must be in [0, 1], got " + pValue);
        }
        if (champion.equals(challenger)) {
            throw new IllegalArgumentException("champion and challenger must differ, both are " + champion);
        }
        trace = trace == null ? List.of() : List.copyOf(trace); // states stored before the trace existed have none
    }

    /** A new A/B test of {@code challenger} against {@code champion}. */
    public static ExperimentState start(String task, String champion, String challenger, Instant now) {
        return new ExperimentState(SCHEMA_VERSION, task, Phase.EXPERIMENT, champion, challenger, now, ArmStats.EMPTY,
                ArmStats.EMPTY, 1.0, null, List.of());
    }

    /** Feedback on a prediction made by {@code version} on {@code variant}'s share; ignored for another version. */
    public ExperimentState withOutcome(String variant, String version, double reward) {
        return switch (arm(variant, version)) {
            case 1 -> withArms(championArm.withOutcome(reward), challengerArm);
            case 2 -> withArms(championArm, challengerArm.withOutcome(reward));
            default -> this;
        };
    }

    /** A served prediction (for the guardrails); ignored for a version the arm does not hold. */
    public ExperimentState withRequest(String variant, String version, double latencyMillis, boolean error) {
        return switch (arm(variant, version)) {
            case 1 -> withArms(championArm.withRequest(latencyMillis, error), challengerArm);
            case 2 -> withArms(championArm, challengerArm.withRequest(latencyMillis, error));
            default -> this;
        };
    }

    ExperimentState withPValue(double p) {
        return new ExperimentState(schemaVersion, task, phase, champion, challenger, startedAt, championArm,
                challengerArm, p, closedWith, trace);
    }

    /** This state with a point for it at {@code now} appended to the trace (thinned when full). */
    ExperimentState traced(Instant now) {
        List<TracePoint> points = new ArrayList<>();
        if (trace.size() >= MAX_TRACE) {
            for (int i = 0; i < trace.size(); i += 2) {
                points.add(trace.get(i));
            }
        } else {
            points.addAll(trace);
        }
        points.add(new TracePoint(now, championArm.outcomes(), challengerArm.outcomes(), championArm.mean(),
                challengerArm.mean(), pValue));
        return withTrace(points);
    }

    ExperimentState withTrace(List<TracePoint> points) {
        return new ExperimentState(schemaVersion, task, phase, champion, challenger, startedAt, championArm,
                challengerArm, pValue, closedWith, points);
    }

    /** Outcomes seen by both arms together. */
    long outcomes() {
        return championArm.outcomes() + challengerArm.outcomes();
    }

    /** Promoted: the challenger is champion now, the previous champion stays on the challenger share, fresh arms. */
    ExperimentState monitoring(Instant now) {
        return new ExperimentState(schemaVersion, task, Phase.MONITORING, challenger, champion, now, ArmStats.EMPTY,
                ArmStats.EMPTY, 1.0, null, List.of());
    }

    ExperimentState closed(String how) {
        return new ExperimentState(schemaVersion, task, Phase.CLOSED, champion, challenger, startedAt, championArm,
                challengerArm, pValue, how, trace);
    }

    private int arm(String variant, String version) {
        if (phase == Phase.CLOSED) {
            return 0;
        }
        if ("champion".equals(variant) && champion.equals(version)) {
            return 1;
        }
        return "challenger".equals(variant) && challenger.equals(version) ? 2 : 0;
    }

    private ExperimentState withArms(ArmStats championArm, ArmStats challengerArm) {
        return new ExperimentState(schemaVersion, task, phase, champion, challenger, startedAt, championArm,
                challengerArm, pValue, closedWith, trace);
    }
}
