package dev.adapterloop.promotion;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.adapterloop.evaluation.HeldOutOutcomes;
import dev.adapterloop.evaluation.MismatchedHeldOutException;
import dev.adapterloop.registry.AliasTarget;
import dev.adapterloop.config.TaskCatalogue;
import dev.adapterloop.config.TasksConfig;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the job runner calls after an evaluation, over a real S3 server: gate, aliases, champion outcomes, A/B start. */
class PromotionsGateTest {

    private static final int N = 400;
    private static final String SET = "f".repeat(64);

    @TempDir
    static Path serverDir;
    private static PromotionS3 s3;
    private static Promotions promotions;

    @BeforeAll
    static void start() {
        s3 = new PromotionS3(serverDir);
        TasksConfig tasks = new SmallRyeConfigBuilder().withMapping(TasksConfig.class)
                .withSources(new PropertiesConfigSource(Map.of("adapterloop.tasks.mail.labels", "ham,spam",
                        "adapterloop.tasks.mail2.labels", "ham,spam",
                        "adapterloop.tasks.mail.promotion.gate.min-accuracy", "0.8"), "test", 100))
                .build().getConfigMapping(TasksConfig.class);
        promotions = new Promotions(TaskCatalogue.of(tasks), s3.store, s3.aliases, (type, event) -> {
            s3.published.add(new PromotionS3.Published(type, event));
            return "id";
        });
    }

    @AfterAll
    static void stop() {
        s3.close();
    }

    @Test
    void firstChampionThenABetterChallengerWhoseChampionIsScoredOnceThenAnAbTest() {
        s3.putVersion("mail", "v1");
        s3.putVersion("mail", "v2");
        s3.putVersion("mail", "v3");
        AtomicInteger scored = new AtomicInteger();

        OfflinePromotion.Outcome first = promotions.gate("mail", "v1", outcomes(SET, 40), champion -> {
            throw new AssertionError("no champion to score yet");
        });
        assertThat(first.evidence().verdict()).isEqualTo(GateVerdict.PROMOTE_TO_CHAMPION);
        assertThat(champion()).isEqualTo("v1");

        // v1's outcomes on SET are stored by the first call: no scoring needed
        OfflinePromotion.Outcome second = promotions.gate("mail", "v2", outcomes(SET, 10), champion -> {
            scored.incrementAndGet();
            return outcomes(SET, 40);
        });
        assertThat(scored).hasValue(0);
        assertThat(second.evidence().verdict()).isEqualTo(GateVerdict.PROMOTE_TO_CHALLENGER);
        assertThat(s3.aliases.read("mail").alias("challenger").map(AliasTarget::version)).contains("v2");
        ExperimentState experiment = promotions.experiments().current("mail").orElseThrow();
        assertThat(experiment.phase()).isEqualTo(ExperimentState.Phase.EXPERIMENT);
        assertThat(List.of(experiment.champion(), experiment.challenger())).containsExactly("v1", "v2");

        // a new held-out set: the champion has no outcomes on it, so it is scored (once) and stored
        String newSet = "a".repeat(64);
        OfflinePromotion.Outcome third = promotions.gate("mail", "v3", outcomes(newSet, 37), champion -> {
            scored.incrementAndGet();
            assertThat(champion).isEqualTo("v1");
            return outcomes(newSet, 40);
        });
        assertThat(scored).hasValue(1);
        assertThat(third.evidence().verdict()).isEqualTo(GateVerdict.REJECT); // b = 3: p = 1/8, not significant
        assertThat(s3.records.readEvaluation("mail", "v1", newSet, HeldOutOutcomes.class)).isPresent();
        assertThat(s3.aliases.read("mail").alias("challenger").map(AliasTarget::version)).contains("v2");
    }

    @Test
    void anUnconfiguredTaskIsRefusedBeforeAnythingIsWritten() {
        assertThatThrownBy(() -> promotions.gate("nope", "x1", outcomes(SET, 0), champion -> null))
                .hasMessageContaining("task 'nope' is neither configured nor defined");
        assertThat(s3.store.list("tasks/nope/")).isEmpty();
    }

    @Test
    void aChampionScoredOnAnotherSetIsRefused() {
        s3.putVersion("mail2", "w1");
        s3.putVersion("mail2", "w2");
        assertThat(s3.aliases.compareAndSet("mail2", 0, "champion", "w1", "set by hand", "test")).isTrue();
        assertThatThrownBy(() -> promotions.gate("mail2", "w2", outcomes(SET, 10), champion -> outcomes(
                "b".repeat(64), 40))).isInstanceOf(MismatchedHeldOutException.class).hasMessageContaining("w1");
    }

    private static String champion() {
        return s3.aliases.read("mail").alias("champion").map(AliasTarget::version).orElseThrow();
    }

    /** Alternating labels; wrong on the first {@code wrong} examples. */
    private static HeldOutOutcomes outcomes(String set, int wrong) {
        int[] truth = IntStream.range(0, N).map(i -> i % 2).toArray();
        int[] predicted = truth.clone();
        for (int i = 0; i < wrong; i++) {
            predicted[i] = 1 - predicted[i];
        }
        return new HeldOutOutcomes(set, List.of("ham", "spam"), truth, predicted);
    }
}
