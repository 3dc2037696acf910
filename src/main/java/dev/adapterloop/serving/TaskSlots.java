package dev.adapterloop.serving;

import java.util.Optional;

/**
 * What one task serves right now, swapped as a whole: the champion and challenger models (null when none is
 * loaded), the versions the aliases name (which may differ while a load is pending or after it failed), and why the
 * champion cannot answer or the served versions lag the aliases ({@code problem}, null when all is well).
 */
public record TaskSlots(ServedModel champion, ServedModel challenger, String championAlias, String challengerAlias,
        long generation, String problem) {

    static final TaskSlots NONE = new TaskSlots(null, null, null, null, -1, "aliases not read yet");

    public Optional<String> championVersion() {
        return Optional.ofNullable(champion).map(ServedModel::version);
    }

    public Optional<String> challengerVersion() {
        return Optional.ofNullable(challenger).map(ServedModel::version);
    }
}
