package dev.adapterloop.promotion;

import dev.adapterloop.evaluation.HeldOutOutcomes;
import org.apache.commons.math3.distribution.BinomialDistribution;

/**
 * Exact McNemar test on paired outcomes: of the examples where exactly one model is right, {@code b} are the
 * candidate's (candidate right, champion wrong) and {@code c} the champion's. Under H0 (both models equally accurate)
 * each discordant example is a fair coin, so {@code b ~ Binomial(b + c, 1/2)}; concordant examples say nothing about
 * the difference and do not enter the test.
 *
 * @param pValue for {@link Alternative#GREATER}: {@code P(X >= b)}; for {@link Alternative#TWO_SIDED}:
 *               {@code min(1, 2 · P(X >= max(b, c)))}; 1 when there is no discordant pair
 */
public record McNemar(int n, int b, int c, Alternative alternative, double pValue) {

    /** Which departure from "equally accurate" counts as evidence. */
    public enum Alternative {
        /** The candidate is more accurate (one-sided): what a promotion needs. */
        GREATER("candidate-better"),
        TWO_SIDED("two-sided");

        private final String wireName;

        Alternative(String wireName) {
            this.wireName = wireName;
        }

        public String wireName() {
            return wireName;
        }

        public static Alternative parse(String text) {
            for (Alternative a : values()) {
                if (a.wireName.equals(text)) {
                    return a;
                }
            }
            throw new IllegalArgumentException("McNemar alternative must be candidate-better or two-sided, got '"
                    + text + "'");
        }
    }

    public static McNemar test(HeldOutOutcomes candidate, HeldOutOutcomes champion, Alternative alternative) {
        candidate.requireSameExamples(champion);
        int b = 0;
        int c = 0;
        for (int i = 0; i < candidate.examples(); i++) {
            boolean cand = candidate.correct(i);
            boolean champ = champion.correct(i);
            if (cand && !champ) {
                b++;
            } else if (champ && !cand) {
                c++;
            }
        }
        return of(candidate.examples(), b, c, alternative);
    }

    public static McNemar of(int n, int b, int c, Alternative alternative) {
        if (b < 0 || c < 0 || b + c > n) {
            throw new IllegalArgumentException("discordant counts must be >= 0 and b + c <= n, got b=" + b + ", c="
                    + c + ", n=" + n);
        }
        return new McNemar(n, b, c, alternative, pValue(b, c, alternative));
    }

    static double pValue(int b, int c, Alternative alternative) {
        int discordant = b + c;
        if (discordant == 0) {
            return 1.0;
        }
        // null: no random generator needed, and none is touched (BinomialDistribution's default builds one)
        BinomialDistribution coin = new BinomialDistribution(null, discordant, 0.5);
        return switch (alternative) {
            case GREATER -> atLeast(coin, b);
            case TWO_SIDED -> Math.min(1.0, 2 * atLeast(coin, Math.max(b, c)));
        };
    }

    /** P(X >= k) computed as the upper tail directly, not 1 - CDF, so tiny p-values keep their digits. */
    private static double atLeast(BinomialDistribution coin, int k) {
        double tail = 0;
        for (int x = coin.getNumberOfTrials(); x >= k; x--) {
            tail += coin.probability(x);
        }
        return Math.min(1.0, tail);
    }
}
