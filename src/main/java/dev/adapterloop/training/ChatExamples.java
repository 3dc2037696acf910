package dev.adapterloop.training;

import dev.adapterloop.dataset.CompletionExample;
import dev.adapterloop.dataset.CompletionRecord;
import dev.adapterloop.model.TextTokenizer;

/** A chat record as the prompt and completion the base model's chat template makes of it. */
final class ChatExamples {

    private ChatExamples() {
    }

    static CompletionExample of(CompletionRecord record, TextTokenizer tokenizer) {
        throw new BadDataException("chat records need the base model's chat template, which is not wired yet");
    }
}
