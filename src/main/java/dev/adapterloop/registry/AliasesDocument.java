package dev.adapterloop.registry;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * One generation of a task's aliases, as stored both in {@code alias-history/<generation>.json} (written once, the
 * commit) and in {@code aliases.json} (a copy of the newest generation, for readers). {@code writeId} is unique per
 * write attempt, so a writer can tell its own commit from a rival's after an ambiguous answer. {@code updatedBy} is
 * the principal that made the change (an API key's name, a token's user, {@code system:gate}, ...); documents written
 * before it was recorded read with it null. It sits at the top level, which every reader of schema 1 tolerates
 * unknown members in, so older replicas still read documents that carry it.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record AliasesDocument(int schemaVersion, String task, long generation, Map<String, AliasTarget> aliases,
                              String updatedAt, String updatedBy, String writeId, AliasChange change) {
    public static final int SCHEMA_VERSION = 1;

    public AliasesDocument {
        aliases = aliases == null ? null : Collections.unmodifiableSortedMap(new TreeMap<>(aliases));
    }

    /** The next generation: {@code alias} set to {@code version}, or removed when {@code version} is null. */
    AliasesDocument next(String alias, String version, String reason, String principal, String now,
                         String newWriteId) {
        Map<String, AliasTarget> moved = new TreeMap<>(aliases);
        AliasTarget before = moved.get(alias);
        if (version == null) {
            moved.remove(alias);
        } else {
            moved.put(alias, new AliasTarget(version, now, reason));
        }
        return new AliasesDocument(SCHEMA_VERSION, task, generation + 1, moved, now, principal, newWriteId,
                new AliasChange(alias, before == null ? null : before.version(), version, reason));
    }

    static AliasesDocument empty(String task) {
        return new AliasesDocument(SCHEMA_VERSION, task, 0, Map.of(), null, null, null, null);
    }
}
