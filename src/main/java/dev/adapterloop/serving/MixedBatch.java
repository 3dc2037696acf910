package dev.adapterloop.serving;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.jni.JniUtils;
import dev.adapterloop.adapters.AdaptedClassifier;
import dev.adapterloop.adapters.SharedBaseBatch;
import dev.adapterloop.model.PretrainedModel;
import dev.adapterloop.model.TextTokenizer;
import dev.adapterloop.model.TokenizedText;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Scores texts for different served versions in one forward pass of the base they share ({@code shared} mode): rows
 * are grouped by version, the base runs once with each group routed through its version's adapters, and every text
 * gets its own version's probabilities, in the order given. The caller holds a reference on every model.
 */
public final class MixedBatch {

    private MixedBatch() {
    }

    /**
     * @param models the version answering each text, {@code models.get(i)} for {@code texts.get(i)}; all served in
     *               {@code shared} mode on one base
     * @throws IllegalArgumentException if a model is not a shared classification version or sits on another base
     */
    public static List<ServedModel.Scores> predict(List<ServedModel> models, List<String> texts,
            int maxSequenceLength) {
        if (models.size() != texts.size() || texts.isEmpty()) {
            throw new IllegalArgumentException("one model per text, at least one text: got " + models.size()
                    + " models for " + texts.size() + " texts");
        }
        Map<ServedModel, List<Integer>> rowsByModel = new LinkedHashMap<>();
        for (int i = 0; i < models.size(); i++) {
            rowsByModel.computeIfAbsent(models.get(i), model -> new ArrayList<>()).add(i);
        }
        PretrainedModel base = models.getFirst().base();
        List<SharedBaseBatch.Rows> segments = new ArrayList<>(rowsByModel.size());
        List<String> grouped = new ArrayList<>(texts.size());
        rowsByModel.forEach((model, rows) -> {
            AdaptedClassifier classifier = model.sharedClassifier().orElseThrow(() -> new IllegalArgumentException(
                    model + " is not a classification version served on a shared base"));
            if (model.base() != base) {
                throw new IllegalArgumentException(model + " sits on another base than " + models.getFirst());
            }
            segments.add(new SharedBaseBatch.Rows(classifier, rows.size()));
            rows.forEach(row -> grouped.add(texts.get(row)));
        });
        JniUtils.setGradMode(false);
        List<TokenizedText> tokens = base.tokenizer().encode(grouped).stream()
                .map(text -> text.truncate(maxSequenceLength)).toList();
        ServedModel.Scores[] scores = new ServedModel.Scores[texts.size()];
        try (NDManager scratch = base.manager().newSubManager()) {
            NDList batch = TextTokenizer.collate(tokens, scratch, maxSequenceLength);
            List<NDArray> logits = SharedBaseBatch.logits(segments, batch);
            int segment = 0;
            for (Map.Entry<ServedModel, List<Integer>> entry : rowsByModel.entrySet()) {
                List<String> labels = entry.getKey().labels();
                float[] flat = logits.get(segment++).softmax(1).toFloatArray();
                List<Integer> rows = entry.getValue();
                for (int r = 0; r < rows.size(); r++) {
                    float[] one = new float[labels.size()];
                    System.arraycopy(flat, r * labels.size(), one, 0, labels.size());
                    scores[rows.get(r)] = new ServedModel.Scores(labels, one);
                }
            }
        }
        return List.of(scores);
    }
}
