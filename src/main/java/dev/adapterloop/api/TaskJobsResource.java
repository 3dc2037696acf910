package dev.adapterloop.api;

import dev.adapterloop.registry.AdapterRegistry;
import dev.adapterloop.security.Roles;
import dev.adapterloop.training.JobRecord;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.Optional;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** One task's training jobs (see {@link JobsResource}). */
@Path("/api/tasks/{task}/jobs")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "jobs")
@RolesAllowed({Roles.READ, Roles.ADMIN})
public class TaskJobsResource {

    private final JobListing jobs;
    private final KnownTasks known;

    TaskJobsResource(JobListing jobs, KnownTasks known) {
        this.jobs = jobs;
        this.known = known;
    }

    @GET
    @Operation(summary = "List a task's training jobs, oldest first")
    @APIResponse(responseCode = "400", description = "Unknown state")
    @APIResponse(responseCode = "404", description = "Unknown task")
    public JobListing.Jobs list(@PathParam("task") String task, @QueryParam("state") String state) {
        return jobs.list(Optional.of(known.require(task)), state);
    }

    @GET
    @Path("{jobId}")
    @Operation(summary = "Get one training job's record")
    @APIResponse(responseCode = "404", description = "Unknown task, or no job of that id")
    public JobRecord one(@PathParam("task") String task, @PathParam("jobId") String jobId) {
        AdapterRegistry.requireName("job id", jobId);
        return jobs.find(known.require(task), jobId).orElseThrow(() -> ApiProblem.unknownJob(task, jobId,
                "job '" + jobId + "' of task '" + task + "' not found"));
    }
}
