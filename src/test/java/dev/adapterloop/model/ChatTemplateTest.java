package dev.adapterloop.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.adapterloop.dataset.ChatTurn;
import dev.adapterloop.dataset.CompletionExample;
import dev.adapterloop.model.TokenizerSettings.ModelTokenIds;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@link ChatTemplate} against what transformers' {@code apply_chat_template(tokenize=False)} returns. The expected
 * strings were produced by Jinja2 3.1.6 in transformers' environment ({@code ImmutableSandboxedEnvironment(
 * trim_blocks=True, lstrip_blocks=True, extensions=[loopcontrols])}, its {@code tojson} and {@code raise_exception}),
 * rendering {@code messages}, {@code add_generation_prompt}, {@code bos_token} and {@code eos_token}; they are written
 * out here, so this test needs no Python.
 */
class ChatTemplateTest {

    /** Llama-2-chat's [INST] / <<SYS>> format, with the Hub templates' role-alternation check. */
    private static final String LLAMA2_TEMPLATE = "{% if messages[0]['role'] == 'system' %}{% set loop_messages = "
            + "messages[1:] %}{% set system_message = messages[0]['content'] %}{% else %}{% set loop_messages = "
            + "messages %}{% set system_message = false %}{% endif %}{% for message in loop_messages %}{% if "
            + "(message['role'] == 'user') != (loop.index0 % 2 == 0) %}{{ raise_exception('Conversation roles must "
            + "alternate user/assistant/user/assistant/...') }}{% endif %}{% if loop.index0 == 0 and system_message "
            + "!= false %}{% set content = '<<SYS>>\\n' + system_message + '\\n<</SYS>>\\n\\n' + message['content'] %}"
            + "{% else %}{% set content = message['content'] %}{% endif %}{% if message['role'] == 'user' %}{{ "
            + "bos_token + '[INST] ' + content.strip() + ' [/INST]' }}{% elif message['role'] == 'assistant' %}{{ ' '"
            + "  + content.strip() + ' ' + eos_token }}{% endif %}{% endfor %}";

    private static final List<ChatTurn> CHAT = List.of(
            new ChatTurn("system", "Be brief."),
            new ChatTurn("user", "  Hi there \n"),
            new ChatTurn("assistant", "Hello!"));

    private static ChatTemplate qwen;
    private static TokenizerSettings llamaSettings;

    @BeforeAll
    static void readTokenizerConfigs() throws IOException {
        qwen = ChatTemplate.of(TokenizerSettings.read(TestTokenizers.tokenizerJson(TestTokenizers.QWEN3),
                ModelTokenIds.NONE));
        llamaSettings = TokenizerSettings.read(TestTokenizers.tokenizerJson(TestTokenizers.LLAMA2), ModelTokenIds.NONE);
    }

    @Test
    void qwen3TemplateRendersWhatTransformersRenders() {
        // the final assistant turn comes after the last user query, so Qwen3's template writes an (empty) think block
        assertThat(qwen.render(CHAT, false)).isEqualTo("<|im_start|>system\nBe brief.<|im_end|>\n"
                + "<|im_start|>user\n  Hi there \n<|im_end|>\n"
                + "<|im_start|>assistant\n<think>\n\n</think>\n\nHello!<|im_end|>\n");
        // the generation prompt is the bare assistant header (enable_thinking is undefined)
        assertThat(qwen.render(CHAT.subList(0, 2), true)).isEqualTo("<|im_start|>system\nBe brief.<|im_end|>\n"
                + "<|im_start|>user\n  Hi there \n<|im_end|>\n<|im_start|>assistant\n");
        // an earlier assistant turn loses its reasoning (split('</think>')[-1].lstrip('\n'))
        assertThat(qwen.render(List.of(CHAT.get(1), new ChatTurn("assistant", "<think>\nhmm\n</think>\n\nYes"),
                new ChatTurn("user", "ok"), CHAT.get(2)), false)).isEqualTo(
                "<|im_start|>user\n  Hi there \n<|im_end|>\n<|im_start|>assistant\nYes<|im_end|>\n"
                + "<|im_start|>user\nok<|im_end|>\n<|im_start|>assistant\n<think>\n\n</think>\n\nHello!<|im_end|>\n");
        // messages[::-1] with startswith/endswith: a <tool_response> user turn is not the last query
        assertThat(qwen.render(List.of(CHAT.get(1), CHAT.get(2), new ChatTurn("user",
                "<tool_response>x</tool_response>"), new ChatTurn("assistant", "B")), false)).isEqualTo(
                "<|im_start|>user\n  Hi there \n<|im_end|>\n<|im_start|>assistant\nHello!<|im_end|>\n"
                + "<|im_start|>user\n<tool_response>x</tool_response><|im_end|>\n"
                + "<|im_start|>assistant\n<think>\n\n</think>\n\nB<|im_end|>\n");
    }

