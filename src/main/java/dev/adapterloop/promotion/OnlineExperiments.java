package dev.adapterloop.promotion;

import dev.adapterloop.registry.PromotionRecords;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import org.jboss.logging.Logger;

/**
 * A task's running A/B test, kept in the bucket ({@link PromotionRecords#experimentKey}): every observation is read,
 * applied, decided and written back by compare-and-set on the state's ETag, so concurrent observers lose nothing, and
 * exactly one of them writes the state that carries a decision, and applies it ({@link PromotionService}).
 */
public final class OnlineExperiments {

    /** What one observation led to; {@code applied} is null unless the decision moved aliases. */
    public record Observed(OnlineDecider.Decision decision, PromotionService.Result applied) {
    }

    private static final Logger LOG = Logger.getLogger(OnlineExperiments.class);
    private static final int MAX_ATTEMPTS = 50;
    private final java.util.concurrent.ConcurrentMap<String, Object> taskLocks =
            new java.util.concurrent.ConcurrentHashMap<>();

    private final PromotionRecords records;
    private final Function<String, OnlineDecider> deciders;
    private final PromotionService service;
    private final Clock clock;

    /** @param deciders the decider of each task (its {@code promotion.online} settings) */
    public OnlineExperiments(PromotionRecords records, Function<String, OnlineDecider> deciders,
                             PromotionService service, Clock clock) {
        this.records = records;
        this.deciders = deciders;
        this.service = service;
        this.clock = clock;
    }

    /** Starts (or restarts) the A/B test of {@code challenger} against {@code champion}, after the offline gate. */
    public ExperimentState start(String task, String champion, String challenger) {
        ExperimentState fresh = ExperimentState.start(task, champion, challenger, clock.instant());
        for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
            String etag = records.readExperiment(task, ExperimentState.class).map(PromotionRecords.Tagged::etag)
                    .orElse(null);
            if (records.replaceExperiment(task, fresh, etag)) {
                return fresh;
            }
        }
        throw new IllegalStateException("could not start the experiment of task " + task + ": state kept changing");
    }

    public Optional<ExperimentState> current(String task) {
        return records.readExperiment(task, ExperimentState.class).map(PromotionRecords.Tagged::value);
    }

    /**
     * Applies {@code observation} (e.g. {@code s -> s.withOutcome(variant, version, 1)}) to the task's running test,
     * decides, stores. Empty when the task has no running test (the observation is dropped).
     */
    public Optional<Observed> observe(String task, UnaryOperator<ExperimentState> observation) {
        // Observers of one replica take turns: racing on the state's ETag, a busy observer starves the others
        // (each loser rereads just before the winner's next write); the compare-and-set stays for other replicas.
        synchronized (lockOf(task)) {
            return observeLocked(task, observation);
        }
    }

    private Object lockOf(String task) {
        return taskLocks.computeIfAbsent(task, t -> new Object());
    }

    private Optional<Observed> observeLocked(String task, UnaryOperator<ExperimentState> observation) {
        for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
            Optional<PromotionRecords.Tagged<ExperimentState>> stored = records.readExperiment(task,
                    ExperimentState.class);
            if (stored.isEmpty() || stored.get().value().phase() == ExperimentState.Phase.CLOSED) {
                return Optional.empty();
            }
            ExperimentState before = observation.apply(stored.get().value());
            Instant now = clock.instant();
            OnlineDecider.Decision decision = deciders.apply(task).decide(before, now);
            // The trace of this phase, with a point for this observation when it was an outcome.
            List<ExperimentState.TracePoint> trace = before.outcomes() == stored.get().value().outcomes()
                    ? before.trace() : before.withPValue(decision.evidence().pValue()).traced(now).trace();
            ExperimentState next = decision.next().phase() == before.phase()
                    || decision.next().phase() == ExperimentState.Phase.CLOSED
                    ? decision.next().withTrace(trace) : decision.next();
            if (!records.replaceExperiment(task, next, stored.get().etag())) {
                pause(attempt); // someone else wrote first: their observation is in; apply ours to theirs
                continue;
            }
            Transition transition = Transition.of(decision, before);
            PromotionService.Result applied = transition == null ? null : service.apply(task, transition);
            if (applied != null && applied.status() == PromotionService.Status.SUPERSEDED) {
                // The aliases moved under the experiment (a newer challenger, a manual change): it is over.
                LOG.warnf("task %s: %s not applied, aliases changed (%s); experiment closed", task,
                        decision.outcome().wireName(), applied.detail());
                closeSuperseded(task);
            }
            if (decision.outcome().decided()) {
                keep(new ExperimentDecision(ExperimentDecision.SCHEMA_VERSION, task, now, decision.outcome(),
                        applied == null ? null : applied.status().name().toLowerCase(java.util.Locale.ROOT),
                        decision.evidence(), trace));
            }
            return Optional.of(new Observed(decision, applied));
        }
        throw new IllegalStateException("could not record an observation for task " + task + " in " + MAX_ATTEMPTS
                + " attempts: the experiment state kept changing");
    }

    /** Past decisions of {@code task}, newest first, at most {@code limit}. */
    public List<ExperimentDecision> decisions(String task, int limit) {
        return records.readDecisions(task, limit, ExperimentDecision.class);
    }

    /** The decision is already applied: a record that cannot be written costs the console its history, no more. */
    private void keep(ExperimentDecision decision) {
        try {
            records.writeDecision(decision.task(), decision.decidedAt(), decision.outcome().wireName(), decision);
        } catch (RuntimeException e) {
            LOG.errorf(e, "task %s: the %s decision could not be recorded for the console", decision.task(),
                    decision.outcome().wireName());
        }
    }

    /**
     * After a lost write, wait a random while that grows with the losses (up to 100 ms): a loser that came back at
     * once would read just before the winner's next write every time and lose forever to a busy observer, the more
     * surely the slower a write is (tens of ms on a loaded S3).
     */
    private static void pause(int attempt) {
        try {
            long most = 5L * Math.min(attempt + 1, 20);
            Thread.sleep(java.util.concurrent.ThreadLocalRandom.current().nextLong(0, most + 1));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while recording an observation", e);
        }
    }

    private void closeSuperseded(String task) {
        for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
            Optional<PromotionRecords.Tagged<ExperimentState>> stored = records.readExperiment(task,
                    ExperimentState.class);
            if (stored.isEmpty() || records.replaceExperiment(task, stored.get().value().closed("superseded"),
                    stored.get().etag())) {
                return;
            }
        }
    }
}
