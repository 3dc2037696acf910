package dev.adapterloop.serving;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Who may run with the built-in development key for prediction ids: dev/test mode and the embedded default only. */
class PredictionIdKeyCheckTest {

    @Test
    void aServingProcessOnRealInfrastructureRefusesTheDevelopmentKeyNamingTheSetting() {
        assertThat(PredictionIdKeyCheck.refusal(true, true, false, false)).hasValueSatisfying(message -> assertThat(
                message).contains("ADAPTERLOOP_SERVING_PREDICTION_ID_KEY").contains("anyone can forge"));
    }

    @Test
    void aConfiguredKeyTheEmbeddedDefaultDevOrTestModeAndBatchCommandsStart() {
        assertThat(PredictionIdKeyCheck.refusal(true, false, false, false)).isEmpty();
        assertThat(PredictionIdKeyCheck.refusal(true, true, true, false)).isEmpty();
        assertThat(PredictionIdKeyCheck.refusal(true, true, false, true)).isEmpty();
        assertThat(PredictionIdKeyCheck.refusal(false, true, false, false)).isEmpty();
    }
}
