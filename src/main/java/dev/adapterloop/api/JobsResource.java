package dev.adapterloop.api;

import dev.adapterloop.security.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.Optional;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * Training jobs from their durable records ({@code jobs/<task>/<id>.json}): what every replica has queued, run,
 * finished or failed, plus what this replica is doing now. Read only: jobs are created by labeled-data events, and a
 * failed one is queued again by {@code POST /api/tasks/{task}/jobs/{jobId}/retry} ({@link TaskJobsResource}).
 */
@Path("/api/jobs")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "jobs")
@RolesAllowed({Roles.READ, Roles.ADMIN})
public class JobsResource {

    private final JobListing listing;

    JobsResource(JobListing listing) {
        this.listing = listing;
    }

    @GET
    @Operation(summary = "List training jobs of every task, oldest first")
    @APIResponse(responseCode = "400", description = "Unknown state")
    public JobListing.Jobs all(@Parameter(description = "QUEUED, RUNNING, SUCCEEDED or FAILED") @QueryParam("state")
                               String state) {
        return listing.list(Optional.empty(), state);
    }
}
