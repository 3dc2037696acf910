package dev.adapterloop.dataset;

import java.util.Objects;
import java.util.Set;

/**
 * One message of a chat record ({@code {"role": ..., "content": ...}}): who says it ({@code system}, {@code user} or
 * {@code assistant}) and what, as transformers' {@code apply_chat_template} receives it. Only text turns of the three
 * plain roles: tool calls, tool results and multimodal content are not supported.
 */
public record ChatTurn(String role, String content) {

    public static final Set<String> ROLES = Set.of("system", "user", "assistant");
    public static final String ASSISTANT = "assistant";

    public ChatTurn {
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(content, "content");
        if (!ROLES.contains(role)) {
            throw new IllegalArgumentException("role must be one of " + ROLES + ", got '" + role + "'");
        }
    }
}
