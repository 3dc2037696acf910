package dev.adapterloop.promotion;

import dev.adapterloop.evaluation.HeldOutOutcomes;
import dev.adapterloop.registry.PromotionRecords;

/**
 * The champion's outcomes on the held-out set the candidate was scored on. {@link #stored} finds those that an
 * earlier evaluation kept in the bucket; when the champion was scored on another set (the held-out set changed, or
 * its size cap did), the job runner must score it on this one first.
 */
@FunctionalInterface
public interface ChampionOutcomes {

    HeldOutOutcomes of(String task, String championVersion, String heldOutSha256);

    static ChampionOutcomes stored(PromotionRecords records) {
        return (task, version, sha) -> records.readEvaluation(task, version, sha, HeldOutOutcomes.class)
                .orElseThrow(() -> new MissingChampionOutcomesException(task, version, sha));
    }

    /** The champion was never scored on this held-out set. */
    final class MissingChampionOutcomesException extends IllegalStateException {
        public MissingChampionOutcomesException(String task, String version, String sha256) {
            super("champion " + version + " of task " + task + " has no outcomes on held-out set " + sha256
                    + ": score it on this set (Evaluator) and store them (PromotionRecords.writeEvaluation) first");
        }
    }
}
