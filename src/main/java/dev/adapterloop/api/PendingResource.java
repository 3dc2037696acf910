package dev.adapterloop.api;

import dev.adapterloop.events.DatasetRef;
import dev.adapterloop.intake.PendingData;
import dev.adapterloop.registry.PipelineRecords;
import dev.adapterloop.security.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Data of a task taken in but not yet given to a job ({@code tasks/<task>/intake/pending.json}). Read only. */
@Path("/api/tasks/{task}/pending")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "jobs")
@RolesAllowed({Roles.READ, Roles.ADMIN})
public class PendingResource {
    /** {@code records}: their sum over {@code datasets} (null counts as 0); all zero and empty when none wait. */
    public record Pending(String task, int events, long records, String firstReceivedAt, List<DatasetRef> datasets) {
    }

    private final KnownTasks known;
    private final PipelineRecords records;

    PendingResource(KnownTasks known, PipelineRecords records) {
        this.known = known;
        this.records = records;
    }

    @GET
    @Operation(summary = "Get the data a task has taken in that no job has trained on yet")
    @APIResponse(responseCode = "404", description = "Unknown task")
    public Pending pending(@PathParam("task") String task) {
        return of(known.require(task), records);
    }

    /** The pending data of a known task, as this endpoint answers it (also for the tasks overview). */
    static Pending of(String name, PipelineRecords records) {
        return records.read(PipelineRecords.pendingKey(name), PendingData.class)
                .map(p -> {
                    List<DatasetRef> datasets = p.batches().stream().flatMap(b -> b.datasets().stream()).toList();
                    long count = datasets.stream().mapToLong(d -> d.records() == null ? 0 : d.records()).sum();
                    return new Pending(name, p.batches().size(), count, p.firstReceivedAt(), datasets);
                })
                .orElse(new Pending(name, 0, 0, null, List.of()));
    }
}
