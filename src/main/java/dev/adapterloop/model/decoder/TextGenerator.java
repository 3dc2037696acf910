package dev.adapterloop.model.decoder;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.adapterloop.model.TextTokenizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * Completions for a batch of prompts in one decoding loop (one forward pass per step for all rows, with the KV
 * cache): each row samples with its own settings and seed ({@link TokenSampler}) and stops on its own, at an end
 * token, at one of its stop sequences (which the text then ends before, as OpenAI-style APIs return it) or at its
 * token budget. Text is streamed per row as it grows.
 */
public final class TextGenerator {

    /** One prompt and how to continue it. */
    public record Request(String prompt, int maxNewTokens, double temperature, int topK, double topP, long seed,
                          List<String> stop) {

        public Request {
            if (maxNewTokens < 1) {
                throw new IllegalArgumentException("max_tokens must be >= 1, got " + maxNewTokens);
            }
            stop = List.copyOf(stop);
            if (stop.stream().anyMatch(String::isEmpty)) {
                throw new IllegalArgumentException("stop sequences must not be empty");
            }
        }
    }

    /** Why a row stopped: an end token or a stop sequence ({@code stop}), or its token budget ({@code length}). */
    public record Completion(String text, long[] tokens, String finishReason, int promptTokens) {
    }

    private final DecoderModel model;
    private final TextTokenizer tokenizer;
    private final Set<Long> endIds;
    private final long padId;

    public TextGenerator(DecoderModel model, TextTokenizer tokenizer, List<Long> endIds, long padId) {
        this.model = model;
        this.tokenizer = tokenizer;
        this.endIds = Set.copyOf(endIds);
        this.padId = padId;
    }

    /**
     * @param onText receives (row, new text) whenever a row's decoded text grows; never text past a stop sequence
     */
    public List<Completion> generate(List<Request> requests, NDManager manager, BiConsumer<Integer, String> onText) {
        int batch = requests.size();
        List<long[]> prompts = new ArrayList<>();
        for (Request request : requests) {
            prompts.add(tokenizer.encode(List.of(request.prompt())).getFirst().ids());
        }
        int length = prompts.stream().mapToInt(p -> p.length).max().orElseThrow();
        if (length + requests.stream().mapToInt(Request::maxNewTokens).max().orElseThrow()
                > model.config().maxPositionEmbeddings()) {
            throw new IllegalArgumentException("prompt of " + length + " tokens plus max_tokens exceeds the model's "
                    + model.config().maxPositionEmbeddings() + " positions");
        }
        long[] ids = new long[batch * length];
        long[] mask = new long[ids.length];
        Arrays.fill(ids, padId);
        for (int row = 0; row < batch; row++) {
            long[] prompt = prompts.get(row);
            int offset = row * length + length - prompt.length;
            System.arraycopy(prompt, 0, ids, offset, prompt.length);
            Arrays.fill(mask, offset, offset + prompt.length, 1L);
        }
        Row[] rows = new Row[batch];
        for (int i = 0; i < batch; i++) {
            Request r = requests.get(i);
            rows[i] = new Row(r, new TokenSampler(r.temperature(), r.topK(), r.topP(), r.seed()));
        }
        int budget = requests.stream().mapToInt(Request::maxNewTokens).max().orElseThrow();
        try (NDManager scope = manager.newSubManager()) {
            NDArray idArray = scope.create(ids, new Shape(batch, length));
            NDArray maskArray = scope.create(mask, new Shape(batch, length));
            new DecodingLoop(model, scope).run(idArray, maskArray, budget, true, (logits, next) -> {
                boolean all = true;
                for (int row = 0; row < batch; row++) {
                    next[row] = rows[row].step(logits[row], row, onText);
                    all &= rows[row].finishReason != null;
                }
                return all;
            });
        }
        List<Completion> completions = new ArrayList<>();
        for (int row = 0; row < batch; row++) {
            completions.add(rows[row].completion(prompts.get(row).length));
        }
        return completions;
    }

    /** One row's state: its tokens so far, the text already streamed, and why it stopped. */
    private final class Row {
        final Request request;
        final TokenSampler sampler;
        final List<Long> tokens = new ArrayList<>();
        String text = "";
        String finishReason;

        Row(Request request, TokenSampler sampler) {
            this.request = request;
            this.sampler = sampler;
        }

        long step(float[] logits, int index, BiConsumer<Integer, String> onText) {
            if (finishReason != null) {
                return padId;
            }
            long token = sampler.next(logits);
            if (endIds.contains(token)) {
                finishReason = "stop";
                // Text held back as a possible stop-sequence start is the completion's end after all.
                String decoded = tokenizer.decode(tokens.stream().mapToLong(Long::longValue).toArray(), true);
                if (decoded.length() > text.length() && decoded.startsWith(text)) {
                    onText.accept(index, decoded.substring(text.length()));
                    text = decoded;
                }
                return token;
            }
            tokens.add(token);
            String decoded = tokenizer.decode(tokens.stream().mapToLong(Long::longValue).toArray(), true);
            int stopAt = firstStop(decoded);
            if (stopAt >= 0) {
                decoded = decoded.substring(0, stopAt);
                finishReason = "stop";
            } else if (tokens.size() >= request.maxNewTokens()) {
                finishReason = "length";
            }
            // Streamed so far: never a partly decoded multi-byte character (U+FFFD until its last byte) and never
            // text that may turn out to be the start of a stop sequence.
            String safe = finishReason != null ? decoded : withoutPossibleStopStart(decoded);
            if (finishReason == null && safe.endsWith("\uFFFD")) {
                safe = text;
            }
            if (safe.length() > text.length() && safe.startsWith(text)) {
                onText.accept(index, safe.substring(text.length()));
            }
            text = safe;
            return token;
        }

        /** {@code decoded} without its longest end that is a proper beginning of a stop sequence. */
        private String withoutPossibleStopStart(String decoded) {
            int keep = decoded.length();
            for (String stop : request.stop()) {
                for (int n = Math.min(stop.length() - 1, decoded.length()); n > 0; n--) {
                    if (decoded.endsWith(stop.substring(0, n))) {
                        keep = Math.min(keep, decoded.length() - n);
                        break;
                    }
                }
            }
            return decoded.substring(0, keep);
        }

        private int firstStop(String decoded) {
            int best = -1;
            for (String stop : request.stop()) {
                int at = decoded.indexOf(stop);
                if (at >= 0 && (best < 0 || at < best)) {
                    best = at;
                }
            }
            return best;
        }

        Completion completion(int promptTokens) {
            return new Completion(text, tokens.stream().mapToLong(Long::longValue).toArray(),
                    finishReason == null ? "length" : finishReason, promptTokens);
        }
    }
}
