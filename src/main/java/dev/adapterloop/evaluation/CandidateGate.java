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

    /**
     * Judges a generation task's {@code version} (stored, manifest written) by its per-example held-out losses
     * against the champion's on the same examples, and against the base model's (an adapter must beat the model it
     * adapts), and applies the verdict to the task's aliases.
     *
     * @param base          the base model without adapters, scored on the same examples
     * @param scoreChampion scores a champion version on the same examples, for when its outcomes are not stored yet
     */
    Verdict judgeCompletions(String task, String version, CompletionOutcomes candidate, CompletionOutcomes base,
                             Function<String, CompletionOutcomes> scoreChampion);
}
