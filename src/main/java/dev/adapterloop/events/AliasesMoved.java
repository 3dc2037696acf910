package dev.adapterloop.events;

/**
 * In-process (CDI) notice that this replica just moved a task's aliases by compare-and-set, so that its serving swaps
 * at once instead of on its next alias poll. Other replicas still follow by polling: the aliases in the bucket are the
 * only truth.
 */
public record AliasesMoved(String task) {
}
