package dev.adapterloop.model;

import java.util.Objects;
import java.util.Set;

/**
 * One turn of a chat dataset record ({@code {"role": ..., "content": ...}}), as transformers'
 * {@code apply_chat_template} receives it. Only text turns of the three plain roles: tool calls, tool results and
 * multimodal content are not supported.
 */
public record ChatMessage(String role, String content) {

    public static final Set<String> ROLES = Set.of("system", "user", "assistant");

    public ChatMessage {
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(content, "content");
        if (!ROLES.contains(role)) {
            throw new IllegalArgumentException("unknown chat role '" + role + "': a message's role must be system, "
                    + "user or assistant");
        }
    }
}
