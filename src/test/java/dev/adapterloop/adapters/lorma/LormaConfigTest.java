package dev.adapterloop.adapters.lorma;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.adapterloop.adapters.TargetModules;
import dev.adapterloop.adapters.lorma.LormaConfig.Variant;
import org.junit.jupiter.api.Test;

class LormaConfigTest {

    private static final TargetModules QV = TargetModules.of("query", "value");

    @Test
    void namesAndScaling() {
        assertThat(new LormaConfig(Variant.PLUS, 8, 16, 0.1, QV).name()).isEqualTo("lorma-plus");
        assertThat(new LormaConfig(Variant.PI, 8, 16, 0.0, QV).name()).isEqualTo("lorma-pi");
        assertThat(new LormaConfig(Variant.PI, 4, 2, 0.0, QV).scaling()).isEqualTo(0.5);
    }

    @Test
    void invalidValuesAreRejectedNamingTheFieldAndTheValue() {
        assertThatThrownBy(() -> new LormaConfig(Variant.PLUS, -1, 16, 0, QV))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("rank must be > 0, got -1");
        assertThatThrownBy(() -> new LormaConfig(Variant.PLUS, 8, 0, 0, QV))
                .hasMessage("alpha must be > 0, got 0.0");
        assertThatThrownBy(() -> new LormaConfig(Variant.PLUS, 8, Double.NaN, 0, QV))
                .hasMessage("alpha must be > 0, got NaN");
        assertThatThrownBy(() -> new LormaConfig(Variant.PI, 8, 16, 1.0, QV))
                .hasMessage("dropout must be in [0, 1), got 1.0");
        assertThatThrownBy(() -> new LormaConfig(null, 8, 16, 0, QV)).hasMessageContaining("variant");
        assertThatThrownBy(() -> new LormaConfig(Variant.PI, 8, 16, 0, null)).hasMessageContaining("targets");
    }
}
