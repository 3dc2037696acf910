package dev.adapterloop.promotion;

import dev.adapterloop.evaluation.CompletionOutcomes;
import dev.adapterloop.evaluation.HeldOutOutcomes;
import dev.adapterloop.evaluation.MismatchedHeldOutException;
import dev.adapterloop.registry.AliasStore;
import dev.adapterloop.registry.AliasTarget;
import dev.adapterloop.registry.ObjectStore;
import dev.adapterloop.registry.PromotionRecords;
import dev.adapterloop.config.TaskCatalogue;
import dev.adapterloop.config.TasksConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

/**
 * The promotion stage's parts for the application, per task settings from {@code adapterloop.tasks.<task>.promotion}:
 * what the training job runner calls after an evaluation ({@link #offline}), and what the feedback consumers feed
 * ({@link #experiments}).
 */
@ApplicationScoped
public class Promotions {

    private final TaskCatalogue tasks;
    private final PromotionRecords records;
    private final PromotionService service;
    private final OnlineExperiments experiments;

    public Promotions(TaskCatalogue tasks, ObjectStore store, AliasStore aliases, PromotionPublisher events) {
        this.tasks = tasks;
        this.records = new PromotionRecords(store);
        this.service = new PromotionService(aliases, events);
        this.experiments = new OnlineExperiments(records, task -> new OnlineDecider(onlineSettings(task)), service,
                Clock.systemUTC());
    }

    /**
     * What the job runner calls once a candidate is stored (its manifest written) and evaluated: keeps the
     * candidate's held-out outcomes, runs the task's offline gate against the current champion, applies the verdict
     * to the aliases and, when the candidate became challenger, starts its A/B test.
     *
     * @param scoreChampion scores the given champion version on the same held-out examples the candidate was scored
     *                      on; called only when the bucket has no outcomes of the champion on that set (the held-out
     *                      set or its cap changed since the champion was evaluated); the result is stored
     */
    public OfflinePromotion.Outcome gate(String task, String version, HeldOutOutcomes outcomes,
                                         Function<String, HeldOutOutcomes> scoreChampion) {
        OfflineGate gate = new OfflineGate(GateSettings.of(task(task).promotion().gate()));
        String sha = outcomes.heldOutSha256();
        records.writeEvaluation(task, version, sha, outcomes);
        ChampionOutcomes champions = (t, champion, set) -> records.readEvaluation(t, champion, set,
                HeldOutOutcomes.class).orElseGet(() -> {
                    HeldOutOutcomes scored = scoreChampion.apply(champion);
                    if (!scored.heldOutSha256().equals(set)) {
                        throw new MismatchedHeldOutException("champion " + champion + " was scored on held-out set "
                                + scored.heldOutSha256() + ", the candidate on " + set);
                    }
                    records.writeEvaluation(t, champion, set, scored);
                    return scored;
                });
        OfflinePromotion.Outcome outcome = new OfflinePromotion(gate, champions, service).gate(task,
                new OfflineGate.Scored(version, outcomes));
        keepGate(task, version, "classification", outcome.applied(), outcome.evidence());
        if (outcome.evidence().verdict() == GateVerdict.PROMOTE_TO_CHALLENGER
                && outcome.applied().status() == PromotionService.Status.APPLIED) {
            experiments.start(task, outcome.evidence().champion(), version);
        }
        return outcome;
    }

