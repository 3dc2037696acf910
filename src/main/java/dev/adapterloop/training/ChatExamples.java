package dev.adapterloop.training;

import dev.adapterloop.dataset.CompletionExample;
import dev.adapterloop.dataset.CompletionRecord;
import dev.adapterloop.model.ChatFormat;
import dev.adapterloop.model.TextTokenizer;
import dev.adapterloop.model.TokenizerSettings;

/**
 * A job's records as examples: prompt/completion records as they are, chat records through the base model's chat
 * template ({@link ChatFormat}), compiled on the first chat record. A record the template refuses is bad data.
 */
final class ChatExamples {

    private final TokenizerSettings settings;
    private ChatFormat format;

    ChatExamples(TextTokenizer tokenizer) {
        this.settings = tokenizer.settings().orElse(null);
    }

    CompletionExample of(CompletionRecord record) {
        if (!record.isChat()) {
            return record.asExample();
        }
        try {
            return format().trainingExample(record.messages());
        } catch (IllegalArgumentException e) {
            throw new BadDataException("chat record: " + e.getMessage());
        }
    }

    private ChatFormat format() {
        if (format == null) {
            if (settings == null) {
                throw new BadDataException("the base model has no tokenizer_config.json, so no chat template: chat"
                        + " datasets need one (use prompt/completion records or add a template)");
            }
            format = ChatFormat.of(settings);
        }
        return format;
    }
}
