package dev.adapterloop.events;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * Held-out metrics of a generation task's version: the loss per completion token over the whole set (nats) and its
 * perplexity, the same for the base model without any adapter on the same examples, and the exact-match share when
 * the task measures it.
 *
 * @param exactMatch share in [0, 1] of held-out prompts whose greedy completion equals the reference; null when not
 *                   measured
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CompletionMetrics(int examples, long tokens, double meanLoss, double perplexity, Double exactMatch,
                                double baseMeanLoss, double basePerplexity) {
}
