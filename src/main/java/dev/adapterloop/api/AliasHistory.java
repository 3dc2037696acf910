package dev.adapterloop.api;

import dev.adapterloop.registry.AliasStore;
import dev.adapterloop.registry.AliasesDocument;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A task's alias history read through a per-process cache. Each history entry is created once and never changed
 * (it is the commit of one alias move, {@link AliasStore}), so an entry read stays true: a page that asks for the
 * history costs the aliases' own read plus one request per change made since the last ask, not one per change ever
 * made. Bounded, least recently used first; an entry not there is not remembered (a writer may still commit it).
 */
@ApplicationScoped
class AliasHistory {

    private static final int MAX_ENTRIES = 20_000;

    private final AliasStore aliases;
    private final Map<String, AliasesDocument> entries = Collections.synchronizedMap(
            new LinkedHashMap<>(256, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, AliasesDocument> eldest) {
                    return size() > MAX_ENTRIES;
                }
            });

    AliasHistory(AliasStore aliases) {
        this.aliases = aliases;
    }

    /** Every change of {@code task}'s aliases up to the current generation, oldest first. */
    List<AliasesDocument> read(String task) {
        long generation = aliases.read(task).generation();
        List<AliasesDocument> history = new ArrayList<>();
        for (long g = 1; g <= generation; g++) {
            String key = task + "|" + g;
            AliasesDocument entry = entries.get(key);
            if (entry == null) {
                Optional<AliasesDocument> read = aliases.historyEntry(task, g);
                if (read.isEmpty()) {
                    continue;
                }
                entry = read.get();
                entries.put(key, entry);
            }
            history.add(entry);
        }
        return history;
    }
}
