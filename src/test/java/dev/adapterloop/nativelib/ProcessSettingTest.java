package dev.adapterloop.nativelib;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ProcessSettingTest {

    private static final String PROPERTY = "adapterloop.test-setting";
    private static final String ENVIRONMENT = "ADAPTERLOOP_TEST_SETTING_NOT_SET";

    enum Mode { FAST, PORTABLE, LIBRARY_DEFAULT }

    @Test
    void parsesAnyCaseWithDashesForUnderscoresAndRejectsAnythingElseNamingTheChoices() {
        assertThat(ProcessSetting.parse(Mode.class, PROPERTY, "fast")).isEqualTo(Mode.FAST);
        assertThat(ProcessSetting.parse(Mode.class, PROPERTY, " Portable ")).isEqualTo(Mode.PORTABLE);
        assertThat(ProcessSetting.parse(Mode.class, PROPERTY, "library-default")).isEqualTo(Mode.LIBRARY_DEFAULT);
        assertThatThrownBy(() -> ProcessSetting.parse(Mode.class, PROPERTY, "turbo"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(PROPERTY + " must be fast, portable or library-default, got 'turbo'");
    }

    @Test
    void thePropertyWinsAndNothingSetGivesTheFallback() {
        assertThat(ProcessSetting.configured(Mode.class, PROPERTY, ENVIRONMENT, Mode.PORTABLE))
                .isEqualTo(Mode.PORTABLE);
        System.setProperty(PROPERTY, "library-default");
        try {
            assertThat(ProcessSetting.configured(Mode.class, PROPERTY, ENVIRONMENT, Mode.PORTABLE))
                    .isEqualTo(Mode.LIBRARY_DEFAULT);
            System.setProperty(PROPERTY, " ");
            assertThat(ProcessSetting.configured(Mode.class, PROPERTY, ENVIRONMENT, Mode.FAST)).isEqualTo(Mode.FAST);
        } finally {
            System.clearProperty(PROPERTY);
        }
    }
}
