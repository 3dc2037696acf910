package dev.adapterloop.adapters;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.jni.JniUtils;
import dev.adapterloop.model.AdaptableLinear;
import dev.adapterloop.model.PretrainedModel;
import dev.adapterloop.model.TextTokenizer;
import dev.adapterloop.testing.BundledModel;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.provider.Arguments;

/**
 * Many versions of every method on one loaded base: each detached version answers exactly what it answered while
 * installed, and a batch that mixes their rows gives every row what its version gives it alone.
 */
class SharedBaseBatchTest {

    private static final List<String> TEXTS = List.of("Claim your FREE gift card today", "Lunch at noon?",
            "Re: patch for the build script", "Your account is locked: verify your password here",
            "Meeting moved to 3pm", "WIN a brand new car, click now");

    private static PretrainedModel base;
    private static NDManager manager;
    /** Every method and placement, each with the logits it gave while installed, for its two texts. */
    private static final Map<String, AdaptedClassifier> MODELS = new LinkedHashMap<>();
    private static final Map<String, float[]> ALONE = new LinkedHashMap<>();
    private static final Map<String, List<String>> ROWS = new LinkedHashMap<>();

    @BeforeAll
    static void loadEveryMethodOnOneBase() {
        base = BundledModel.encoder();
        JniUtils.setGradMode(false);
        manager = base.manager().newSubManager();
        int i = 0;
        for (Arguments arguments : StoredAdapterFixtures.everyMethodAndPlacement().toList()) {
            String name = (String) arguments.get()[0];
            AdaptedClassifier model = AdaptedClassifier.create(base, StoredAdapterFixtures.LABELS,
                    (AdapterMethod) arguments.get()[1], 11 + i);
            StoredAdapterFixtures.perturb(model, 100 + i);
            List<String> rows = List.of(TEXTS.get(i % TEXTS.size()), TEXTS.get((i + 3) % TEXTS.size()));
            ALONE.put(name, model.logits(batch(rows), false).toFloatArray());
            model.detach();
            MODELS.put(name, model);
            ROWS.put(name, rows);
            i++;
        }
    }

    @AfterAll
    static void close() {
        MODELS.values().forEach(AdaptedClassifier::close);
        manager.close();
    }

    @Test
    void detachingLeavesTheBasePlainAndEveryVersionAnswersAsBefore() {
        for (AdaptableLinear linear : base.backbone().linearLayers().values()) {
            assertThat(linear.adapter()).as(linear.path()).isNull();
        }
        MODELS.forEach((name, model) -> assertThat(model.logits(batch(ROWS.get(name)), false).toFloatArray())
                .as(name).containsExactly(ALONE.get(name)));
    }

    @Test
    void aMixedBatchGivesEveryRowWhatItsVersionGivesItAlone() {
        List<SharedBaseBatch.Rows> segments = new ArrayList<>();
        List<String> texts = new ArrayList<>();
        MODELS.forEach((name, model) -> {
            segments.add(new SharedBaseBatch.Rows(model, 2));
            texts.addAll(ROWS.get(name));
        });
        List<NDArray> logits = SharedBaseBatch.logits(segments, batch(texts));
        int k = 0;
        for (String name : MODELS.keySet()) {
            double diff = StoredAdapterFixtures.maxAbsDiff(logits.get(k++).toFloatArray(), ALONE.get(name));
            assertThat(diff).as(name + ": max |Δ logit| mixed vs alone").isLessThanOrEqualTo(1e-5);
        }
    }

    @Test
    void theSameVersionTwiceAndAPlainLayerMixWithTheOthers() {
        AdaptedClassifier lora = MODELS.get("lora");
        AdaptedClassifier pissa = MODELS.get("pissa");
        List<String> texts = new ArrayList<>(ROWS.get("pissa"));
        texts.addAll(ROWS.get("lora"));
        texts.addAll(ROWS.get("pissa"));
        List<NDArray> logits = SharedBaseBatch.logits(List.of(new SharedBaseBatch.Rows(pissa, 2),
                new SharedBaseBatch.Rows(lora, 2), new SharedBaseBatch.Rows(pissa, 2)), batch(texts));
        assertThat(StoredAdapterFixtures.maxAbsDiff(logits.get(0).toFloatArray(), ALONE.get("pissa")))
                .isLessThanOrEqualTo(1e-5);
        assertThat(StoredAdapterFixtures.maxAbsDiff(logits.get(1).toFloatArray(), ALONE.get("lora")))
                .isLessThanOrEqualTo(1e-5);
        assertThat(StoredAdapterFixtures.maxAbsDiff(logits.get(2).toFloatArray(), ALONE.get("pissa")))
                .isLessThanOrEqualTo(1e-5);
    }

    @Test
    void loraVersionsOfOneRankGoThroughTheBatchedProductsRowByRow() {
        AdaptedClassifier lora = MODELS.get("lora");
        try (AdaptedClassifier second = AdaptedClassifier.create(base, StoredAdapterFixtures.LABELS,
                lora.method(), 99)) {
            StoredAdapterFixtures.perturb(second, 98);
            List<String> rows = List.of(TEXTS.get(5), TEXTS.get(1), TEXTS.get(2));
            float[] secondAlone = second.logits(batch(rows), false).toFloatArray();
            second.detach();
            List<String> texts = new ArrayList<>(ROWS.get("lora"));
            texts.addAll(rows);
            texts.addAll(ROWS.get("lora"));
            List<NDArray> logits = SharedBaseBatch.logits(List.of(new SharedBaseBatch.Rows(lora, 2),
                    new SharedBaseBatch.Rows(second, 3), new SharedBaseBatch.Rows(lora, 2)), batch(texts));
            assertThat(StoredAdapterFixtures.maxAbsDiff(logits.get(0).toFloatArray(), ALONE.get("lora")))
                    .isLessThanOrEqualTo(1e-5);
            assertThat(StoredAdapterFixtures.maxAbsDiff(logits.get(1).toFloatArray(), secondAlone))
                    .isLessThanOrEqualTo(1e-5);
            assertThat(StoredAdapterFixtures.maxAbsDiff(logits.get(2).toFloatArray(), ALONE.get("lora")))
                    .isLessThanOrEqualTo(1e-5);
        }
    }

    @Test
    void refusesRowsThatDoNotAddUpAndModelsStillInstalled() {
        AdaptedClassifier lora = MODELS.get("lora");
        assertThatThrownBy(() -> SharedBaseBatch.logits(List.of(new SharedBaseBatch.Rows(lora, 3)),
                batch(ROWS.get("lora")))).hasMessageContaining("segments hold 3 rows, the batch 2");
        assertThatThrownBy(lora::merge).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("detached");
    }

    private static NDList batch(List<String> texts) {
        return TextTokenizer.collate(base.tokenizer().encode(texts), manager, 64);
    }
}
