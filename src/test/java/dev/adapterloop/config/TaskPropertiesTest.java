package dev.adapterloop.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Task settings as keys map through the configuration's own mapping: its names, conversions and defaults. */
class TaskPropertiesTest {

    @Test
    void keysMapAsApplicationPropertiesWouldAndTheRestTakeTheirDefaults() {
        TasksConfig.Task task = TaskProperties.map("tickets", Map.of("labels", "billing,bug,other",
                "adapter.rank", "4", "adapter.options.use-rslora", "true", "intake.max-wait", "PT5M",
                "promotion.gate.accuracy-change.absolute", "0.01"));
        assertThat(task.labels()).containsExactly("billing", "bug", "other");
        assertThat(task.kind()).isEqualTo(TaskKind.CLASSIFICATION);
        assertThat(task.adapter().rank()).isEqualTo(4);
        assertThat(task.adapter().alpha()).isEqualTo(16);
        assertThat(task.adapter().options()).containsEntry("use-rslora", "true");
        assertThat(task.intake().maxWait()).isEqualTo(Duration.ofMinutes(5));
        assertThat(task.promotion().gate().accuracyChangeAbsolute()).contains(0.01);
        assertThat(task.baseModel()).isEqualTo("all-minilm-l6-v2");
    }

    @Test
    void noKeysAtAllIsATaskOfDefaults() {
        assertThat(TaskProperties.map("empty", Map.of()).kind()).isEqualTo(TaskKind.CLASSIFICATION);
    }

    @Test
    void anUnknownKeyIsRefusedByName() {
        assertThatThrownBy(() -> TaskProperties.map("tickets", Map.of("labels", "a,b", "adapter.rnak", "4")))
                .isInstanceOfSatisfying(TaskProperties.InvalidSettingsException.class, e ->
                        assertThat(e.problems()).containsExactly(new TaskProperties.Problem("adapter.rnak",
                                "'adapter.rnak' is not a task setting (docs/configuration.md lists them)")));
    }

    @Test
    void aValueItsSettingCannotTakeIsRefusedByNameWithEveryOther() {
        assertThatThrownBy(() -> TaskProperties.map("tickets", Map.of("adapter.rank", "eight",
                "kind", "regression")))
                .isInstanceOfSatisfying(TaskProperties.InvalidSettingsException.class, e -> {
                    assertThat(e.problems()).extracting(TaskProperties.Problem::setting)
                            .containsExactlyInAnyOrder("adapter.rank", "kind");
                    assertThat(e.problems()).allSatisfy(p -> assertThat(p.message()).doesNotContain("SRCFG"));
                    assertThat(e.getMessage()).contains("eight").contains("regression");
                });
    }

    @Test
    void aLabelWithACommaSurvivesEscaping() {
        assertThat(TaskProperties.map("t", Map.of("labels", "a\\,b,c")).labels()).isEqualTo(List.of("a,b", "c"));
    }
}
