package dev.adapterloop.model;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The model's own {@code tokenizer.json} through DJL's Hugging Face tokenizers, truncating to a maximum length and
 * padding per batch (to the longest text in it), which keeps short batches cheap. Encoding adds the special tokens
 * tokenizer.json's post-processor adds (BERT's [CLS]/[SEP], Llama's BOS); a decoder loads it with its
 * {@link TokenizerSettings} (special-token ids, pad id, chat template) and decodes generated ids with
 * {@link #decode(long[], boolean)}.
 */
public final class TextTokenizer implements AutoCloseable {

    private static final int ENCODE_CHUNK = 256;

    private final HuggingFaceTokenizer tokenizer;
    private final int maxLength;
    private final TokenizerSettings settings;

    private TextTokenizer(HuggingFaceTokenizer tokenizer, int maxLength, TokenizerSettings settings) {
        this.tokenizer = tokenizer;
        this.maxLength = maxLength;
        this.settings = settings;
    }

    /** Loads {@code tokenizerJson} alone, as an encoder does: no {@link #settings()}. */
    public static TextTokenizer load(Path tokenizerJson, int maxLength) throws IOException {
        return new TextTokenizer(build(tokenizerJson, maxLength), maxLength, null);
    }

    /** Loads {@code tokenizerJson} with its settings ({@link TokenizerSettings#read}), as a decoder does. */
    public static TextTokenizer load(Path tokenizerJson, int maxLength, TokenizerSettings settings)
            throws IOException {
        Objects.requireNonNull(settings, "settings");
        return new TextTokenizer(build(tokenizerJson, maxLength), maxLength, settings);
    }

    private static HuggingFaceTokenizer build(Path tokenizerJson, int maxLength) throws IOException {
        if (maxLength < 2) {
            throw new IllegalArgumentException("max sequence length must be >= 2, got " + maxLength);
        }
        // No tokenizer_config is handed to DJL (TokenizerSettings reads it): DJL then caps maxLength at its default
        // model_max_length of 512, which a decoder's context exceeds, and cleans up decoded spaces only with a config.
        return HuggingFaceTokenizer.builder(Map.of("modelMaxLength", String.valueOf(maxLength)))
                .optTokenizerPath(tokenizerJson)
                .optAddSpecialTokens(true)
                .optTruncation(true)
                .optMaxLength(maxLength)
                .optPadding(false)
                .build();
    }

    public int maxLength() {
        return maxLength;
    }

    /** The settings a decoder loaded this tokenizer with; empty for an encoder's tokenizer. */
    public Optional<TokenizerSettings> settings() {
        return Optional.ofNullable(settings);
    }

    public List<TokenizedText> encode(List<String> texts) {
        List<TokenizedText> out = new ArrayList<>(texts.size());
        for (int from = 0; from < texts.size(); from += ENCODE_CHUNK) {
            List<String> chunk = texts.subList(from, Math.min(texts.size(), from + ENCODE_CHUNK));
            for (Encoding encoding : tokenizer.batchEncode(chunk)) {
                out.add(new TokenizedText(encoding.getIds()));
            }
        }
        return out;
    }

    /** Padded lengths are multiples of this: the engine's kernels warm up per input shape, seconds each. */
    public static final int PAD_MULTIPLE = 32;

    /**
     * Pads a batch to its longest text, rounded up to a multiple of {@link #PAD_MULTIPLE} (but no further than
     * {@code maxLength}), so a run meets only a few distinct shapes. Returns (input ids, attention mask, token type
     * ids), each (batch, seq) int64, attached to {@code manager}.
     */
    public static NDList collate(List<TokenizedText> texts, NDManager manager, int maxLength) {
        int longest = texts.stream().mapToInt(TokenizedText::length).max().orElseThrow();
        int seq = Math.max(longest, Math.min(maxLength, (longest + PAD_MULTIPLE - 1) / PAD_MULTIPLE * PAD_MULTIPLE));
        long[] ids = new long[texts.size() * seq];
        long[] mask = new long[texts.size() * seq];
        for (int row = 0; row < texts.size(); row++) {
            long[] tokens = texts.get(row).ids();
            System.arraycopy(tokens, 0, ids, row * seq, tokens.length);
            java.util.Arrays.fill(mask, row * seq, row * seq + tokens.length, 1L);
        }
        Shape shape = new Shape(texts.size(), seq);
        NDArray idArray = manager.create(ids, shape);
        NDArray maskArray = manager.create(mask, shape);
        return new NDList(idArray, maskArray, manager.zeros(shape, idArray.getDataType()));
    }

    /**
     * The text of {@code ids}, as tokenizer.json's decoder writes it (byte-fallback and byte-level tokens become UTF-8
     * text again); {@code skipSpecialTokens} drops the tokens tokenizer.json marks special (BOS, EOS, chat markers).
     */
    /**
     * The ids of {@code text} without the special tokens the tokenizer would add (no BOS, no SEP), untruncated: the
     * completion part of a prompt-completion pair, which follows the prompt's tokens. May be empty.
     */
    public long[] encodeWithoutSpecialTokens(String text) {
        return tokenizer.encode(text, false, false).getIds();
    }

    public String decode(long[] ids, boolean skipSpecialTokens) {
        return tokenizer.decode(ids, skipSpecialTokens);
    }

    @Override
    public void close() {
        tokenizer.close();
    }
}
