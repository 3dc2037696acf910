package dev.adapterloop.bundled;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HexFormat;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SplitTest {
    @ParameterizedTest
    @CsvSource({
            "00000000000000000000000000000000, HELD_OUT",
            "01ffffffffffffffffffffffffffffff, TRAIN",
            "05aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa, HELD_OUT",
            "317e78fa8ee2f54cd4890fdc09ba8176, TRAIN",
            "32000000000000000000000000000000, HELD_OUT",
            "FF000000000000000000000000000000, HELD_OUT",
            "fe000000000000000000000000000000, TRAIN",
    })
    void heldOutIffTheFirstMd5ByteIsDivisibleByFive(String md5, Split expected) {
        assertThat(Split.ofMd5(md5)).isEqualTo(expected);
    }

    @Test
    void aboutOneFifthOfByteValuesAreHeldOut() {
        long heldOut = IntStream.range(0, 256)
                .mapToObj(b -> HexFormat.of().toHexDigits((byte) b) + "0".repeat(30))
                .filter(md5 -> Split.ofMd5(md5) == Split.HELD_OUT)
                .count();

        assertThat(heldOut).isEqualTo(52);
    }

    @Test
    void anythingButAnMd5IsRefused() {
        assertThatThrownBy(() -> Split.ofMd5("abc")).hasMessage("md5Hex must be 32 hex digits, got abc");
        assertThatThrownBy(() -> Split.ofMd5(null)).hasMessage("md5Hex must be 32 hex digits, got null");
        assertThatThrownBy(() -> Split.ofMd5("zz" + "0".repeat(30))).isInstanceOf(IllegalArgumentException.class);
    }
}
