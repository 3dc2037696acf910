package dev.adapterloop.dataset;

import java.util.Objects;
import java.util.Set;

/** One message of a chat record: who says it ({@code system}, {@code user} or {@code assistant}) and what. */
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
