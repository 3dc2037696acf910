package dev.adapterloop.model;

import dev.adapterloop.dataset.ChatTurn;
import dev.adapterloop.dataset.CompletionExample;
import java.util.List;
import java.util.Optional;

/**
 * A base model's chat template fitted to how the project tokenizes: a prompt is encoded with the tokenizer's special
 * tokens and a training completion is followed by the end-of-sequence id ({@code TokenizedCompletion}), so the
 * template's own leading BOS text and trailing EOS text would otherwise appear twice.
 */
public final class ChatFormat {

    private final ChatTemplate template;
    private final TokenizerSettings settings;

    private ChatFormat(ChatTemplate template, TokenizerSettings settings) {
        this.template = template;
        this.settings = settings;
    }

    /** @throws IllegalArgumentException the settings hold no (default) chat template, or it does not parse */
    public static ChatFormat of(TokenizerSettings settings) {
        return new ChatFormat(ChatTemplate.of(settings), settings);
    }

    /** The prompt that asks the model for the assistant's next message ({@code add_generation_prompt=True}). */
    public String generationPrompt(List<ChatTurn> messages) {
        if (messages.isEmpty()) {
            throw new IllegalArgumentException("a chat needs at least one message");
        }
        return withoutLeadingBos(template.render(messages, true));
    }

    /** A conversation whose last message is the assistant's, as the prompt and the completion to learn. */
    public CompletionExample trainingExample(List<ChatTurn> messages) {
        CompletionExample split = template.split(messages);
        return new CompletionExample(withoutLeadingBos(split.prompt()), withoutTrailingEos(split.completion()));
    }

    /** The tokenizer adds BOS itself when it is configured to; the template's BOS text would be a second one. */
    private String withoutLeadingBos(String prompt) {
        Optional<String> bos = settings.bos().map(TokenizerSettings.SpecialToken::content);
        if (settings.addBosToken() && bos.isPresent() && prompt.startsWith(bos.get())) {
            return prompt.substring(bos.get().length());
        }
        return prompt;
    }

    /**
     * The end-of-sequence id follows every completion; a template that ends the answer with the EOS text (Llama-2's
     * {@code </s>}; ChatML's {@code <|im_end|>} where that is the EOS token) would otherwise end it twice. What follows
     * the EOS text (a newline) is after the end and never generated, so it goes too, and so does the space a template
     * puts before it (Llama-2's {@code ' ' + eos_token}), which would otherwise be learnt as a last token of its own.
     */
    private String withoutTrailingEos(String completion) {
        Optional<String> eos = settings.eos().map(TokenizerSettings.SpecialToken::content);
        if (eos.isEmpty()) {
            return completion;
        }
        String trimmed = completion.stripTrailing();
        if (trimmed.endsWith(eos.get()) && trimmed.length() > eos.get().length()) {
            return trimmed.substring(0, trimmed.length() - eos.get().length()).stripTrailing();
        }
        return completion;
    }
}
