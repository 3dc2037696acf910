package dev.adapterloop.config;

import java.util.Locale;

/** What a task's adapters learn, and so which records its datasets hold and how its versions are judged and served. */
public enum TaskKind {
    /** Labeled texts {@code {"text", "label"}}; a classification head over the base model; McNemar's gate. */
    CLASSIFICATION,
    /**
     * Prompt → completion records ({@code {"prompt", "completion"}} or chat {@code {"messages": [...]}}) on a decoder;
     * completion-only next-token loss; a paired test on per-example held-out loss; {@code /generations}.
     */
    GENERATION;

    public static final String CLASSIFICATION_NAME = "classification";

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Lenient on case, strict on names: SmallRye converts configuration values through this. */
    public static TaskKind of(String value) {
        for (TaskKind kind : values()) {
            if (kind.wireName().equalsIgnoreCase(value.strip())) {
                return kind;
            }
        }
        throw new IllegalArgumentException("task kind must be classification or generation, got '" + value + "'");
    }
}
