package dev.adapterloop.pipeline;

import dev.adapterloop.intake.IntakeDecision;
import dev.adapterloop.intake.IntakeLedger;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/** The intake's decisions in a {@code @QuarkusTest}'s application, by event id, in the order they were made. */
@Singleton
public class RecordedIntakeDecisions {

    private final Map<String, List<IntakeDecision>> byEventId = new ConcurrentHashMap<>();

    void record(@Observes IntakeDecision decision) {
        byEventId.computeIfAbsent(decision.eventId(), id -> new CopyOnWriteArrayList<>()).add(decision);
    }

    /** The outcomes of every delivery of the event so far. */
    public List<IntakeLedger.Outcome> outcomes(String eventId) {
        return byEventId.getOrDefault(eventId, List.of()).stream().map(IntakeDecision::outcome).toList();
    }
}
