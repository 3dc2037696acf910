package dev.adapterloop.evaluation;

import java.util.Arrays;
import org.apache.commons.math3.stat.inference.WilcoxonSignedRankTest;

/**
 * Whether a candidate's per-example held-out losses are lower than the champion's on the same examples: the Wilcoxon
 * signed-rank test on the paired differences (exact below 30 non-zero pairs, the normal approximation above), one-sided
 * for "the candidate is better". commons-math3 gives the two-sided p; the one-sided p is half of it when the
 * differences lean the candidate's way and 1 − half otherwise.
 *
 * @param pairs examples compared
 * @param candidateBetter examples where the candidate's loss is lower
 * @param medianDifference median of champion loss − candidate loss (positive: the candidate is better)
 * @param pValue one-sided p-value for "the candidate's losses are lower"
 */
public record PairedLossComparison(int pairs, int candidateBetter, double medianDifference, double pValue) {

    /** Compares the losses of the same examples, in the same order. */
    public static PairedLossComparison of(double[] candidate, double[] champion) {
        if (candidate.length != champion.length) {
            throw new IllegalArgumentException("paired losses must cover the same examples: " + candidate.length
                    + " against " + champion.length);
        }
        if (candidate.length < 2) {
            throw new IllegalArgumentException("a paired test needs at least 2 examples, got " + candidate.length);
        }
        double[] differences = new double[candidate.length];
        int better = 0;
        for (int i = 0; i < candidate.length; i++) {
            differences[i] = champion[i] - candidate[i];
            if (differences[i] > 0) {
                better++;
            }
        }
        double[] sorted = differences.clone();
        Arrays.sort(sorted);
        double median = sorted.length % 2 == 1 ? sorted[sorted.length / 2]
                : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2;
        long nonZero = Arrays.stream(differences).filter(d -> d != 0).count();
        double pValue;
        if (nonZero == 0) {
            pValue = 1;
        } else {
            double twoSided = new WilcoxonSignedRankTest().wilcoxonSignedRankTest(champion, candidate,
                    candidate.length <= 30);
            pValue = positiveRankSum(differences) > 0 ? twoSided / 2 : 1 - twoSided / 2;
        }
        return new PairedLossComparison(candidate.length, better, median, pValue);
    }

    /**
     * W+ − W−: the ranks of |difference| (ties averaged, zeros left out) summed with the differences' signs; positive
     * when the differences lean the candidate's way. It decides which tail the two-sided p belongs to.
     */
    private static double positiveRankSum(double[] differences) {
        double[] nonZero = Arrays.stream(differences).filter(d -> d != 0).toArray();
        double[] ranks = new org.apache.commons.math3.stat.ranking.NaturalRanking()
                .rank(Arrays.stream(nonZero).map(Math::abs).toArray());
        double signed = 0;
        for (int i = 0; i < nonZero.length; i++) {
            signed += Math.signum(nonZero[i]) * ranks[i];
        }
        return signed;
    }

    /** The candidate is significantly better at {@code alpha}, on at least {@code minPairs} examples. */
    public boolean candidateBetter(double alpha, int minPairs) {
        return pairs >= minPairs && pValue < alpha;
    }
}
