package dev.adapterloop.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.adapterloop.dataset.ChatTurn;
import dev.adapterloop.dataset.CompletionExample;
import dev.adapterloop.dataset.CompletionRecord;
import dev.adapterloop.model.TestTokenizers;
import dev.adapterloop.model.TextTokenizer;
import dev.adapterloop.model.TokenizerSettings;
import dev.adapterloop.model.TokenizerSettings.ModelTokenIds;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Chat records become the examples training reads: the real Qwen3 template (ChatML, no BOS) and a Llama-2 template
 * (its own {@code <s>} and {@code </s>}), with the template's BOS and EOS text not doubled by what tokenizing adds.
 */
class ChatExamplesTest {

    private static final CompletionRecord CHAT = CompletionRecord.chat(List.of(new ChatTurn("user", "Hi"),
            new ChatTurn("assistant", "Hello!")));

    @Test
    void qwenChatMlEndsTheCompletionBeforeItsEndOfTurnTokenWhichIsTheEos() throws Exception {
        Path json = TestTokenizers.tokenizerJson(TestTokenizers.QWEN3);
        TokenizerSettings settings = TokenizerSettings.read(json,
                new ModelTokenIds(OptionalLong.empty(), List.of(151_643L), OptionalLong.of(151_643)));
        try (TextTokenizer tokenizer = TextTokenizer.load(json, 128, settings)) {
            CompletionExample example = new ChatExamples(tokenizer).of(CHAT);
            assertThat(example.prompt()).isEqualTo("<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\n");
            // <|im_end|> is Qwen's EOS: TokenizedCompletion appends its id, so the text stops before it.
            assertThat(example.completion()).isEqualTo("<think>\n\n</think>\n\nHello!");
        }
    }

    @Test
    void llamaTwoTemplatesLoseTheBosTheTokenizerAddsAndTheEosTrainingAppends(@TempDir Path dir) throws Exception {
        Path json = dir.resolve("tokenizer.json");
        Files.copy(TestTokenizers.tokenizerJson(TestTokenizers.LLAMA2), json);
        Files.writeString(dir.resolve("tokenizer_config.json"), """
                {"bos_token": "<s>", "eos_token": "</s>", "add_bos_token": true, "add_eos_token": false,
                 "chat_template": "{% for m in messages %}{% if m['role'] == 'user' %}{{ bos_token + '[INST] ' + m['content'] + ' [/INST]' }}{% else %}{{ ' ' + m['content'] + ' ' + eos_token }}{% endif %}{% endfor %}"}
                """);
        TokenizerSettings settings = TokenizerSettings.read(json, ModelTokenIds.NONE);
        try (TextTokenizer tokenizer = TextTokenizer.load(json, 128, settings)) {
            CompletionExample example = new ChatExamples(tokenizer).of(CHAT);
            assertThat(example.prompt()).isEqualTo("[INST] Hi [/INST]");
            assertThat(example.completion()).isEqualTo(" Hello!");
        }
    }

    @Test
    void promptCompletionRecordsPassThroughAndChatWithoutATemplateIsBadData() throws Exception {
        Path json = TestTokenizers.tokenizerJson(TestTokenizers.LLAMA2); // its tokenizer_config has no template
        TokenizerSettings settings = TokenizerSettings.read(json, ModelTokenIds.NONE);
        try (TextTokenizer tokenizer = TextTokenizer.load(json, 128, settings)) {
            ChatExamples examples = new ChatExamples(tokenizer);
            assertThat(examples.of(CompletionRecord.of("p", "c"))).isEqualTo(new CompletionExample("p", "c"));
            assertThatThrownBy(() -> examples.of(CHAT)).isInstanceOf(BadDataException.class)
                    .hasMessageContaining("has no chat_template");
        }
        try (TextTokenizer bare = TextTokenizer.load(json, 128)) {
            assertThatThrownBy(() -> new ChatExamples(bare).of(CHAT)).isInstanceOf(BadDataException.class)
                    .hasMessageContaining("no tokenizer_config.json");
        }
    }
}
