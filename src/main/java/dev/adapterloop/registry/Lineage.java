package dev.adapterloop.registry;

import dev.adapterloop.events.AdapterManifest;
import java.util.List;
import java.util.Optional;

/**
 * An adapter version and its ancestors through {@code parentVersion}, newest first. The walk stops at a version
 * without a parent (complete), or at a parent it cannot follow; {@link #problem()} then says which and why, so a
 * deleted ancestor or a corrupt manifest shows up instead of failing the whole answer.
 */
public record Lineage(String task, List<AdapterManifest> chain, Optional<String> problem) {
    public Lineage {
        chain = List.copyOf(chain);
        if (chain.isEmpty()) {
            throw new IllegalArgumentException("a lineage starts at a version: `chain` must not be empty");
        }
    }

    public boolean complete() {
        return problem.isEmpty();
    }
}
