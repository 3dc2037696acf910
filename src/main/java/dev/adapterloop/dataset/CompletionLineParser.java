package dev.adapterloop.dataset;

import com.fasterxml.jackson.databind.JsonNode;
import dev.adapterloop.dataset.JsonlRecordReader.InvalidLine;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns one JSONL line of a generation dataset into a {@link CompletionRecord}: {@code {"prompt", "completion"}}
 * (the prompt may be empty: plain next-token training on the completion) or {@code {"messages": [...]}}. Other fields
 * are ignored, as for labeled data.
 */
final class CompletionLineParser {

    /** Conversations longer than this are refused per line rather than held whole. */
    static final int MAX_MESSAGES = 256;

    private CompletionLineParser() {
    }

    static CompletionRecord parse(byte[] line) throws InvalidLine {
        JsonNode node = JsonlLineParser.object(line);
        JsonNode messages = node.get("messages");
        boolean chat = messages != null && !messages.isNull();
        if (chat && (node.has("prompt") || node.has("completion"))) {
            throw new InvalidLine("give either `prompt` and `completion` or `messages`, not both");
        }
        try {
            return chat ? CompletionRecord.chat(turns(messages))
                    : CompletionRecord.of(string(node, "prompt"), JsonlLineParser.requiredString(node, "completion"));
        } catch (IllegalArgumentException e) {
            throw new InvalidLine(e.getMessage());
        }
    }

    /** A string field that may be empty but must be there. */
    private static String string(JsonNode node, String field) throws InvalidLine {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            throw new InvalidLine("`" + field + "` is missing (give `prompt` and `completion`, or `messages`)");
        }
        if (!value.isTextual()) {
            throw new InvalidLine("`" + field + "` must be a string, got " + JsonlLineParser.typeOf(value));
        }
        return value.textValue();
    }

    private static List<ChatTurn> turns(JsonNode messages) throws InvalidLine {
        if (!messages.isArray()) {
            throw new InvalidLine("`messages` must be a list, got " + JsonlLineParser.typeOf(messages));
        }
        if (messages.size() > MAX_MESSAGES) {
            throw new InvalidLine("`messages` has " + messages.size() + " entries, at most " + MAX_MESSAGES);
        }
        List<ChatTurn> turns = new ArrayList<>(messages.size());
        for (int i = 0; i < messages.size(); i++) {
            JsonNode message = messages.get(i);
            if (!message.isObject()) {
                throw new InvalidLine("message " + (i + 1) + " must be an object with `role` and `content`");
            }
            String role = JsonlLineParser.requiredString(message, "role");
            JsonNode content = message.get("content");
            if (content == null || !content.isTextual()) {
                throw new InvalidLine("message " + (i + 1) + ": `content` must be a string");
            }
            try {
                turns.add(new ChatTurn(role, content.textValue()));
            } catch (IllegalArgumentException e) {
                throw new InvalidLine("message " + (i + 1) + ": " + e.getMessage());
            }
        }
        return turns;
    }
}
