package dev.adapterloop.promotion;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The online decision's error rates over 200 seeded simulated experiments per case (the real {@link OnlineDecider};
 * synthetic traffic and feedback). Prints the table; docs/promotion.md quotes it.
 */
class PromotionSimulationTest {

    private static final int RUNS = 200;
    private static List<PromotionSimulation.Result> results;

    @BeforeAll
    static void simulate() {
        PromotionSimulation simulation = new PromotionSimulation(OnlineSettings.DEFAULTS);
        results = PromotionSimulation.CASES.stream().map(c -> simulation.run(c, RUNS, 1)).toList();
        System.out.print(PromotionSimulation.table(results));
    }

    @Test
    void anEqualOrWorseChallengerIsPromotedAtMostFivePercentOfTheTime() {
        assertThat(results.get(0).promotionRate()).isLessThanOrEqualTo(0.05);
        assertThat(results.get(1).promotionRate()).isLessThanOrEqualTo(0.05);
    }

    @Test
    void aChallengerBetterByThreePointsIsPromotedAtLeastEightyPercentOfTheTime() {
        assertThat(results.get(2).promotionRate()).isGreaterThanOrEqualTo(0.80);
    }

    @Test
    void aChampionThatRegressesAfterItsPromotionIsRolledBack() {
        PromotionSimulation.Result regressing = results.get(3);
        assertThat(regressing.promoted()).isGreaterThanOrEqualTo(160);
        assertThat(regressing.rollbackRate()).isGreaterThanOrEqualTo(0.80);
    }

    @Test
    void aChampionThatStaysBetterIsRarelyRolledBack() {
        assertThat(results.get(2).rollbackRate()).isLessThanOrEqualTo(0.05);
    }

    @Test
    void theErrorRateGuardrailVetoesABetterChallenger() {
        assertThat(results.get(4).promoted()).isZero();
    }
}
