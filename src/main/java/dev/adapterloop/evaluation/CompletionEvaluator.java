package dev.adapterloop.evaluation;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;
import dev.adapterloop.dataset.CompletionExample;
import dev.adapterloop.model.TextTokenizer;
import dev.adapterloop.model.decoder.CausalLmLoss;
import dev.adapterloop.model.decoder.DecoderModel;
import dev.adapterloop.model.decoder.TextGenerator;
import dev.adapterloop.model.decoder.TokenizedCompletion;
import java.util.ArrayList;
import java.util.List;

/**
 * Scores a decoder (with whatever adapters are installed on it) on held-out completions: the negative log-likelihood
 * of each reference completion (and its EOS) given its prompt, read exactly as training reads it
 * ({@link TokenizedCompletion}); optionally whether greedy decoding reproduces each completion.
 */
public final class CompletionEvaluator {

    private final int batchSize;
    private final int maxLength;

    public CompletionEvaluator(int batchSize, int maxLength) {
        this.batchSize = batchSize;
        this.maxLength = maxLength;
    }

    public CompletionReport evaluate(DecoderModel model, TextTokenizer tokenizer, List<CompletionExample> examples,
                                     long endId, long padId, NDManager manager, boolean exactMatch) {
        if (examples.isEmpty()) {
            throw new IllegalArgumentException("no held-out examples");
        }
        List<TokenizedCompletion> sequences = TokenizedCompletion.of(tokenizer, examples, maxLength, endId);
        ParameterStore ps = new ParameterStore(manager, false);
        double[] perExample = new double[sequences.size()];
        double totalLoss = 0;
        long totalTokens = 0;
        for (int from = 0; from < sequences.size(); from += batchSize) {
            List<TokenizedCompletion> batch = sequences.subList(from, Math.min(sequences.size(), from + batchSize));
            try (NDManager scope = manager.newSubManager()) {
                NDList inputs = TokenizedCompletion.collate(batch, padId, scope);
                NDList losses = CausalLmLoss.perSequence(model.logits(ps,
                        model.run(ps, inputs.get(0), inputs.get(1), null, null, false, null), false), inputs.get(2));
                float[] nll = losses.get(0).toFloatArray();
                float[] counted = losses.get(1).toFloatArray();
                for (int row = 0; row < batch.size(); row++) {
                    perExample[from + row] = nll[row] / Math.max(1, counted[row]);
                    totalLoss += nll[row];
                    totalTokens += (long) counted[row];
                }
            }
        }
        double meanLoss = totalLoss / Math.max(1, totalTokens);
        double matched = exactMatch ? exactMatch(model, tokenizer, examples, endId, padId, manager) : Double.NaN;
        return new CompletionReport(examples.size(), totalTokens, meanLoss, Math.exp(meanLoss), perExample, matched);
    }

    /** The share of examples whose greedy completion, trimmed, equals the reference, trimmed. */
    private double exactMatch(DecoderModel model, TextTokenizer tokenizer, List<CompletionExample> examples,
                              long endId, long padId, NDManager manager) {
        TextGenerator generator = new TextGenerator(model, tokenizer, List.of(endId), padId);
        int matches = 0;
        for (int from = 0; from < examples.size(); from += batchSize) {
            List<TextGenerator.Request> requests = new ArrayList<>();
            for (CompletionExample example : examples.subList(from, Math.min(examples.size(), from + batchSize))) {
                int budget = tokenizer.encodeWithoutSpecialTokens(example.completion()).length + 1;
                requests.add(new TextGenerator.Request(example.prompt(), budget, 0, 0, 1, 0, List.of()));
            }
            List<TextGenerator.Completion> completions = generator.generate(requests, manager, (row, text) -> { });
            for (int i = 0; i < completions.size(); i++) {
                if (completions.get(i).text().strip().equals(examples.get(from + i).completion().strip())) {
                    matches++;
                }
            }
        }
        return (double) matches / examples.size();
    }
}
