package dev.adapterloop.evaluation;

import java.util.List;
import java.util.Map;

/**
 * Metrics of one model on one held-out set. {@code majorityBaseline} is the accuracy of always answering the most
 * frequent held-out label: a model must beat it to have learned anything. {@code correct} has one entry per example,
 * in the held-out set's order; {@code outcomes} has every predicted label and the set's digest, for paired significance
 * tests against another model on the same examples (the promotion gate's McNemar test).
 */
public record EvaluationReport(int examples, double accuracy, double macroF1, String majorityLabel,
                               double majorityBaseline, Map<String, LabelMetrics> perLabel,
                               List<List<Integer>> confusion, List<String> labels, boolean[] correct,
                               HeldOutOutcomes outcomes) {

    /** Precision, recall and F1 of one label, with its support (held-out examples that carry it). */
    public record LabelMetrics(double precision, double recall, double f1, int support) {
    }
}
