package dev.adapterloop.evaluation;

/**
 * How a language model does on held-out prompt → completion pairs: the loss per completion token over the whole set
 * (its exponential is the perplexity), each example's own mean loss (what a paired test compares between two
 * models), and, when measured, the share of examples whose greedy completion equals the reference.
 *
 * @param exactMatch in [0, 1], or NaN when not measured
 */
public record CompletionReport(int examples, long tokens, double meanLoss, double perplexity,
                               double[] perExampleLoss, double exactMatch) {
}
