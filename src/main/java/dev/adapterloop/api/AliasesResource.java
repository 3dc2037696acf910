package dev.adapterloop.api;

import dev.adapterloop.events.AdapterPromotionEvent;
import dev.adapterloop.http.FieldError;
import dev.adapterloop.promotion.ChampionHistory;
import dev.adapterloop.promotion.PromotionPublisher;
import dev.adapterloop.registry.AliasChange;
import dev.adapterloop.registry.AliasSnapshot;
import dev.adapterloop.registry.AliasStore;
import dev.adapterloop.registry.AliasesDocument;
import dev.adapterloop.security.Roles;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.logging.Logger;

/**
 * A task's aliases, moved by compare-and-set: the caller sends the generation it read, and loses (409, with the
 * current aliases) if anyone changed them since. Re-read, re-decide, send again. Reading takes the role {@code read},
 * moving takes {@code admin}; a move records the caller's principal in the alias history and announces itself on
 * {@code adapter-promotions} ({@code adapterloop.adapter.alias-moved}).
 */
@Path("/api/tasks/{task}/aliases")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "registry")
@RolesAllowed({Roles.READ, Roles.ADMIN})
public class AliasesResource {
    /** {@code version} null clears the alias; {@code expectedGeneration} is the one read from GET. */
    public record AliasChangeRequest(String version, Long expectedGeneration, String reason) {
    }

    private static final Logger LOG = Logger.getLogger(AliasesResource.class);
    private static final int MAX_HISTORY = 1000;

    private final AliasStore aliases;
    private final KnownTasks known;
    private final SecurityIdentity caller;
    private final PromotionPublisher promotions;
    private final AliasHistory history;

    AliasesResource(AliasStore aliases, KnownTasks known, SecurityIdentity caller, PromotionPublisher promotions,
                    AliasHistory history) {
        this.aliases = aliases;
        this.known = known;
        this.caller = caller;
        this.promotions = promotions;
        this.history = history;
    }

    /** One alias move as the history records it. */
    public record Change(long generation, String alias, String from, String to, String reason, String at, String by) {
    }

    /**
     * {@code changes}: the newest {@code limit} moves, newest first; {@code rolledBack}: every roll-back in the whole
     * history, oldest first (the champion left a version for one that had been champion before it).
     */
    public record HistoryView(String task, long generation, List<Change> changes,
                              List<ChampionHistory.RollBack> rolledBack) {
    }

    @GET
    @Path("history")
    @Operation(summary = "Get a task's alias moves and the versions that were rolled back",
            description = "changes: the newest `limit` moves (default 50, at most 1000), newest first, with who made "
                    + "each and why; rolledBack: every version the champion alias left for an earlier champion (the "
                    + "online test's roll-back or an operator's), oldest first.")
    @APIResponse(responseCode = "400", description = "limit outside 1..1000")
    @APIResponse(responseCode = "404", description = "Unknown task")
    public HistoryView history(@PathParam("task") String task,
                               @QueryParam("limit") @DefaultValue("50") int limit) {
        known.require(task);
        if (limit < 1 || limit > MAX_HISTORY) {
            throw ApiProblem.invalid(List.of(new FieldError("limit", "limit must be between 1 and " + MAX_HISTORY
                    + ", got " + limit)));
        }
        List<AliasesDocument> entries = history.read(task);
        List<Change> changes = new ArrayList<>();
        for (int i = entries.size() - 1; i >= 0 && changes.size() < limit; i--) {
            AliasesDocument entry = entries.get(i);
            AliasChange change = entry.change();
            if (change != null) {
                changes.add(new Change(entry.generation(), change.alias(), change.from(), change.to(),
                        change.reason(), entry.updatedAt(), entry.updatedBy()));
            }
        }
        long generation = entries.isEmpty() ? 0 : entries.getLast().generation();
        return new HistoryView(task, generation, changes, ChampionHistory.rollBacks(entries));
    }

    @GET
    @Operation(summary = "Get a task's aliases and their generation")
    @APIResponse(responseCode = "404", description = "Unknown task")
    public AliasSnapshot read(@PathParam("task") String task) {
        return aliases.read(known.require(task));
    }

    @PUT
    @Path("{alias}")
    @RolesAllowed(Roles.ADMIN)
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Point an alias at a version (or clear it) if the aliases are still at expectedGeneration")
    @APIResponse(responseCode = "200", description = "Changed; the body is the new snapshot")
    @APIResponse(responseCode = "400", description = "Invalid task, alias or version name, or a bad body")
    @APIResponse(responseCode = "404", description = "Unknown task")
    @APIResponse(responseCode = "409", description = "Lost: the aliases changed since expectedGeneration; the problem's"
            + " `current` member holds them as they are now")
    @APIResponse(responseCode = "422", description = "The version has no manifest (unknown or incomplete)")
    public AliasSnapshot change(@PathParam("task") String task, @PathParam("alias") String alias,
            AliasChangeRequest request) {
        known.require(task);
        List<FieldError> errors = new ArrayList<>();
        if (request == null || request.expectedGeneration() == null) {
            errors.add(new FieldError("expectedGeneration", "the body must be JSON with expectedGeneration (the "
                    + "generation read from GET /api/tasks/" + task + "/aliases), version (null clears the alias) and "
                    + "reason"));
        }
        String reason = request == null || request.reason() == null ? "" : request.reason();
        if (reason.length() > AliasStore.MAX_REASON_LENGTH) {
            errors.add(new FieldError("reason", "reason must be at most " + AliasStore.MAX_REASON_LENGTH
                    + " characters, got " + reason.length()));
        }
        if (!errors.isEmpty()) {
            throw ApiProblem.invalid(errors);
        }
        long expected = request.expectedGeneration();
        String principal = caller.getPrincipal().getName();
        if (aliases.compareAndSet(task, expected, alias, request.version(), reason, principal)) {
            aliases.historyEntry(task, expected + 1).map(AliasesDocument::change).ifPresent(change ->
                    announce(new AdapterPromotionEvent(AdapterPromotionEvent.SCHEMA_VERSION, task, alias,
                            change.from(), change.to(), expected + 1, reason, principal, null)));
            return aliases.read(task);
        }
        AliasSnapshot now = aliases.read(task);
        throw ApiProblem.aliasConflict(task, now, "aliases of task '" + task + "' are at generation "
                + now.generation() + ", not " + expected + ": re-read and decide again");
    }

    /** The history already holds the move: a lost announcement is logged, never undone or repeated. */
    private void announce(AdapterPromotionEvent event) {
        try {
            promotions.publish(AdapterPromotionEvent.ALIAS_MOVED, event);
        } catch (RuntimeException e) {
            LOG.errorf(e, "task %s: %s moved to generation %d by %s, but its event could not be published",
                    event.task(), event.alias(), event.generation(), event.principal());
        }
    }
}
