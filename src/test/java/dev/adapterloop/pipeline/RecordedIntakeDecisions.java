package dev.adapterloop.pipeline;

import dev.adapterloop.intake.IntakeDecision;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The intake's decisions in a {@code @QuarkusTest}'s application, by event id. */
@Singleton
public class RecordedIntakeDecisions {

    private final Map<String, IntakeDecision> byEventId = new ConcurrentHashMap<>();

    void record(@Observes IntakeDecision decision) {
        byEventId.put(decision.eventId(), decision);
    }

    public IntakeDecision get(String eventId) {
        return byEventId.get(eventId);
    }
}
