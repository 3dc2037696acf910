package dev.adapterloop.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.junit.jupiter.api.Test;

/** Fused attention measured no speed gain, only ~61 MiB less peak memory: it is opt-in, unfused is the default. */
class AttentionKernelTest {

    @Test
    void unfusedIsTheDefaultAndFusedIsOptIn() {
        assumeTrue(System.getProperty(AttentionKernel.PROPERTY) == null
                && System.getenv(AttentionKernel.ENVIRONMENT) == null, "this JVM chooses its attention kernel");
        assertThat(AttentionKernel.configured()).isEqualTo(AttentionKernel.UNFUSED);
        assertThat(AttentionKernel.describe()).isEqualTo("unfused attention");
        assertThat(AttentionKernel.parse("fused")).isEqualTo(AttentionKernel.FUSED);
    }
}
