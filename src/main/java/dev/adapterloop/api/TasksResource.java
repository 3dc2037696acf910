package dev.adapterloop.api;

import dev.adapterloop.security.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/api/tasks")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "registry")
@RolesAllowed({Roles.READ, Roles.ADMIN})
public class TasksResource {
    /** The body of {@code GET /api/tasks}. */
    public record Tasks(List<KnownTasks.TaskInfo> tasks) {
    }

    private final KnownTasks known;

    TasksResource(KnownTasks known) {
        this.known = known;
    }

    @GET
    @Operation(summary = "List tasks", description = "Configured tasks and tasks with adapters or aliases in the bucket.")
    public Tasks list() {
        return new Tasks(known.list());
    }
}
