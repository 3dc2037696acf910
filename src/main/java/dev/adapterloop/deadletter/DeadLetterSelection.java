package dev.adapterloop.deadletter;

import java.util.Locale;
import java.util.Set;

/**
 * Which dead letters to replay; every criterion given must hold, an absent one holds for all.
 *
 * @param partition  only this partition of the dead-letter topic
 * @param fromOffset only offsets at or after it
 * @param toOffset   only offsets at or before it
 * @param task       only records whose key (the task id) is this
 * @param reason     only records whose {@code dead-letter-reason} contains this, ignoring case
 * @param eventIds   only these CloudEvent ids ({@code ce_id})
 */
public record DeadLetterSelection(Integer partition, Long fromOffset, Long toOffset, String task, String reason,
                                  Set<String> eventIds) {

    public DeadLetterSelection {
        eventIds = eventIds == null ? Set.of() : Set.copyOf(eventIds);
        if (fromOffset != null && toOffset != null && fromOffset > toOffset) {
            throw new IllegalArgumentException("--from-offset " + fromOffset + " is after --to-offset " + toOffset);
        }
    }

    public static DeadLetterSelection all() {
        return new DeadLetterSelection(null, null, null, null, null, Set.of());
    }

    public boolean matches(DeadLetter letter) {
        return (partition == null || letter.partition() == partition)
                && (fromOffset == null || letter.offset() >= fromOffset)
                && (toOffset == null || letter.offset() <= toOffset)
                && (task == null || task.equals(letter.key()))
                && (reason == null || letter.reason() != null && letter.reason().toLowerCase(Locale.ROOT)
                        .contains(reason.toLowerCase(Locale.ROOT)))
                && (eventIds.isEmpty() || eventIds.contains(letter.eventId()));
    }
}
