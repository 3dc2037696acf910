package dev.adapterloop.registry;

import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A task's aliases as read at one generation. Hand it back to {@link AliasStore#compareAndSet} to change an alias;
 * the change wins only if nobody else changed the task's aliases since. Generation 0: no alias was ever set.
 * {@code updatedAt} / {@code updatedBy}: when and by which principal the last change was made (null at generation 0,
 * and {@code updatedBy} null for changes recorded before principals were).
 */
public record AliasSnapshot(String task, long generation, Map<String, AliasTarget> aliases, String updatedAt,
                            String updatedBy) {
    public AliasSnapshot {
        AdapterRegistry.requireName("task", task);
        if (generation < 0) {
            throw new IllegalArgumentException("`generation` must be >= 0, got " + generation);
        }
        aliases = Collections.unmodifiableSortedMap(new TreeMap<>(aliases)); // sorted: stable JSON and listings
    }

    static AliasSnapshot of(AliasesDocument document) {
        return new AliasSnapshot(document.task(), document.generation(), document.aliases(), document.updatedAt(),
                document.updatedBy());
    }

    public Optional<AliasTarget> alias(String name) {
        return Optional.ofNullable(aliases.get(name));
    }
}
