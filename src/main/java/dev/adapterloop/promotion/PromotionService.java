package dev.adapterloop.promotion;

import dev.adapterloop.events.AdapterPromotionEvent;
import dev.adapterloop.registry.AliasSnapshot;
import dev.adapterloop.registry.AliasStore;
import dev.adapterloop.registry.AliasTarget;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import org.jboss.logging.Logger;

/**
 * Applies promotion decisions to a task's aliases by compare-and-set ({@link AliasStore}) and announces them on
 * {@code adapter-promotions}. A decision is a function of the alias state: until its commit (the first alias move that
 * changes something) has won, it is taken again on every fresh read, so a decision that loses a race is re-evaluated
 * on the aliases as the winner left them, never applied blindly. After the commit, the remaining moves are completed
 * against fresh reads; another replica that took the same decision helps complete them but publishes nothing (only the
 * commit's winner does). Two replicas therefore never make different champions from one alias state.
 */
public final class PromotionService {

    /** How an {@link #apply} ended. */
    public enum Status {
        /** This call committed the decision (and published its event, if it has one). */
        APPLIED,
        /** Another replica had committed the same decision; this call at most completed its later moves. */
        ALREADY_DECIDED,
        /** The decision, taken on the current aliases, changes nothing. */
        NOTHING_TO_DO,
        /** The aliases no longer hold what the decision expects (another decision won): nothing was changed. */
        SUPERSEDED,
        /** Lost the race {@value #MAX_ATTEMPTS} times in a row; nothing is known to be half done by this call. */
        CONTENDED
    }

    /**
     * @param transition the decision as last taken (null when there was nothing to do)
     * @param eventId    the published event's id (null when none was published)
     */
    public record Result(Status status, Transition transition, AliasSnapshot aliases, int lostRaces, String eventId,
                         String detail) {
    }

    static final int MAX_ATTEMPTS = 20;
    private static final Logger LOG = Logger.getLogger(PromotionService.class);

    private final AliasStore aliases;
    private final PromotionPublisher publisher;

    public PromotionService(AliasStore aliases, PromotionPublisher publisher) {
        this.aliases = aliases;
        this.publisher = publisher;
    }

    /** Applies a fixed transition: its moves' expected versions are its preconditions. */
    public Result apply(String task, Transition transition) {
        Objects.requireNonNull(transition, "transition");
        return apply(task, snapshot -> Optional.of(transition));
    }

    /**
     * @param decide takes the decision on the aliases as they are now; called again after every lost race until the
     *               decision's commit has won
     */
    public Result apply(String task, Function<AliasSnapshot, Optional<Transition>> decide) {
        Transition transition = null;
        boolean committed = false;
        long commitGeneration = -1;
        int lost = 0;
        for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
            AliasSnapshot now = aliases.read(task);
            if (!committed) {
                transition = decide.apply(now).orElse(null);
                if (transition == null) {
                    return new Result(Status.NOTHING_TO_DO, null, now, lost, null, "the decision changes nothing");
                }
            }
            Transition.Move stale = transition.moves().stream()
                    .filter(m -> !Objects.equals(version(now, m.alias()), m.expected())
                            && !Objects.equals(version(now, m.alias()), m.target()))
                    .findFirst().orElse(null);
            if (stale != null) {
                String detail = stale.alias() + " is " + version(now, stale.alias()) + ", the decision expected "
                        + stale.expected();
                if (!committed) {
                    return new Result(Status.SUPERSEDED, transition, now, lost, null, detail);
                }
                // Our commit stands (it is in the alias history); someone moved the aliases on since.
                LOG.warnf("task %s: %s committed, later moves overtaken: %s", task, transition.reason(), detail);
                return new Result(Status.APPLIED, transition, now, lost, announce(task, transition, commitGeneration),
                        "later moves overtaken: " + detail);
            }
            Transition.Move commit = transition.moves().stream().filter(Transition.Move::changes).findFirst()
                    .orElseThrow();
            Transition.Move next = transition.moves().stream()
                    .filter(m -> !Objects.equals(version(now, m.alias()), m.target())).findFirst().orElse(null);
            if (next == null) {
                return committed
                        ? new Result(Status.APPLIED, transition, now, lost,
                                announce(task, transition, commitGeneration), "applied")
                        : new Result(Status.ALREADY_DECIDED, transition, now, lost, null,
                                "another replica applied this decision");
            }
            boolean isCommit = !committed && next.equals(commit);
            if (aliases.compareAndSet(task, now.generation(), next.alias(), next.target(),
                    truncate(transition.reason()), transition.principal())) {
                if (isCommit) {
                    committed = true;
                    commitGeneration = now.generation() + 1;
                }
            } else {
                lost++;
            }
        }
        return new Result(Status.CONTENDED, transition, aliases.read(task), lost, null,
                "lost " + lost + " races in a row");
    }

    private String announce(String task, Transition transition, long generation) {
        if (transition.eventType() == null) {
            return null;
        }
        AdapterPromotionEvent event = new AdapterPromotionEvent(AdapterPromotionEvent.SCHEMA_VERSION, task,
                transition.alias(), transition.from(), transition.to(), generation, transition.reason(),
                transition.principal(), transition.evidence());
        try {
            return publisher.publish(transition.eventType(), event);
        } catch (RuntimeException e) {
            // The alias history already records the change; a lost announcement must not undo or repeat it.
            LOG.errorf(e, "task %s: %s applied (generation %d) but its event could not be published", task,
                    transition.eventType(), generation);
            return null;
        }
    }

    private static String version(AliasSnapshot snapshot, String alias) {
        return snapshot.alias(alias).map(AliasTarget::version).orElse(null);
    }

    private static String truncate(String reason) {
        return reason.length() <= AliasStore.MAX_REASON_LENGTH ? reason
                : reason.substring(0, AliasStore.MAX_REASON_LENGTH - 1) + "…";
    }
}
