package dev.adapterloop.registry;

/**
 * Where one alias points: an adapter version of the task, since when, and why (free text from whoever moved it).
 */
public record AliasTarget(String version, String since, String reason) {
    public AliasTarget {
        AdapterRegistry.requireName("adapter version", version);
    }
}
