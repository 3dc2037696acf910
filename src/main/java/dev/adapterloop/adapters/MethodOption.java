package dev.adapterloop.adapters;

import java.util.List;
import java.util.Locale;

/**
 * One option a method has beyond {@link SharedHyperparameters} (e.g. LoRA's {@code use-rslora}, LoRMA's
 * {@code placement}). Configuration spells it {@code adapterloop.tasks.<task>.adapter.options.<name>}; adapter files
 * store it under {@link #fieldName()}, PEFT's snake case ({@code use_rslora}).
 *
 * @param name         kebab-case name, e.g. {@code use-rslora}
 * @param choices      the accepted values, the first being the default ({@code [false, true]} for a switch)
 * @param description  one line for help texts and docs
 */
public record MethodOption(String name, List<String> choices, String description) {

    public MethodOption {
        if (name == null || !name.matches("[a-z][a-z0-9]*(-[a-z0-9]+)*")) {
            throw new IllegalArgumentException("option name must be kebab-case, got '" + name + "'");
        }
        choices = List.copyOf(choices);
        if (choices.isEmpty()) {
            throw new IllegalArgumentException("option " + name + " needs at least one accepted value");
        }
    }

    /** A true/false switch, off by default. */
    public static MethodOption flag(String name, String description) {
        return new MethodOption(name, List.of("false", "true"), description);
    }

    /** One of {@code choices}, the first by default. */
    public static MethodOption choice(String name, String description, String... choices) {
        return new MethodOption(name, List.of(choices), description);
    }

    public String defaultValue() {
        return choices.getFirst();
    }

    public boolean isFlag() {
        return choices.equals(List.of("false", "true"));
    }

    /** The name in adapter files: PEFT's snake case, {@code use_rslora}. */
    public String fieldName() {
        return name.replace('-', '_');
    }

    /** {@code value} trimmed and in lower case when it is one of {@link #choices}; else an error naming both. */
    public String parse(String value) {
        String normalised = value == null ? "" : value.trim().toLowerCase(Locale.ROOT);
        if (!choices.contains(normalised)) {
            throw new IllegalArgumentException(name + " must be one of " + choices + ", got '" + value + "'");
        }
        return normalised;
    }

    /** The value as adapter files store it: a JSON boolean for a switch, a string otherwise. */
    public Object stored(String value) {
        return isFlag() ? Boolean.parseBoolean(value) : value;
    }
}
