package dev.adapterloop.promotion;

import dev.adapterloop.events.AdapterPromotionEvent;
import java.util.List;
import java.util.Objects;

/**
 * The alias moves one decision wants, each with the version the alias must still hold for the decision to apply.
 * The first move that changes something is the decision's commit: whoever wins its compare-and-set publishes the
 * event; later moves complete it and may be finished by another replica that took the same decision.
 *
 * @param eventType {@code adapterloop.adapter.promoted|rolled-back|rejected}, or null for housekeeping (the end of a
 *                  post-promotion hold-back) that publishes nothing
 * @param evidence  the decision's evidence, JSON-ready ({@link GateEvidence} or {@link OnlineEvidence})
 * @param principal who takes the decision, recorded with every alias move it makes and in its event:
 *                  {@link #GATE} or {@link #ONLINE_TEST}
 */
public record Transition(String eventType, String alias, String from, String to, List<Move> moves, String reason,
                         Object evidence, String principal) {

    /** {@code alias} must hold {@code expected} (null: no version) and is moved to {@code target} (null: cleared). */
    public record Move(String alias, String expected, String target) {
        public Move {
            Objects.requireNonNull(alias, "alias");
        }

        boolean changes() {
            return !Objects.equals(expected, target);
        }
    }

    public static final String CHAMPION = "champion";
    public static final String CHALLENGER = "challenger";
    /** The principal of the offline gate's decisions. */
    public static final String GATE = "system:gate";
    /** The principal of the online A/B test's decisions (promote, reject, roll back, end of hold-back). */
    public static final String ONLINE_TEST = "system:ab-test";

    public Transition {
        Objects.requireNonNull(principal, "principal");
        moves = List.copyOf(moves);
        if (moves.stream().noneMatch(Move::changes)) {
            throw new IllegalArgumentException("a transition must change at least one alias: " + moves);
        }
    }

    /** The gate made the first adapter of a task champion. */
    public static Transition firstChampion(String candidate, Object evidence) {
        return new Transition(AdapterPromotionEvent.PROMOTED, CHAMPION, null, candidate,
                List.of(new Move(CHAMPION, null, candidate)), "offline gate: first champion of the task", evidence, GATE);
    }

    /** The gate let the candidate into an A/B test against {@code champion} (replacing any challenger it saw). */
    public static Transition challenger(String champion, String currentChallenger, String candidate,
                                        Object evidence) {
        return new Transition(AdapterPromotionEvent.PROMOTED, CHALLENGER, currentChallenger, candidate,
                List.of(new Move(CHAMPION, champion, champion), new Move(CHALLENGER, currentChallenger, candidate)),
                "offline gate: challenger of " + champion, evidence, GATE);
    }

    /** The online test promoted the challenger; the previous champion stays on the challenger share (hold-back). */
    public static Transition promote(ExperimentState experiment, OnlineEvidence evidence) {
        String old = experiment.champion();
        String winner = experiment.challenger();
        return new Transition(AdapterPromotionEvent.PROMOTED, CHAMPION, old, winner,
                List.of(new Move(CHAMPION, old, winner), new Move(CHALLENGER, winner, old)),
                "A/B test: " + evidence.reason(), evidence, ONLINE_TEST);
    }

    public static Transition reject(ExperimentState experiment, OnlineEvidence evidence) {
        return new Transition(AdapterPromotionEvent.REJECTED, CHALLENGER, experiment.challenger(), null,
                List.of(new Move(CHAMPION, experiment.champion(), experiment.champion()),
                        new Move(CHALLENGER, experiment.challenger(), null)),
                "A/B test: " + evidence.reason(), evidence, ONLINE_TEST);
    }

    /** While monitoring, {@code champion} is the new champion and {@code challenger} the previous one. */
    public static Transition rollBack(ExperimentState monitoring, OnlineEvidence evidence) {
        String regressed = monitoring.champion();
        String previous = monitoring.challenger();
        return new Transition(AdapterPromotionEvent.ROLLED_BACK, CHAMPION, regressed, previous,
                List.of(new Move(CHAMPION, regressed, previous), new Move(CHALLENGER, previous, null)),
                "roll-back: " + evidence.reason(), evidence, ONLINE_TEST);
    }

    public static Transition endHoldBack(ExperimentState monitoring, OnlineEvidence evidence) {
        return new Transition(null, CHALLENGER, monitoring.challenger(), null,
                List.of(new Move(CHAMPION, monitoring.champion(), monitoring.champion()),
                        new Move(CHALLENGER, monitoring.challenger(), null)),
                "hold-back ended: " + evidence.reason(), evidence, ONLINE_TEST);
    }

    /** The transition an online decision asks for; null for {@link OnlineOutcome#CONTINUE}. */
    public static Transition of(OnlineDecider.Decision decision, ExperimentState before) {
        return switch (decision.outcome()) {
            case CONTINUE -> null;
            case PROMOTE -> promote(before, decision.evidence());
            case REJECT -> reject(before, decision.evidence());
            case ROLL_BACK -> rollBack(before, decision.evidence());
            case KEEP -> endHoldBack(before, decision.evidence());
        };
    }
}
