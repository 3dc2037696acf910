package dev.adapterloop.evaluation;

import java.util.function.Function;

/**
 * What judges an evaluated candidate against the task's champion (the promotion stage's offline gate). The training
 * job calls it once the candidate is stored and scored; it lives here so that the job depends on the evaluation
 * stage's contract, not on the stage after it.
 */
public interface CandidateGate {

    /**
     * @param verdict  the gate's verdict as it goes on the wire ({@code promote-to-champion}, ...)
     * @param champion the champion it was judged against (null: the task had none)
     * @param evidence every threshold, count and p-value behind the verdict, serialised into the evaluation event
     */
    record Verdict(String verdict, String champion, Object evidence) {
    }

    /**
     * Judges {@code version} (stored, manifest written) by its held-out outcomes and applies the verdict to the
     * task's aliases.
     *
     * @param scoreChampion scores a champion version on the same held-out examples, for when its outcomes on this set
     *                      are not stored yet
     */
    Verdict judge(String task, String version, HeldOutOutcomes outcomes,
                  Function<String, HeldOutOutcomes> scoreChampion);
}