    /**
     * The generation task's counterpart of {@link #gate}: keeps the candidate's outcomes, judges it against the base
     * model and the current champion ({@link CompletionGate}), and applies the verdict to the aliases; a challenger
     * starts its A/B test as a classification challenger does, decided on the rewards its generations get back
     * ({@code {"predictionId", "reward"}} feedback).
     */
    public CompletionGateEvidence gateCompletions(String task, String version, CompletionOutcomes outcomes,
                                                  CompletionOutcomes base,
                                                  Function<String, CompletionOutcomes> scoreChampion) {
        CompletionGate gate = new CompletionGate(GateSettings.of(task(task).promotion().gate()));
        String sha = outcomes.heldOutSha256();
        records.writeEvaluation(task, version, sha, outcomes);
        AtomicReference<CompletionGateEvidence> evidence = new AtomicReference<>();
        PromotionService.Result applied = service.apply(task, aliases -> {
            Optional<CompletionGate.Scored> champion = aliases.alias(Transition.CHAMPION).map(AliasTarget::version)
                    .map(v -> new CompletionGate.Scored(v, v.equals(version) ? outcomes
                            : championOutcomes(task, v, sha, scoreChampion)));
            CompletionGateEvidence decided = gate.decide(new CompletionGate.Scored(version, outcomes), base,
                    champion);
            evidence.set(decided);
            String challenger = aliases.alias(Transition.CHALLENGER).map(AliasTarget::version).orElse(null);
            if (version.equals(decided.champion()) || version.equals(challenger)) {
                return Optional.empty(); // already where the gate would put it (a job run again after a crash)
            }
            return Optional.ofNullable(switch (decided.verdict()) {
                case PROMOTE_TO_CHAMPION -> Transition.firstChampion(version, decided);
                case PROMOTE_TO_CHALLENGER -> Transition.challenger(decided.champion(), challenger, version, decided);
                case REJECT -> null;
            });
        });
        CompletionGateEvidence decided = evidence.get();
        keepGate(task, version, "generation", applied, decided);
        if (decided.verdict() == GateVerdict.PROMOTE_TO_CHALLENGER
                && applied.status() == PromotionService.Status.APPLIED) {
            experiments.start(task, decided.champion(), version);
        }
        return decided;
    }

    /** The verdict is applied already: a record that cannot be written costs the console its evidence, no more. */
    private void keepGate(String task, String version, String kind, PromotionService.Result applied,
                          Object evidence) {
        try {
            records.writeGate(task, version, new GateRecord(GateRecord.SCHEMA_VERSION, kind,
                    applied.status().name().toLowerCase(java.util.Locale.ROOT), evidence));
        } catch (RuntimeException e) {
            org.jboss.logging.Logger.getLogger(Promotions.class).errorf(e,
                    "task %s: the gate's evidence on %s could not be stored", task, version);
        }
    }

    private CompletionOutcomes championOutcomes(String task, String champion, String sha,
                                                Function<String, CompletionOutcomes> scoreChampion) {
        return records.readEvaluation(task, champion, sha, CompletionOutcomes.class).orElseGet(() -> {
            CompletionOutcomes scored = scoreChampion.apply(champion);
            if (!scored.heldOutSha256().equals(sha)) {
                throw new MismatchedHeldOutException("champion " + champion + " was scored on held-out set "
                        + scored.heldOutSha256() + ", the candidate on " + sha);
            }
            records.writeEvaluation(task, champion, sha, scored);
            return scored;
        });
    }

    /** The offline gate of {@code task}, judging against the champion's stored held-out outcomes. */
    public OfflinePromotion offline(String task) {
        return new OfflinePromotion(new OfflineGate(GateSettings.of(task(task).promotion().gate())),
                ChampionOutcomes.stored(records), service);
    }

    public OnlineSettings onlineSettings(String task) {
        return OnlineSettings.of(task(task).promotion().online());
    }

    /** Whether {@code task} has settings (a task only in the bucket has none). */
    public boolean configured(String task) {
        return tasks.tasks().containsKey(task);
    }

    public Optional<List<String>> labels(String task) {
        return Optional.ofNullable(tasks.tasks().get(task)).map(TasksConfig.Task::labels);
    }

    public PromotionRecords records() {
        return records;
    }

    public PromotionService service() {
        return service;
    }

    public OnlineExperiments experiments() {
        return experiments;
    }

    private TasksConfig.Task task(String task) {
        TasksConfig.Task config = tasks.tasks().get(task);
        if (config == null) {
            throw new IllegalArgumentException("task '" + task + "' is neither configured nor defined in the bucket");
        }
        return config;
    }
}
