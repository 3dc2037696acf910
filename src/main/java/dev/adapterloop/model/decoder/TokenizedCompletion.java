package dev.adapterloop.model.decoder;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.adapterloop.dataset.CompletionExample;
import dev.adapterloop.model.TextTokenizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A prompt → completion example as one token sequence: the prompt's ids, the completion's, and where the completion
 * starts. The causal-LM loss counts the tokens from the completion on (prompt and padding are
 * {@value CausalLmLoss#IGNORE_INDEX}); training and evaluation read examples the same way through this class.
 */
public record TokenizedCompletion(long[] ids, int completionStart) {

    public TokenizedCompletion {
        if (completionStart < 0 || completionStart >= ids.length) {
            throw new IllegalArgumentException("completion start " + completionStart + " outside a sequence of "
                    + ids.length + " tokens");
        }
    }

    /** Labels: the ids from the completion on, −100 before (the model shifts them by one). */
    public long[] labels(int length) {
        long[] labels = new long[length];
        Arrays.fill(labels, CausalLmLoss.IGNORE_INDEX);
        // Position 0 predicts nothing (nothing precedes it); the first counted target is the completion's first
        // token, or the second token of a prompt-less text.
        for (int t = Math.max(1, completionStart); t < ids.length; t++) {
            labels[t] = ids[t];
        }
        return labels;
    }

    /**
     * The examples as sequences: the prompt with the tokenizer's special tokens (e.g. BOS), then the completion
     * without them, then {@code endId} (EOS, so the model learns to stop). A sequence over {@code maxLength} loses
     * the end of its completion; a prompt that leaves no room for one completion token is refused, naming the example.
     */
    public static List<TokenizedCompletion> of(TextTokenizer tokenizer, List<CompletionExample> examples,
                                               int maxLength, long endId) {
        List<TokenizedCompletion> sequences = new ArrayList<>(examples.size());
        for (int i = 0; i < examples.size(); i++) {
            CompletionExample example = examples.get(i);
            long[] prompt = example.prompt().isEmpty() ? new long[0]
                    : tokenizer.encode(List.of(example.prompt())).getFirst().ids();
            long[] completion = tokenizer.encodeWithoutSpecialTokens(example.completion());
            if (prompt.length + 1 >= maxLength) {
                throw new IllegalArgumentException("example " + (i + 1) + ": its prompt has " + prompt.length
                        + " tokens, which leaves no room for the completion within " + maxLength + " tokens");
            }
            long[] ids = new long[Math.min(maxLength, prompt.length + completion.length + 1)];
            System.arraycopy(prompt, 0, ids, 0, prompt.length);
            int room = ids.length - prompt.length;
            System.arraycopy(completion, 0, ids, prompt.length, Math.min(completion.length, room));
            if (prompt.length + completion.length < ids.length) {
                ids[ids.length - 1] = endId;
            }
            sequences.add(new TokenizedCompletion(ids, prompt.length));
        }
        return sequences;
    }

    /** A right-padded batch: (input ids, attention mask, labels), each (batch, longest) int64 on {@code manager}. */
    public static NDList collate(List<TokenizedCompletion> batch, long padId, NDManager manager) {
        int length = batch.stream().mapToInt(s -> s.ids().length).max().orElseThrow();
        long[] ids = new long[batch.size() * length];
        long[] mask = new long[ids.length];
        long[] labels = new long[ids.length];
        Arrays.fill(ids, padId);
        for (int row = 0; row < batch.size(); row++) {
            TokenizedCompletion sequence = batch.get(row);
            System.arraycopy(sequence.ids(), 0, ids, row * length, sequence.ids().length);
            Arrays.fill(mask, row * length, row * length + sequence.ids().length, 1L);
            System.arraycopy(sequence.labels(length), 0, labels, row * length, length);
        }
        Shape shape = new Shape(batch.size(), length);
        return new NDList(manager.create(ids, shape), manager.create(mask, shape), manager.create(labels, shape));
    }
}
