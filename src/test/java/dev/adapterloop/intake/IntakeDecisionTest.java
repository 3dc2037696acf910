package dev.adapterloop.intake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class IntakeDecisionTest {

    @Test
    void onlyTheTwoDuplicateOutcomesStartNoJob() {
        assertThat(new IntakeDecision("e", "spam", IntakeLedger.Outcome.DUPLICATE_EVENT).duplicate()).isTrue();
        assertThat(new IntakeDecision("e", "spam", IntakeLedger.Outcome.DUPLICATE_DATA).duplicate()).isTrue();
        assertThat(new IntakeDecision("e", "spam", IntakeLedger.Outcome.ACCUMULATED).duplicate()).isFalse();
        assertThat(new IntakeDecision("e", "spam", IntakeLedger.Outcome.TRIGGERED).duplicate()).isFalse();
        assertThatThrownBy(() -> new IntakeDecision(null, "spam", IntakeLedger.Outcome.TRIGGERED))
                .isInstanceOf(NullPointerException.class).hasMessageContaining("eventId");
    }
}
