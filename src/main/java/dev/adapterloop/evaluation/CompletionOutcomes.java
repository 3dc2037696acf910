package dev.adapterloop.evaluation;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * One model's results on a generation task's held-out set, identified by the set's sha256: what the offline gate
 * pairs between a candidate and its champion (each example's mean completion-token loss, in set order), kept in the
 * bucket so that a champion is scored once per held-out set.
 *
 * @param exactMatch share of greedy completions equal to the reference, or null when not measured
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record CompletionOutcomes(String heldOutSha256, int examples, long tokens, double meanLoss, double perplexity,
                                 Double exactMatch, double[] perExampleLoss) {

    public CompletionOutcomes {
        if (perExampleLoss == null || perExampleLoss.length != examples) {
            throw new IllegalArgumentException("perExampleLoss must hold one loss per example (" + examples + ")");
        }
    }

    public static CompletionOutcomes of(String heldOutSha256, CompletionReport report) {
        return new CompletionOutcomes(heldOutSha256, report.examples(), report.tokens(), report.meanLoss(),
                report.perplexity(), Double.isNaN(report.exactMatch()) ? null : report.exactMatch(),
                report.perExampleLoss().clone());
    }

    /** @throws MismatchedHeldOutException when the two were not scored on the same examples */
    public void requireSameExamples(CompletionOutcomes other) {
        if (!heldOutSha256.equals(other.heldOutSha256) || examples != other.examples) {
            throw new MismatchedHeldOutException("scored on different held-out sets: " + heldOutSha256 + " ("
                    + examples + " examples) and " + other.heldOutSha256 + " (" + other.examples + ")");
        }
    }
}
