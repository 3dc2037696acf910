package dev.adapterloop.bundled;

import java.util.List;

/** The corpus divided by {@link Split}, each side sorted by group, then id. */
public record CorpusSplits(List<CorpusEmail> train, List<CorpusEmail> heldOut) {
    public CorpusSplits {
        train = List.copyOf(train);
        heldOut = List.copyOf(heldOut);
    }
}
