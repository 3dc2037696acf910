package dev.adapterloop.promotion;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The online decision on a generation task's feedback: rewards are scores in [0, 1] (ratings, spread 0.25 around each
 * version's mean) rather than right/wrong, fed to the same {@link OnlineDecider} through the same arm statistics.
 * 200 seeded simulated experiments per case, as for classification ({@link PromotionSimulationTest}).
 */
class GenerationRewardSimulationTest {

    private static final int RUNS = 200;
    private static List<PromotionSimulation.Result> results;

    @BeforeAll
    static void simulate() {
        PromotionSimulation simulation = new PromotionSimulation(OnlineSettings.DEFAULTS);
        results = PromotionSimulation.SCORE_CASES.stream().map(c -> simulation.run(c, RUNS, 1)).toList();
        System.out.print(PromotionSimulation.table(results));
    }

    @Test
    void aChallengerWithEqualOrWorseScoresIsPromotedAtMostFivePercentOfTheTime() {
        assertThat(results.get(0).promotionRate()).isLessThanOrEqualTo(0.05);
        assertThat(results.get(1).promotionRate()).isLessThanOrEqualTo(0.05);
    }

    @Test
    void aChallengerScoringFivePointsHigherIsPromotedAtLeastEightyPercentOfTheTime() {
        assertThat(results.get(2).promotionRate()).isGreaterThanOrEqualTo(0.80);
        assertThat(results.get(2).rollbackRate()).isLessThanOrEqualTo(0.05);
    }

    @Test
    void aPromotedChallengerWhoseScoresRegressIsRolledBack() {
        assertThat(results.get(3).promoted()).isGreaterThanOrEqualTo(160);
        assertThat(results.get(3).rollbackRate()).isGreaterThanOrEqualTo(0.80);
    }
}