    @Test
    void qwen3ConversationSplitsAtTheGenerationPrompt() {
        CompletionExample example = qwen.split(CHAT);
        assertThat(example.prompt()).isEqualTo("<|im_start|>system\nBe brief.<|im_end|>\n"
                + "<|im_start|>user\n  Hi there \n<|im_end|>\n<|im_start|>assistant\n");
        assertThat(example.completion()).isEqualTo("<think>\n\n</think>\n\nHello!<|im_end|>\n");
        assertThat(example.prompt() + example.completion()).isEqualTo(qwen.render(CHAT, false));
    }

    @Test
    void llama2StyleTemplate() {
        ChatTemplate llama = ChatTemplate.compile(LLAMA2_TEMPLATE, Optional.of("<s>"), Optional.of("</s>"));
        List<ChatTurn> chat = new ArrayList<>(CHAT);
        chat.add(new ChatTurn("user", "More"));
        assertThat(llama.render(chat, true)).isEqualTo("<s>[INST] <<SYS>>\nBe brief.\n<</SYS>>\n\n  Hi there [/INST]"
                + " Hello! </s><s>[INST] More [/INST]");
        assertThat(llama.render(CHAT.subList(1, 3), false)).isEqualTo("<s>[INST] Hi there [/INST] Hello! </s>");

        CompletionExample example = llama.split(CHAT);
        assertThat(example.prompt()).isEqualTo("<s>[INST] <<SYS>>\nBe brief.\n<</SYS>>\n\n  Hi there [/INST]");
        assertThat(example.completion()).isEqualTo(" Hello! </s>");

        assertThatThrownBy(() -> llama.render(List.of(CHAT.get(1), CHAT.get(1)), false))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("the chat template refused the conversation: Conversation roles must alternate "
                        + "user/assistant/user/assistant/...");
        assertThatThrownBy(() -> llama.split(List.of(CHAT.get(2), CHAT.get(1), CHAT.get(2))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Conversation roles must alternate");
    }

    @Test
    void whitespaceControlTrimAndLstripBlocksAndTojson() {
        String template = "{# whitespace: trim_blocks, lstrip_blocks and -/- markers #}\n{% for message in messages "
                + "%}\n    {% if loop.first %}\n[{{ loop.index0 }}] first\n    {% endif %}\n    {%- if message.role "
                + "== 'user' %}\nUser: {{ message.content | trim }}\n    {% else %}\nBot:   {{- message.content -}}   "
                + "!\n    {% endif %}\n{% endfor %}\n{%- set ns = namespace(n=0) %}\n{% for m in messages %}{% set "
                + "ns.n = ns.n + 1 %}{% endfor %}\ncount={{ ns.n }} last={{ messages[-1].role }} json={{ messages[0] "
                + "| tojson }} {{ \"a\u00e9\\\"\\n\" | tojson }}\n{% if add_generation_prompt %}\n    Bot:\n"
                + "{% endif %}\n";
        ChatTemplate chat = ChatTemplate.compile(template, Optional.empty(), Optional.empty());
        assertThat(chat.render(CHAT, true)).isEqualTo("[0] first\nBot:Be brief.!\nUser: Hi there\nBot:Hello!!\n"
                + "count=3 last=assistant json={\"role\": \"system\", \"content\": \"Be brief.\"} \"a\u00e9\\\"\\n\"\n"
                + "    Bot:\n");
        // lstrip_blocks only strips a tag's indentation, not spaces after text on the same line; {%+ keeps it
        ChatTemplate lstrip = ChatTemplate.compile("A {% if add_generation_prompt %}next: {% endif %}|\n  {% if "
                + "add_generation_prompt %}\n  B  {{ 1 }}  {% endif %}|\n   C {# c #} D\n\t{#+ kept #}|\n  {%+ if "
                + "true %}E{% endif %}\n", Optional.empty(), Optional.empty());
        assertThat(lstrip.render(CHAT, true)).isEqualTo("A next: |\n  B  1  |\n   C  D\n\t|\n  E");
        // the template's own trailing newline is dropped, as Jinja2 does (keep_trailing_newline=False)
        assertThat(chat.render(CHAT.subList(1, 3), false)).isEqualTo("[0] first\nUser: Hi there\nBot:Hello!!\n"
                + "count=2 last=assistant json={\"role\": \"user\", \"content\": \"  Hi there \\n\"} \"a\u00e9\\\"\\n\"\n");
    }

    @Test
    void pythonStringMethodsBehaveAsInPython() {
        String content = "messages[0].content";
        String template = "{{ C.split()|join('/') }}|{{ C.split(',')|join('/') }}|{{ C.strip(' x') }}|{{ C.rstrip() }}"
                + "|{{ C.lstrip() }}|{% if C.startswith(' x') %}T{% else %}F{% endif %}|{% if C.endswith(('q', ', '))"
                + " %}T{% else %}F{% endif %}|{% if C.endswith(('q', ', \u00a0')) %}T{% else %}F{% endif %}"
                + "|{{ C.upper() }}|{{ C.replace(',', ';', 1) }}|{{ C.split(',', 1)[-1] }}|{{ C.split(None, 1)"
                + "|join('/') }}|{{ ('</think>' in C)|string|lower }}";
        ChatTemplate chat = ChatTemplate.compile(template.replace("C.", content + "."), Optional.empty(),
                Optional.empty());
        assertThat(chat.render(List.of(new ChatTurn("user", " x a,b  c, \u00a0")), false))
                .isEqualTo("x/a,b/c,| x a/b  c/ \u00a0|a,b  c, \u00a0| x a,b  c,|x a,b  c, \u00a0|T|F|T"
                        + "| X A,B  C, \u00a0| x a;b  c, \u00a0|b  c, \u00a0|x/a,b  c, \u00a0|false");
    }

    @Test
    void completionFallsBackToTheAssistantTextWhenTheFullRenderDoesNotExtendThePrompt() {
        // the generation prompt differs from the header of a finished assistant turn
        ChatTemplate chat = ChatTemplate.compile("{% for m in messages %}{{ m.role }}: {{ m.content }}\n{% endfor %}"
                + "{% if add_generation_prompt %}next: {% endif %}", Optional.empty(), Optional.empty());
        CompletionExample example = chat.split(CHAT.subList(1, 3));
        assertThat(example.prompt()).isEqualTo("user:   Hi there \n\nnext: ");
        assertThat(example.completion()).isEqualTo("Hello!");
    }

    @Test
    void refusals() {
        assertThatThrownBy(() -> qwen.split(List.of())).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("a chat record needs messages, got none");
        assertThatThrownBy(() -> qwen.split(CHAT.subList(0, 2))).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("a chat record for training must end with the assistant's message, the last one is the "
                        + "user's");
        assertThatThrownBy(() -> qwen.split(List.of(CHAT.get(1), new ChatTurn("assistant", " \n"))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("the final assistant message is empty: there is nothing to learn");
        assertThatThrownBy(() -> new ChatTurn("tool", "{}")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("role must be one of " + ChatTurn.ROLES + ", got 'tool'");
        assertThatThrownBy(() -> ChatTemplate.of(llamaSettings)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("the base model's tokenizer_config.json has no chat_template; chat datasets need one — use "
                        + "prompt/completion records or add a template");
        assertThatThrownBy(() -> ChatTemplate.compile("{% for m in messages %}{{ m.content }}", Optional.empty(),
                Optional.empty())).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("the chat template does not parse: ");
        // a Python method this engine does not provide fails the render instead of printing nothing
        assertThatThrownBy(() -> ChatTemplate.compile("{{ messages[0].content.casefold() }}", Optional.empty(),
                Optional.empty()).render(CHAT, false)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("the chat template failed: ").hasMessageContaining("casefold");
        // templates cannot read other templates (or classpath files) through include
        assertThatThrownBy(() -> ChatTemplate.compile("{% include 'application.properties' %}", Optional.empty(),
                Optional.empty()).render(CHAT, false)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("the chat template failed: ");
    }

    @Test
    void oneCompiledTemplateRendersConcurrently() throws Exception {
        List<List<ChatTurn>> conversations = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            conversations.add(List.of(new ChatTurn("system", "s" + i), new ChatTurn("user", "question " + i),
                    new ChatTurn("assistant", "<think>r" + i + "</think>answer " + i),
                    new ChatTurn("user", "again " + i), new ChatTurn("assistant", "done " + i)));
        }
        List<String> expected = new ArrayList<>();
        for (List<ChatTurn> conversation : conversations) {
            expected.add(qwen.render(conversation, false));
        }
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<List<String>>> results = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                results.add(pool.submit(() -> {
                    List<String> rendered = new ArrayList<>();
                    for (int round = 0; round < 5; round++) {
                        for (List<ChatTurn> conversation : conversations) {
                            rendered.add(qwen.render(conversation, false));
                        }
                    }
                    return rendered;
                }));
            }
            for (Future<List<String>> result : results) {
                List<String> rendered = result.get();
                for (int i = 0; i < rendered.size(); i++) {
                    assertThat(rendered.get(i)).isEqualTo(expected.get(i % conversations.size()));
                }
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(expected.get(7)).isEqualTo("<|im_start|>system\ns7<|im_end|>\n<|im_start|>user\nquestion 7"
                + "<|im_end|>\n<|im_start|>assistant\nanswer 7<|im_end|>\n<|im_start|>user\nagain 7<|im_end|>\n"
                + "<|im_start|>assistant\n<think>\n\n</think>\n\ndone 7<|im_end|>\n");
    }
}
