package dev.adapterloop.nativelib;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.junit.jupiter.api.Test;

/** The one decision every native helper takes before it loads: this libtorch, and the process-wide switch. */
class NativeHelpersTest {

    private static final String HELPER = "the CPU block cache";

    @Test
    void anotherLibtorchTurnsTheHelperOffNamingBothVersions() {
        assertThat(NativeHelpers.offBecause(NativeHelpers.ON, HELPER, "2.8.0"))
                .hasValue("the CPU block cache is off (written for libtorch 2.7.1, this process has libtorch 2.8.0)");
        assertThat(NativeHelpers.offBecause(NativeHelpers.ON, HELPER, "unknown")).get().asString()
                .contains("this process has libtorch unknown");
    }

    @Test
    void theLibtorchItWasWrittenForKeepsItOn() {
        assertThat(NativeHelpers.offBecause(NativeHelpers.ON, HELPER, LibtorchVersion.EXPECTED)).isEmpty();
        assertThat(LibtorchVersion.EXPECTED).isEqualTo("2.7.1");
    }

    @Test
    void theSwitchTurnsItOffWhateverTheVersion() {
        assertThat(NativeHelpers.offBecause(NativeHelpers.OFF, HELPER, "2.7.1"))
                .hasValue("the CPU block cache is off (adapterloop.native-helpers=off)");
        assertThat(NativeHelpers.offBecause(NativeHelpers.OFF, HELPER, null)).isPresent();
    }

    @Test
    void aHelperLoadingBeforeTheEngineSeesDjlsVersionOverride() {
        assumeTrue(System.getenv("PYTORCH_VERSION") == null, "PYTORCH_VERSION is set in the environment");
        assumeTrue(NativeHelpers.configured() == NativeHelpers.ON, "the helpers are switched off in this process");
        String before = System.getProperty("PYTORCH_VERSION");
        try {
            System.setProperty("PYTORCH_VERSION", "2.8.0");
            assertThat(LibtorchVersion.beforeEngine()).isEqualTo("2.8.0");
            assertThat(NativeHelpers.mayLoadBeforeEngine(HELPER, "tensors use glibc's allocator")).isFalse();
        } finally {
            if (before == null) {
                System.clearProperty("PYTORCH_VERSION");
            } else {
                System.setProperty("PYTORCH_VERSION", before);
            }
        }
        assertThat(NativeHelpers.mayLoadBeforeEngine(HELPER, "tensors use glibc's allocator")).isTrue();
    }

    @Test
    void theSwitchParsesOnAndOff() {
        assertThat(ProcessSetting.parse(NativeHelpers.class, NativeHelpers.PROPERTY, "OFF")).isEqualTo(NativeHelpers.OFF);
        assertThat(ProcessSetting.parse(NativeHelpers.class, NativeHelpers.PROPERTY, " on")).isEqualTo(NativeHelpers.ON);
        assertThatThrownBy(() -> ProcessSetting.parse(NativeHelpers.class, NativeHelpers.PROPERTY, "no"))
                .hasMessage("adapterloop.native-helpers must be on or off, got 'no'");
    }

    @Test
    void theVersionIsKnownBeforeTheEngineLoadsAsDjlReportsIt() {
        assertThat(LibtorchVersion.release("2.7.1-20250812")).isEqualTo("2.7.1");
        assertThat(LibtorchVersion.release("2.8.0")).isEqualTo("2.8.0");
        if (System.getenv("PYTORCH_VERSION") == null && System.getProperty("PYTORCH_VERSION") == null) {
            // The test class path has DJL's pytorch-native-cpu jar, the one the product ships.
            assertThat(LibtorchVersion.beforeEngine()).isEqualTo(LibtorchVersion.EXPECTED);
        }
    }
}
