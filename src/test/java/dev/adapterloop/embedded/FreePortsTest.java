package dev.adapterloop.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.PrimitiveIterator;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The broker's two listeners never get the same port, however the system hands out free ones. */
class FreePortsTest {

    @Test
    void theControllerPortDiffersFromTheClientPortEvenWhenThePickRepeats() {
        PrimitiveIterator.OfInt picks = IntStream.of(40_001, 40_001, 40_002).iterator();
        assertThat(FreePorts.other(40_001, picks::nextInt)).isEqualTo(40_002);
        assertThat(FreePorts.resolveOther(FreePorts.resolve(0))).isBetween(1, 65_535);
    }

    @Test
    void aSystemThatOnlyRepeatsThePortIsAnErrorNotAHang() {
        assertThatThrownBy(() -> FreePorts.other(40_001, () -> 40_001))
                .hasMessage("no free loopback port other than 40001 in 100 tries");
    }
}
