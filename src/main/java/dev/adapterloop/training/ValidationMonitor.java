package dev.adapterloop.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import dev.adapterloop.adapters.AdaptedClassifier;
import dev.adapterloop.model.TextTokenizer;
import dev.adapterloop.model.TokenizedText;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Measures validation loss during training, remembers the best factors and puts them back at the end. */
final class ValidationMonitor {

    private static final int BATCH = 64;
    private static final double MIN_IMPROVEMENT = 1e-4;

    private final AdaptedClassifier model;
    private final EarlyStopping stopping;
    private final int maxLength;
    private final List<TokenizedText> texts;
    private final int[] labels;
    private Map<String, float[]> best;
    private double bestLoss = Double.POSITIVE_INFINITY;
    private int bestStep;
    private int sinceBest;

    ValidationMonitor(AdaptedClassifier model, EarlyStopping stopping, int maxLength) {
        this.model = model;
        this.stopping = stopping;
        this.maxLength = maxLength;
        this.texts = AdapterTrainer.tokenize(model.base().tokenizer(), stopping.validation(), maxLength);
        this.labels = AdapterTrainer.labelIndices(model.labels(), stopping.validation());
    }

    /** @return whether training should stop after {@code step} */
    boolean shouldStop(int step) {
        if (!stopping.enabled() || step % stopping.everySteps() != 0) {
            return false;
        }
        double loss = validationLoss();
        if (loss < bestLoss - MIN_IMPROVEMENT) {
            bestLoss = loss;
            bestStep = step;
            sinceBest = 0;
            best = snapshot();
        } else {
            sinceBest++;
        }
        return sinceBest >= stopping.patience();
    }

    /** Puts the best factors seen back into the model (a no-op without validation). */
    void restoreBest() {
        if (best != null) {
            model.trainableParameters().forEach((name, array) -> array.set(best.get(name)));
        }
    }

    int bestStep() {
        return bestStep;
    }

    int sinceBest() {
        return sinceBest;
    }

    /** The best factors so far (empty before the first measurement), for a checkpoint. */
    Map<String, float[]> bestParameters() {
        return best == null ? Map.of() : best;
    }

    double bestLossSoFar() {
        return bestLoss;
    }

    void restore(double bestLoss, int bestStep, int sinceBest, Map<String, float[]> bestParameters) {
        this.bestLoss = bestLoss;
        this.bestStep = bestStep;
        this.sinceBest = sinceBest;
        this.best = bestParameters.isEmpty() ? null : new LinkedHashMap<>(bestParameters);
    }

    double bestLoss() {
        return best == null ? Double.NaN : bestLoss;
    }

    double validationLoss() {
        double sum = 0;
        NDManager root = model.base().manager();
        for (int from = 0; from < texts.size(); from += BATCH) {
            int to = Math.min(texts.size(), from + BATCH);
            try (NDManager scratch = root.newSubManager()) {
                NDList batch = TextTokenizer.collate(texts.subList(from, to), scratch, maxLength);
                long[] batchLabels = new long[to - from];
                for (int i = from; i < to; i++) {
                    batchLabels[i - from] = labels[i];
                }
                NDArray loss = AdapterTrainer.crossEntropy(model.logits(batch, false), scratch.create(batchLabels));
                sum += loss.getFloat() * (to - from);
            }
        }
        return sum / texts.size();
    }

    private Map<String, float[]> snapshot() {
        Map<String, float[]> values = new LinkedHashMap<>();
        model.trainableParameters().forEach((name, array) -> values.put(name, array.toFloatArray()));
        return values;
    }
}
