package dev.adapterloop.promotion;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.adapterloop.config.TasksConfig;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/** The per-task promotion keys map through {@code TasksConfig} as application.properties writes them. */
class PromotionConfigTest {

    @Test
    void theBundledTasksSettingsMapToTheDefaults() throws IOException {
        TasksConfig.Task spam = tasks(Map.of()).tasks().get("spam");
        GateSettings gate = GateSettings.of(spam.promotion().gate());
        assertThat(gate).isEqualTo(new GateSettings(true, 0.8, 0, Optional.of(0.0), Optional.empty(),
                Optional.empty(), Optional.empty(), true, 0.05, McNemar.Alternative.GREATER, 200));
        assertThat(OnlineSettings.of(spam.promotion().online())).isEqualTo(OnlineSettings.DEFAULTS);
        assertThat(FeedbackDatasets.Settings.of(spam)).isEqualTo(new FeedbackDatasets.Settings(false, 500,
                Duration.ofHours(1), 20000, Optional.of("datasets/spam/spamassassin-heldout.jsonl")));
    }

    @Test
    void feedbackDatasetKeysAreReadAndBadValuesRefused() throws IOException {
        TasksConfig.Task spam = tasks(Map.of(
                "adapterloop.tasks.spam.promotion.feedback-datasets.enabled", "true",
                "adapterloop.tasks.spam.promotion.feedback-datasets.records-per-dataset", "50",
                "adapterloop.tasks.spam.promotion.feedback-datasets.max-wait", "PT5M")).tasks().get("spam");
        FeedbackDatasets.Settings settings = FeedbackDatasets.Settings.of(spam);
        assertThat(settings.enabled()).isTrue();
        assertThat(settings.recordsPerDataset()).isEqualTo(50);
        assertThat(settings.maxWait()).isEqualTo(Duration.ofMinutes(5));
        TasksConfig.Task bad = tasks(Map.of(
                "adapterloop.tasks.spam.promotion.feedback-datasets.records-per-dataset", "0")).tasks().get("spam");
        assertThatThrownBy(() -> FeedbackDatasets.Settings.of(bad))
                .hasMessageContaining("records-per-dataset must be >= 1");
    }

    @Test
    void aTaskWithoutPromotionKeysGetsTheCodeDefaults() throws IOException {
        TasksConfig.Task other = tasks(Map.of("adapterloop.tasks.other.labels", "a,b")).tasks().get("other");
        assertThat(GateSettings.of(other.promotion().gate())).isEqualTo(GateSettings.DEFAULTS);
        assertThat(OnlineSettings.of(other.promotion().online())).isEqualTo(OnlineSettings.DEFAULTS);
    }

    @Test
    void changeThresholdsAndOtherKeysAreRead() throws IOException {
        TasksConfig.Task spam = tasks(Map.of(
                "adapterloop.tasks.spam.promotion.gate.accuracy-change.relative", "0.02",
                "adapterloop.tasks.spam.promotion.gate.macro-f1-change.absolute", "-0.01",
                "adapterloop.tasks.spam.promotion.gate.alternative", "two-sided",
                "adapterloop.tasks.spam.promotion.online.max-duration", "P2D")).tasks().get("spam");
        GateSettings gate = GateSettings.of(spam.promotion().gate());
        assertThat(gate.accuracyChangeRelative()).contains(0.02);
        assertThat(gate.macroF1ChangeAbsolute()).contains(-0.01);
        assertThat(gate.alternative()).isEqualTo(McNemar.Alternative.TWO_SIDED);
        assertThat(OnlineSettings.of(spam.promotion().online()).maxDuration()).isEqualTo(Duration.ofDays(2));
    }

    @Test
    void badValuesNameTheKey() throws IOException {
        TasksConfig.Task spam = tasks(Map.of("adapterloop.tasks.spam.promotion.gate.alternative", "less",
                "adapterloop.tasks.spam.promotion.online.min-samples-per-arm", "0")).tasks().get("spam");
        assertThatThrownBy(() -> GateSettings.of(spam.promotion().gate()))
                .hasMessageContaining("candidate-better or two-sided, got 'less'");
        assertThatThrownBy(() -> OnlineSettings.of(spam.promotion().online()))
                .hasMessageContaining("min-samples-per-arm");
    }

    private static TasksConfig tasks(Map<String, String> overrides) throws IOException {
        Properties properties = new Properties();
        try (InputStream in = PromotionConfigTest.class.getResourceAsStream("/application.properties")) {
            properties.load(in);
        }
        properties.keySet().removeIf(key -> !key.toString().startsWith("adapterloop.tasks."));
        properties.putAll(overrides);
        SmallRyeConfig config = new SmallRyeConfigBuilder().withMapping(TasksConfig.class)
                .withSources(new PropertiesConfigSource(properties, "test", 100)).build();
        return config.getConfigMapping(TasksConfig.class);
    }
}
