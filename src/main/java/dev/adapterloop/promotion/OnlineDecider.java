package dev.adapterloop.promotion;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * The online A/B decision, taken after every observation: an mSPRT ({@link MixtureSprt}) on the arms' outcomes,
 * minimum samples per arm before it may stop, a maximum of samples and of time after which an undecided challenger
 * is rejected, and guardrails (error rate, p95 latency ratio) that veto a promotion or force a roll-back. Pure and
 * deterministic: the same state and time give the same decision; the time is the caller's (a {@code Clock}).
 * <p>
 * The same test runs in both phases on {@code effect = mean(challenger arm) − mean(champion arm)}: in an experiment a
 * significant positive effect promotes and a significant negative one rejects; while monitoring a promotion (the
 * previous champion on the challenger arm) a significant positive effect means the new champion regressed: roll back.
 */
public final class OnlineDecider {

    /** The decision and the state to persist after it (the running p-value, or the next phase). */
    public record Decision(OnlineOutcome outcome, ExperimentState next, OnlineEvidence evidence) {
    }

    private final OnlineSettings settings;

    public OnlineDecider(OnlineSettings settings) {
        this.settings = settings;
    }

    public Decision decide(ExperimentState state, Instant now) {
        if (state.phase() == ExperimentState.Phase.CLOSED) {
            throw new IllegalStateException("the experiment of task " + state.task() + " is closed ("
                    + state.closedWith() + "): start a new one");
        }
        boolean monitoring = state.phase() == ExperimentState.Phase.MONITORING;
        List<OnlineEvidence.Guardrail> guardrails = guardrails(state, monitoring);
        OnlineEvidence.Guardrail broken = guardrails.stream().filter(g -> g.judged() && !g.passed()).findFirst()
                .orElse(null);
        if (broken != null) {
            OnlineOutcome outcome = monitoring ? OnlineOutcome.ROLL_BACK : OnlineOutcome.REJECT;
            return decided(outcome, state, guardrails, "guardrail broken: " + broken.name() + " " + broken.observed()
                    + " > " + broken.limit());
        }
        long fewest = Math.min(state.championArm().outcomes(), state.challengerArm().outcomes());
        ExperimentState current = state;
        if (fewest >= settings.minSamplesPerArm()) {
            current = state.withPValue(MixtureSprt.nextPValue(state.pValue(), state.championArm(),
                    state.challengerArm(), settings.mixtureSd()));
        }
        double effect = effect(current);
        boolean significant = current.pValue() <= settings.significanceLevel();
        Duration running = Duration.between(current.startedAt(), now);
        if (monitoring) {
            if (significant && effect > 0) {
                return decided(OnlineOutcome.ROLL_BACK, current, guardrails,
                        "the new champion is worse than the previous one");
            }
            if (fewest >= settings.monitorSamplesPerArm() || running.compareTo(settings.monitorDuration()) >= 0) {
                return decided(OnlineOutcome.KEEP, current, guardrails, "monitoring ended without a regression");
            }
        } else {
            if (significant && effect < 0) {
                return decided(OnlineOutcome.REJECT, current, guardrails, "the challenger is worse");
            }
            boolean guarded = guardrails.stream().allMatch(OnlineEvidence.Guardrail::judged);
            if (significant && guarded) {
                return new Decision(OnlineOutcome.PROMOTE, current.monitoring(now), evidence(OnlineOutcome.PROMOTE,
                        current, guardrails, "the challenger is better and passes the guardrails"));
            }
            if (fewest >= settings.maxSamplesPerArm() || running.compareTo(settings.maxDuration()) >= 0) {
                return decided(OnlineOutcome.REJECT, current, guardrails, significant
                        ? "better, but the guardrails never had enough requests to be judged"
                        : "inconclusive at the maximum " + (fewest >= settings.maxSamplesPerArm() ? "samples"
                        : "duration"));
            }
        }
        return new Decision(OnlineOutcome.CONTINUE, current, evidence(OnlineOutcome.CONTINUE, current, guardrails,
                fewest < settings.minSamplesPerArm() ? "collecting the minimum samples" : "not significant yet"));
    }

    private Decision decided(OnlineOutcome outcome, ExperimentState state, List<OnlineEvidence.Guardrail> guardrails,
                             String reason) {
        return new Decision(outcome, state.closed(outcome.wireName()), evidence(outcome, state, guardrails, reason));
    }

    /** The guarded arm is the one that would serve everyone: the challenger, or while monitoring the new champion. */
    private List<OnlineEvidence.Guardrail> guardrails(ExperimentState state, boolean monitoring) {
        ArmStats guarded = monitoring ? state.championArm() : state.challengerArm();
        ArmStats reference = monitoring ? state.challengerArm() : state.championArm();
        String who = monitoring ? "new champion" : "challenger";
        boolean judged = guarded.requests() >= settings.guardrailMinRequests();
        OnlineEvidence.Guardrail errors = new OnlineEvidence.Guardrail(who + " error rate", guarded.errorRate(),
                settings.maxErrorRate(), judged, guarded.errorRate() <= settings.maxErrorRate());
        boolean bothJudged = judged && reference.requests() >= settings.guardrailMinRequests();
        double ratio = bothJudged ? guarded.p95LatencyMillis() / Math.max(reference.p95LatencyMillis(), 1e-9) : 0;
        OnlineEvidence.Guardrail latency = new OnlineEvidence.Guardrail(who + " p95 latency ratio", ratio,
                settings.maxP95LatencyRatio(), bothJudged, ratio <= settings.maxP95LatencyRatio());
        return List.of(errors, latency);
    }

    private static double effect(ExperimentState state) {
        return state.challengerArm().mean() - state.championArm().mean();
    }

    private OnlineEvidence evidence(OnlineOutcome outcome, ExperimentState state,
                                    List<OnlineEvidence.Guardrail> guardrails, String reason) {
        return new OnlineEvidence(OnlineEvidence.SCHEMA_VERSION, outcome, state.phase().wireName(), state.champion(),
                state.challenger(), OnlineEvidence.Arm.of(state.championArm()),
                OnlineEvidence.Arm.of(state.challengerArm()), effect(state), state.pValue(),
                settings.significanceLevel(), settings.mixtureSd(), guardrails, reason);
    }
}
