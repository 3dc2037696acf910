package dev.adapterloop.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link TextTokenizer} itself: the encoder path as it was, lengths beyond DJL's default cap, closing. */
class TextTokenizerTest {

    @TempDir
    Path dir;

    @Test
    void theEncoderPathIsUnchanged() throws IOException {
        Path file = dir.resolve("tokenizer.json");
        try (InputStream in = TextTokenizerTest.class.getResourceAsStream("/all-minilm-l6-v2-tokenizer.json")) {
            Files.copy(in, file);
        }
        try (TextTokenizer tokenizer = TextTokenizer.load(file, 512)) {
            assertThat(tokenizer.settings()).isEmpty();
            // BERT uncased: [CLS] hello world [SEP]
            assertThat(encode(tokenizer, "Hello world")).containsExactly(101, 7592, 2088, 102);
            assertThat(encode(tokenizer, "word ".repeat(600))).hasSize(512);
            assertThat(tokenizer.decode(new long[] {101, 7592, 2088, 102}, true)).isEqualTo("hello world");
        }
    }

    /** Without a tokenizer_config DJL would cap every length at 512; a decoder's context is longer. */
    @Test
    void maxLengthsAbove512AreHonoured() throws IOException {
        Path file = TestTokenizers.tokenizerJson(TestTokenizers.LLAMA2);
        String text = "word ".repeat(3000);
        try (TextTokenizer tokenizer = TextTokenizer.load(file, 2048)) {
            assertThat(tokenizer.maxLength()).isEqualTo(2048);
            assertThat(encode(tokenizer, text)).hasSize(2048);
        }
        try (TextTokenizer tokenizer = TextTokenizer.load(file, 300)) {
            assertThat(encode(tokenizer, text)).hasSize(300);
        }
    }

    @Test
    void closeReleasesTheNativeTokenizer() throws IOException {
        TextTokenizer tokenizer = TextTokenizer.load(TestTokenizers.tokenizerJson(TestTokenizers.LLAMA2), 64);
        assertThat(tokenizer.decode(new long[] {1, 22557}, true)).isEqualTo("Hello");
        tokenizer.close();
        assertThatThrownBy(() -> tokenizer.decode(new long[] {1, 22557}, true))
                .isInstanceOf(IllegalStateException.class);
    }

    private static long[] encode(TextTokenizer tokenizer, String text) {
        return tokenizer.encode(List.of(text)).getFirst().ids();
    }
}
