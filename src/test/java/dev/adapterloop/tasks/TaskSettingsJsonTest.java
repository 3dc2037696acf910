package dev.adapterloop.tasks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.adapterloop.config.TaskProperties;
import dev.adapterloop.config.TasksConfig;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A definition's JSON as configuration keys, and the rules of every stage applied to them. */
class TaskSettingsJsonTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void nestedAndDottedKeysAreTheSameKeysAndListsAreCommaSeparated() throws Exception {
        Map<String, String> keys = TaskSettingsJson.flatten(JSON.readTree("""
                {"labels": ["a", "b,c"], "adapter": {"rank": 4, "options": {"use-rslora": true}},
                 "training.learning-rate": 3e-4, "promotion": {"gate.accuracy-change.absolute": -0.01}}"""));
        assertThat(keys).containsExactlyInAnyOrderEntriesOf(Map.of("labels", "a,b\\,c", "adapter.rank", "4",
                "adapter.options.use-rslora", "true", "training.learning-rate", "3.0E-4",
                "promotion.gate.accuracy-change.absolute", "-0.01"));
        TasksConfig.Task task = TaskRules.check("t", keys);
        assertThat(task.labels()).containsExactly("a", "b,c");
        assertThat(task.training().learningRate()).isEqualTo(3e-4);
        assertThat(task.promotion().gate().accuracyChangeAbsolute()).contains(-0.01);
    }

    @Test
    void aKeyGivenTwiceANullAndAListOfObjectsAreRefusedByName() throws Exception {
        assertThatThrownBy(() -> TaskSettingsJson.flatten(JSON.readTree(
                "{\"adapter\": {\"rank\": 4}, \"adapter.rank\": 8, \"held-out-key\": null, \"labels\": [{}]}")))
                .isInstanceOfSatisfying(TaskProperties.InvalidSettingsException.class, e ->
                        assertThat(e.problems()).extracting(TaskProperties.Problem::setting)
                                .containsExactlyInAnyOrder("adapter.rank", "held-out-key", "labels"));
        assertThatThrownBy(() -> TaskSettingsJson.flatten(JSON.readTree("[1]")))
                .hasMessageContaining("JSON object");
    }

    @Test
    void eachStagesOwnRuleIsAppliedAndNamedBySection() {
        assertThatThrownBy(() -> TaskRules.check("t", Map.of("labels", "a,b",
                "promotion.online.min-samples-per-arm", "0", "intake.malformed-lines", "ignore",
                "promotion.feedback-datasets.records-per-dataset", "0", "training.decay", "stepwise")))
                .isInstanceOfSatisfying(TaskProperties.InvalidSettingsException.class, e ->
                        assertThat(e.problems()).extracting(TaskProperties.Problem::setting)
                                .containsExactlyInAnyOrder("", "promotion.online", "intake.malformed-lines",
                                        "promotion"));
        assertThat(TaskRules.check("gen", Map.of("kind", "generation")).labels()).isEmpty();
    }
}
