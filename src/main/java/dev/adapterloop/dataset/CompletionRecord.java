package dev.adapterloop.dataset;

import java.util.List;

/**
 * One record of a generation task's dataset, as stored: either a prompt and the completion to learn
 * ({@code {"prompt": ..., "completion": ...}}) or a conversation whose last message is the assistant's answer to learn
 * ({@code {"messages": [{"role": ..., "content": ...}, ...]}}). A conversation becomes a prompt and a completion only
 * once the base model's chat template renders it (training), so intake needs no tokenizer.
 */
public record CompletionRecord(String prompt, String completion, List<ChatTurn> messages) {

    public CompletionRecord {
        if (messages != null) {
            messages = List.copyOf(messages);
            if (prompt != null || completion != null) {
                throw new IllegalArgumentException("a record holds either prompt/completion or messages, not both");
            }
            if (messages.isEmpty()) {
                throw new IllegalArgumentException("`messages` is empty");
            }
            ChatTurn last = messages.getLast();
            if (!ChatTurn.ASSISTANT.equals(last.role())) {
                throw new IllegalArgumentException("the last message must be the assistant's (the answer to learn),"
                        + " got '" + last.role() + "'");
            }
            if (last.content().isBlank()) {
                throw new IllegalArgumentException("the last (assistant) message is empty");
            }
        } else {
            if (prompt == null || completion == null) {
                throw new IllegalArgumentException("a record needs `prompt` and `completion`, or `messages`");
            }
            if (completion.isBlank()) {
                throw new IllegalArgumentException("`completion` is empty or whitespace");
            }
        }
    }

    public static CompletionRecord of(String prompt, String completion) {
        return new CompletionRecord(prompt, completion, null);
    }

    public static CompletionRecord chat(List<ChatTurn> messages) {
        return new CompletionRecord(null, null, messages);
    }

    public boolean isChat() {
        return messages != null;
    }

    /** The record as a prompt/completion example; a chat record needs its template first. */
    public CompletionExample asExample() {
        if (isChat()) {
            throw new IllegalStateException("a chat record becomes an example through the model's chat template");
        }
        return new CompletionExample(prompt, completion);
    }
}
