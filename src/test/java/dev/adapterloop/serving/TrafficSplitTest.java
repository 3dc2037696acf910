package dev.adapterloop.serving;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class TrafficSplitTest {

    @Test
    void aKeyKeepsItsPointAndTasksSplitIndependently() {
        assertThat(TrafficSplit.point("spam", "user-42")).isEqualTo(TrafficSplit.point("spam", "user-42"));
        assertThat(TrafficSplit.point("spam", "user-42")).isNotEqualTo(TrafficSplit.point("fraud", "user-42"));
        assertThat(TrafficSplit.point("ab", "c")).isNotEqualTo(TrafficSplit.point("a", "bc"));
    }

    @Test
    void theChallengerGetsItsShareOfKeys() {
        long challenger = IntStream.range(0, 20_000)
                .filter(i -> TrafficSplit.toChallenger("spam", "user-" + i, 0.1)).count();
        assertThat(challenger / 20_000.0).isBetween(0.09, 0.11);
        assertThat(IntStream.range(0, 1000).noneMatch(i -> TrafficSplit.toChallenger("spam", "k" + i, 0.0))).isTrue();
        assertThat(IntStream.range(0, 1000).allMatch(i -> TrafficSplit.toChallenger("spam", "k" + i, 1.0))).isTrue();
    }

    @Test
    void raisingTheShareOnlyMovesChampionKeysOver() {
        assertThat(IntStream.range(0, 5000).filter(i -> TrafficSplit.toChallenger("spam", "u" + i, 0.1))
                .allMatch(i -> TrafficSplit.toChallenger("spam", "u" + i, 0.3))).isTrue();
    }

    @Test
    void withoutAKeyRoutingIsRandomAndAShareOutsideTheUnitIntervalIsRefused() {
        long challenger = IntStream.range(0, 4000).filter(i -> TrafficSplit.toChallenger("spam", null, 0.5)).count();
        assertThat(challenger).isBetween(1600L, 2400L);
        assertThatThrownBy(() -> TrafficSplit.toChallenger("spam", "k", 1.5))
                .hasMessageContaining("challenger-share must be within [0, 1], got 1.5");
        assertThatThrownBy(() -> TrafficSplit.toChallenger("spam", "k", Double.NaN))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
