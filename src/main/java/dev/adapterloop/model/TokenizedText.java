package dev.adapterloop.model;

/** Token ids of one text, truncated to the tokenizer's maximum length, without padding. */
public record TokenizedText(long[] ids) {
    public TokenizedText {
        if (ids.length == 0) {
            throw new IllegalArgumentException("a tokenized text has at least one token ([CLS])");
        }
    }

    public int length() {
        return ids.length;
    }

    /**
     * At most {@code maxLength} tokens, cutting the content and keeping the closing special token ([SEP]), as the
     * tokenizer's own truncation does for a single sequence.
     */
    public TokenizedText truncate(int maxLength) {
        if (ids.length <= maxLength) {
            return this;
        }
        long[] cut = java.util.Arrays.copyOf(ids, maxLength);
        cut[maxLength - 1] = ids[ids.length - 1];
        return new TokenizedText(cut);
    }
}
