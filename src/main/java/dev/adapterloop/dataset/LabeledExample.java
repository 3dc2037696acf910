package dev.adapterloop.dataset;

import java.util.Objects;

/** One line of a dataset: {@code {"text": ..., "label": ...}}. */
public record LabeledExample(String text, String label) {
    public LabeledExample {
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(label, "label");
    }
}
