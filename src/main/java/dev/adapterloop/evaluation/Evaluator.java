package dev.adapterloop.evaluation;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import dev.adapterloop.adapters.AdaptedClassifier;
import dev.adapterloop.dataset.LabeledExample;
import dev.adapterloop.model.TextTokenizer;
import dev.adapterloop.model.TokenizedText;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/** Scores a classifier on a held-out set in inference mode (no dropout, no gradients). */
public final class Evaluator {

    private final int batchSize;
    private final int maxSequenceLength;

    public Evaluator(int batchSize, int maxSequenceLength) {
        if (batchSize <= 0 || maxSequenceLength < 2) {
            throw new IllegalArgumentException("batch size must be > 0 and max sequence length >= 2, got "
                    + batchSize + " and " + maxSequenceLength);
        }
        this.batchSize = batchSize;
        this.maxSequenceLength = maxSequenceLength;
    }

    public EvaluationReport evaluate(AdaptedClassifier model, List<LabeledExample> heldOut) {
        if (heldOut.isEmpty()) {
            throw new IllegalArgumentException("the held-out set is empty");
        }
        List<String> labels = model.labels();
        int[] truth = new int[heldOut.size()];
        for (int i = 0; i < truth.length; i++) {
            truth[i] = labels.indexOf(heldOut.get(i).label());
            if (truth[i] < 0) {
                throw new IllegalArgumentException("held-out example " + (i + 1) + " has label '"
                        + heldOut.get(i).label() + "', which the model does not know (" + labels + ")");
            }
        }
        int[] predicted = predict(model, heldOut);
        return report(labels, truth, predicted, HeldOutOutcomes.digestOf(heldOut));
    }

    private int[] predict(AdaptedClassifier model, List<LabeledExample> examples) {
        List<TokenizedText> texts = model.base().tokenizer()
                .encode(examples.stream().map(LabeledExample::text).toList()).stream()
                .map(text -> text.truncate(maxSequenceLength)).toList();
        // Batching texts of similar length wastes less compute on padding; results go back to their own index.
        List<Integer> byLength = IntStream.range(0, texts.size()).boxed()
                .sorted(Comparator.comparingInt(i -> texts.get(i).length())).toList();
        int[] predicted = new int[texts.size()];
        NDManager root = model.base().manager();
        for (int from = 0; from < byLength.size(); from += batchSize) {
            List<Integer> rows = byLength.subList(from, Math.min(byLength.size(), from + batchSize));
            try (NDManager scratch = root.newSubManager()) {
                NDList batch = TextTokenizer.collate(rows.stream().map(texts::get).toList(), scratch,
                        maxSequenceLength);
                NDArray best = model.logits(batch, false).argMax(1);
                long[] indices = best.toType(ai.djl.ndarray.types.DataType.INT64, false).toLongArray();
                for (int i = 0; i < rows.size(); i++) {
                    predicted[rows.get(i)] = (int) indices[i];
                }
            }
        }
        return predicted;
    }

    static EvaluationReport report(List<String> labels, int[] truth, int[] predicted, String heldOutSha256) {
        HeldOutOutcomes outcomes = new HeldOutOutcomes(heldOutSha256, labels, truth, predicted);
        int k = labels.size();
        int[][] confusion = new int[k][k];
        boolean[] correct = new boolean[truth.length];
        int hits = 0;
        for (int i = 0; i < truth.length; i++) {
            confusion[truth[i]][predicted[i]]++;
            correct[i] = truth[i] == predicted[i];
            hits += correct[i] ? 1 : 0;
        }
        Map<String, EvaluationReport.LabelMetrics> perLabel = new LinkedHashMap<>();
        double f1Sum = 0;
        int majority = 0;
        for (int c = 0; c < k; c++) {
            int tp = confusion[c][c];
            int support = IntStream.of(confusion[c]).sum();
            int predictedAs = 0;
            for (int[] row : confusion) {
                predictedAs += row[c];
            }
            double precision = predictedAs == 0 ? 0 : (double) tp / predictedAs;
            double recall = support == 0 ? 0 : (double) tp / support;
            double f1 = precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
            perLabel.put(labels.get(c), new EvaluationReport.LabelMetrics(precision, recall, f1, support));
            f1Sum += f1;
            if (support > IntStream.of(confusion[majority]).sum()) {
                majority = c;
            }
        }
        List<List<Integer>> matrix = new ArrayList<>();
        for (int[] row : confusion) {
            matrix.add(IntStream.of(row).boxed().toList());
        }
        double baseline = (double) IntStream.of(confusion[majority]).sum() / truth.length;
        return new EvaluationReport(truth.length, (double) hits / truth.length, f1Sum / k, labels.get(majority),
                baseline, perLabel, matrix, labels, correct, outcomes);
    }
}
