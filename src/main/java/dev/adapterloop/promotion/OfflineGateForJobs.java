package dev.adapterloop.promotion;

import dev.adapterloop.evaluation.CandidateGate;
import dev.adapterloop.evaluation.CompletionOutcomes;
import dev.adapterloop.evaluation.HeldOutOutcomes;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.function.Function;

/** The offline gate as the training job sees it: {@link Promotions#gate}, its verdict and evidence. */
@ApplicationScoped
public class OfflineGateForJobs implements CandidateGate {

    private final Promotions promotions;

    public OfflineGateForJobs(Promotions promotions) {
        this.promotions = promotions;
    }

    @Override
    public Verdict judge(String task, String version, HeldOutOutcomes outcomes,
                         Function<String, HeldOutOutcomes> scoreChampion) {
        GateEvidence evidence = promotions.gate(task, version, outcomes, scoreChampion).evidence();
        return new Verdict(evidence.verdict().wireName(), evidence.champion(), evidence);
    }

    @Override
    public Verdict judgeCompletions(String task, String version, CompletionOutcomes candidate,
                                    CompletionOutcomes base, Function<String, CompletionOutcomes> scoreChampion) {
        CompletionGateEvidence evidence = promotions.gateCompletions(task, version, candidate, base, scoreChampion);
        return new Verdict(evidence.verdict().wireName(), evidence.champion(), evidence);
    }
}
