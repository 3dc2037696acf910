package dev.adapterloop.promotion;

import dev.adapterloop.registry.AliasSnapshot;
import dev.adapterloop.registry.AliasTarget;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Runs the offline gate on a freshly evaluated candidate against whatever champion the aliases hold at that moment,
 * and applies the verdict: the first adapter of a task becomes champion, a candidate that beats the champion becomes
 * challenger. When another replica changes the aliases first (two first adapters at once, say), the gate runs again
 * against the new champion.
 */
public final class OfflinePromotion {

    /** The gate's evidence on the last alias state it saw, and how applying it went. */
    public record Outcome(GateEvidence evidence, PromotionService.Result applied) {
    }

    private final OfflineGate gate;
    private final ChampionOutcomes champions;
    private final PromotionService service;

    public OfflinePromotion(OfflineGate gate, ChampionOutcomes champions, PromotionService service) {
        this.gate = gate;
        this.champions = champions;
        this.service = service;
    }

    public Outcome gate(String task, OfflineGate.Scored candidate) {
        AtomicReference<GateEvidence> evidence = new AtomicReference<>();
        PromotionService.Result applied = service.apply(task, aliases -> {
            GateEvidence decided = decide(task, candidate, aliases);
            evidence.set(decided);
            return Optional.ofNullable(transition(decided, aliases));
        });
        return new Outcome(evidence.get(), applied);
    }

    private GateEvidence decide(String task, OfflineGate.Scored candidate, AliasSnapshot aliases) {
        Optional<OfflineGate.Scored> champion = aliases.alias(Transition.CHAMPION).map(AliasTarget::version)
                .map(version -> new OfflineGate.Scored(version, version.equals(candidate.version())
                        ? candidate.outcomes()
                        : champions.of(task, version, candidate.outcomes().heldOutSha256())));
        return gate.decide(candidate, champion);
    }

    private static Transition transition(GateEvidence evidence, AliasSnapshot aliases) {
        String challenger = aliases.alias(Transition.CHALLENGER).map(AliasTarget::version).orElse(null);
        if (evidence.candidate().equals(evidence.champion()) || evidence.candidate().equals(challenger)) {
            return null; // already where the gate would put it (a job run again after a crash)
        }
        return switch (evidence.verdict()) {
            case PROMOTE_TO_CHAMPION -> Transition.firstChampion(evidence.candidate(), evidence);
            case PROMOTE_TO_CHALLENGER -> Transition.challenger(evidence.champion(), challenger,
                    evidence.candidate(), evidence);
            case REJECT -> null;
        };
    }
}
